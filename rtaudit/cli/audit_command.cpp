#include "rtaudit/cli/commands.hpp"

#include <spdlog/spdlog.h>

namespace rtaudit::cli {

int run_audit(const AuditArgs& /*args*/, bool /*verbose*/) {
  spdlog::error("rtaudit audit: not implemented yet");
  return 1;
}

}  // namespace rtaudit::cli

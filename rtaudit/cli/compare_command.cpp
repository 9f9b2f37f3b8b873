#include "rtaudit/cli/commands.hpp"

#include <spdlog/spdlog.h>

namespace rtaudit::cli {

int run_compare(const CompareArgs& /*args*/, bool /*verbose*/) {
  spdlog::error("rtaudit compare: not implemented yet");
  return 1;
}

}  // namespace rtaudit::cli

// `rtaudit atlas generate PARAMETERS OUT_CSV`: regenerates the IMN node atlas (docs/node-atlas.md) from
// its parameters file. Deterministic, so running it on the committed atlases/imn-nodes/parameters.xml
// reproduces the committed nodes.csv byte for byte (checked by tests/miss/node_atlas_test.cpp).

#include "rtaudit/miss/node_atlas.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>
#include <unistd.h>

namespace rtaudit::cli {

int run_atlas_generate(const std::string& parameters_path, const std::string& out_csv_path) {
  namespace fs = std::filesystem;
  const miss::AtlasParametersLoad load = miss::load_atlas_parameters(parameters_path);
  if (!load.parameters) {
    spdlog::error("{}", load.error);
    return 1;
  }
  const std::vector<miss::AtlasNode> nodes = miss::generate_atlas(*load.parameters);
  const std::string csv = miss::atlas_to_csv(nodes, *load.parameters);

  // Written beside the target and renamed over it, so a reader never sees a half-written atlas.
  const fs::path out(out_csv_path);
  const fs::path tmp = out.parent_path() / fmt::format(".{}.tmp-{}", out.filename().string(), ::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << csv;
    f.close();
    if (!f) {
      spdlog::error("{}: cannot write the atlas", tmp.string());
      std::error_code ignored;
      fs::remove(tmp, ignored);
      return 1;
    }
  }
  std::error_code ec;
  fs::rename(tmp, out, ec);
  if (ec) {
    spdlog::error("{}: cannot replace it with {}: {}", out.string(), tmp.string(), ec.message());
    fs::remove(tmp, ec);
    return 1;
  }

  std::map<int, std::size_t> per_ics;
  for (const auto& n : nodes) ++per_ics[n.ics];
  std::string counts;
  for (const auto& [ics, count] : per_ics) counts += fmt::format("{}ICS{} {}", counts.empty() ? "" : ", ", ics, count);
  fmt::print("wrote {} nodes of atlas {} version {} to {} ({})\n", nodes.size(), load.parameters->id,
             load.parameters->version, out.string(), counts);
  return 0;
}

}  // namespace rtaudit::cli

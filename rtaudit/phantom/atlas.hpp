#pragma once
// The synthetic thorax phantom's anatomy as data (atlases/phantom/thorax.xml): every dimension with
// its range [min, max], the mean a draw centres on, its unit, and where the number comes from.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::phantom {

struct Dimension {
  std::string name;  ///< e.g. "rib1.top_below_notch"
  double min = 0;
  double mean = 0;
  double max = 0;
  std::string unit;         ///< "mm", "mm/mm", "1"
  std::string source;       ///< id of a <source>, empty when none
  bool assumption = false;  ///< the author's assumption, not a published measurement
  std::string note;
  int line = 0;  ///< line in the atlas file
};

struct Tissue {
  std::string name;
  double hu = 0;
  std::string source;
};

struct ThoraxAtlas {
  std::string file;     ///< where it was read from (for messages)
  std::string version;
  std::map<std::string, std::string> sources;  ///< id -> citation
  std::vector<Dimension> dimensions;           ///< in file order
  std::map<std::string, Tissue> tissues;
  double noise_sigma_hu = 0;

  /// The dimension called `name`, or nullptr.
  [[nodiscard]] const Dimension* find(std::string_view name) const;
  /// The dimension called `name`; throws std::out_of_range (a programming error: the loader checks
  /// that every dimension in required_dimension_names() is present).
  [[nodiscard]] const Dimension& at(std::string_view name) const;
  /// The CT number of a tissue; throws std::out_of_range like at().
  [[nodiscard]] double hu(std::string_view tissue) const;
};

/// Why an atlas could not be read: the file, the 1-based line, and what was expected there.
struct AtlasError {
  std::string file;
  int line = 0;
  std::string expected;
  [[nodiscard]] std::string message() const;  ///< "file:line: expected ..."
};

struct AtlasLoad {
  std::optional<ThoraxAtlas> atlas;
  std::optional<AtlasError> error;
  [[nodiscard]] explicit operator bool() const { return atlas.has_value(); }
};

/// The dimension names the anatomy model draws (all must be in the file).
[[nodiscard]] std::span<const std::string_view> required_dimension_names();
/// The tissue names the CT model uses (all must be in the file).
[[nodiscard]] std::span<const std::string_view> required_tissue_names();

/// Parses atlas XML held in memory; `file` only names it in messages.
[[nodiscard]] AtlasLoad parse_thorax_atlas(std::string_view xml, std::string file);
/// Reads and parses an atlas file.
[[nodiscard]] AtlasLoad load_thorax_atlas(const std::filesystem::path& path);

}  // namespace rtaudit::phantom

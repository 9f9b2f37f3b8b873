#pragma once
// Guideline rule sets as data (rules/*.xml, format documented in docs/rules.md): for each target
// volume of a guideline (CTVn_IMN, CTVn_L4, ...) its borders as a landmark plus a signed offset and a
// pass/warn tolerance, the vessel margins it is built from, and the structures that clip it. No clinical
// number lives in this code: every value comes from the file, with its citation and "confirmed" mark.
//
// Loading never throws on a bad file: it returns the problems, each with the file, the 1-based line and
// what was expected there ("estro.xml:12: expected ...").

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::guideline {

/// The six borders of a target volume. Cranial/caudal are levels (z); the others are in-plane.
enum class Border { Cranial, Caudal, Medial, Lateral, Ventral, Dorsal };
[[nodiscard]] std::string_view to_string(Border b);
[[nodiscard]] std::optional<Border> parse_border(std::string_view text);

enum class Status { Published, Provisional };
[[nodiscard]] std::string_view to_string(Status s);

/// Which side of the patient a role refers to, relative to the treated (ipsilateral) side.
enum class Side { Ipsilateral, Contralateral, Both };
[[nodiscard]] std::string_view to_string(Side s);

/// What a landmark gives: a cranio-caudal level (a z) or an in-plane surface/position on each plane.
enum class LandmarkKind { Level, InPlane };

/// The closed landmark vocabulary (docs/rules.md lists the meaning of each name).
[[nodiscard]] std::span<const std::string_view> landmark_names();
[[nodiscard]] std::optional<LandmarkKind> landmark_kind(std::string_view name);  ///< nullopt: unknown
[[nodiscard]] inline bool is_known_landmark(std::string_view name) { return landmark_kind(name).has_value(); }

/// The closed list of structure role ids (shared with the names-to-roles table). `ptv_*` stands for any
/// id "ptv_" followed by lowercase letters, digits or '_' (e.g. ptv_imn, ptv_breast).
[[nodiscard]] std::span<const std::string_view> role_ids();
[[nodiscard]] bool is_known_role(std::string_view id);

/// Pass/warn/fail thresholds on the absolute deviation from the rule: |d| <= pass_mm passes,
/// |d| <= warn_mm warns, anything larger fails. Always 0 <= pass_mm <= warn_mm.
struct Tolerance {
  std::string id;      ///< the <tolerance id> it came from, empty when given inline
  double pass_mm = 0;
  double warn_mm = 0;
  std::string basis;   ///< where the thresholds come from (a citation id or a stated assumption)
};

enum class Grade { Pass, Warn, Fail };
[[nodiscard]] std::string_view to_string(Grade g);
/// Grades a signed deviation (mm) against a tolerance; a NaN deviation fails.
[[nodiscard]] Grade grade(const Tolerance& tolerance, double deviation_mm);

struct Citation {
  std::string id;       ///< referenced by source="..." attributes
  std::string type;     ///< article, atlas, trial, other
  std::string authors;  ///< or the issuing organisation
  std::string title;
  std::string journal;  ///< journal or publisher/website; empty for a trial registration
  int year = 0;          ///< 0 when not given (type "other")
  std::string volume;
  std::string pages;
  std::string doi;       ///< empty when none is known
  std::string registry;  ///< trial registration, e.g. NCT02603341
  std::string url;
  std::string note;
  int line = 0;
};

/// Another admissible position of a border, used when its condition holds.
struct BorderAlternative {
  std::string landmark;
  double offset_mm = 0;
  std::string condition;  ///< when it applies, in words (e.g. "selected cases, e.g. caudal tumours")
  bool confirmed = true;
  std::string note;
  std::vector<std::string> sources;
  int line = 0;
};

/// One border: it lies at `landmark` moved by `offset_mm` outward, i.e. towards the side the border
/// names (cranial border: + is cranial; caudal: + is caudal; medial: + is medial; lateral: + lateral;
/// ventral: + ventral; dorsal: + dorsal). A border the guideline does not state has stated == false,
/// no landmark and no tolerance: it is not audited.
struct BorderRule {
  Border side = Border::Cranial;
  bool stated = true;
  std::string landmark;
  double offset_mm = 0;
  Tolerance tolerance;
  bool confirmed = true;  ///< false where the wording comes from reproductions, not the primary text
  std::string note;
  std::vector<std::string> sources;  ///< citation ids
  std::vector<BorderAlternative> alternatives;
  int line = 0;
};

/// The cranio-caudal range of planes a vessel margin applies to, as two level landmarks
/// (`target.cranial` / `target.caudal` mean the target's own borders).
struct LevelRange {
  std::string caudal = "target.caudal";
  std::string cranial = "target.cranial";
  std::string text;  ///< the guideline's words, e.g. "up to and including ICS1"
};

/// A vessel the target is built from, dilated in-plane by margin_mm on the planes of `levels`.
struct VesselMargin {
  std::string role;  ///< im_vein, im_artery, ...
  double margin_mm = 0;
  LevelRange levels;
  Tolerance tolerance;  ///< for the audit of the realised margin around the vessel
  bool confirmed = true;
  std::string note;
  std::vector<std::string> sources;
  int line = 0;
};

enum class ClipMode { Subtract, Intersect };
[[nodiscard]] std::string_view to_string(ClipMode m);

/// A structure that limits the target: subtracted from it (lung, heart) or intersected with it (external).
struct Clip {
  std::string role;
  Side side = Side::Ipsilateral;
  ClipMode mode = ClipMode::Subtract;
  std::optional<Border> border;  ///< the border this clip realises, when it realises one
  bool confirmed = true;
  std::string note;
  std::vector<std::string> sources;
  int line = 0;
};

/// Overlap of the target with an organ (cc): |overlap| <= pass_cc passes, <= warn_cc warns, else fails.
struct OverlapLimit {
  std::string role;
  Side side = Side::Ipsilateral;
  double pass_cc = 0;
  double warn_cc = 0;
  std::string basis;
  std::string note;
  int line = 0;
};

struct TargetRule {
  std::string role;  ///< ctvn_imn, ctvn_l4
  std::string name;  ///< display / TG-263 name, e.g. "CTVn_IMN"
  Side side = Side::Ipsilateral;
  std::vector<BorderRule> borders;  ///< at most one per Border, in file order
  std::vector<VesselMargin> vessels;
  std::vector<Clip> clips;
  std::vector<OverlapLimit> overlaps;
  std::string note;
  int line = 0;

  [[nodiscard]] const BorderRule* border(Border b) const;             ///< nullptr: not in the file
  [[nodiscard]] const VesselMargin* vessel(std::string_view role) const;  ///< nullptr: none
};

struct Guideline {
  std::string file;     ///< where it was read from (for messages)
  int format = 0;       ///< rule-language version of the file
  std::string id;       ///< unique among loaded guidelines, e.g. "estro-2015"
  std::string version;  ///< the guideline's own version, e.g. "1.1"
  std::string title;
  Status status = Status::Published;
  std::vector<Citation> citations;
  std::vector<Tolerance> tolerances;  ///< named tolerance sets declared in the file
  std::string note;
  std::vector<TargetRule> targets;

  [[nodiscard]] const TargetRule* target(std::string_view role) const;  ///< by role id; nullptr: none
  [[nodiscard]] const Citation* citation(std::string_view id) const;
};

/// A problem in a rule file: the file, the 1-based line (0 when the file could not be read) and what
/// was expected there.
struct RuleError {
  std::string file;
  int line = 0;
  std::string expected;
  [[nodiscard]] std::string message() const;  ///< "file:line: expected ..."
};

struct GuidelineLoad {
  std::optional<Guideline> guideline;  ///< set only when there is no error
  std::vector<RuleError> errors;       ///< every problem found, in file order
  [[nodiscard]] explicit operator bool() const { return guideline.has_value(); }
};

/// Parses guideline XML held in memory; `file` only names it in messages.
[[nodiscard]] GuidelineLoad parse_guideline(std::string_view xml, std::string file);
/// Reads and parses one guideline file.
[[nodiscard]] GuidelineLoad load_guideline(const std::filesystem::path& path);

/// A file in a rules folder that is not a guideline (names.xml, heart constraints, ...): its root
/// element is not <guideline>. Listed so a misspelt root does not vanish silently.
struct SkippedFile {
  std::string file;
  std::string root;  ///< its root element name
};

struct GuidelineSet {
  std::vector<Guideline> guidelines;  ///< every good file, sorted by file name within each folder
  std::vector<RuleError> errors;      ///< every problem of every bad file
  std::vector<SkippedFile> skipped;

  [[nodiscard]] const Guideline* find(std::string_view id) const;
};

/// Loads every *.xml directly in `dir` whose root element is <guideline>; other roots are skipped and
/// listed, bad files reported while the good ones are kept. A missing folder is an error.
[[nodiscard]] GuidelineSet load_guidelines_dir(const std::filesystem::path& dir);
/// The same over several folders (the shipped rules/ and a department's own), in order; a guideline id
/// that is already loaded is an error naming both files, and the first one is kept.
[[nodiscard]] GuidelineSet load_guidelines_dirs(std::span<const std::filesystem::path> dirs);

}  // namespace rtaudit::guideline

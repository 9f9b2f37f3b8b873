#pragma once
// Structure names to anatomical roles (issue 4, "Names to roles").
//
// A structure set names its ROIs freely ("CTV IMN", "Lt Lung", "Poumon G", "Rib01_L"...). The guideline
// engine needs roles: which ROI is the ipsilateral IM vein, rib 4, the heart. This module maps names to
// roles with a data table (rules/names.xml, documented in docs/names.md):
//
//   1. normalise: fold accents, lowercase, split into tokens at anything that is not a letter or a digit,
//      and between letters and digits ("Rib01" -> rib 01) except for the table's atoms ("l4");
//   2. qualifiers: helper prefixes/tokens (z_, opt, old, ring...) exclude the ROI; derivation tokens
//      (prv, eval) map it to a derived role that never competes with the plain one;
//   3. match the tokens against every role's token patterns, first as they are, then with the side
//      markers (L, Lt, links, gauche, sin, izq, ipsi...) taken out into a side;
//   4. a name that matches no pattern, several roles, or conflicting sides gets no role, with the reason.
//
// assign_roles() then binds roles to ROI numbers. Two ROIs claiming the same role and side are always
// reported as an Ambiguity; one is chosen only when the interpreted type or an exact TG-263 name decides
// (the rule is recorded), never silently. User overrides always win and are recorded as such.
//
// Pure functions of value types, except the two file loaders. Bad user input gives results with reasons.

#include "rtaudit/case/structure_set.hpp"

#include <compare>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::anatomy {

/// The laterality of a role binding. `None`: the role has no side (heart). `Unknown`: the role has a side
/// but the name does not say it. Ipsilateral/Contralateral are relative to the treated side, which this
/// module does not know; see resolve_relative_side().
enum class Side { None, Unknown, Left, Right, Both, Ipsilateral, Contralateral };

[[nodiscard]] std::string_view to_string(Side s);
/// "left"/"l"/"lt", "right"/"r"/"rt", "both", "ipsi"/"ipsilateral", "contra"/"contralateral", "unknown",
/// "none" (case-insensitive); nullopt otherwise.
[[nodiscard]] std::optional<Side> parse_side(std::string_view text);
/// Ipsilateral/Contralateral turned into Left/Right for a treated side (Left or Right); other sides unchanged.
[[nodiscard]] Side resolve_relative_side(Side s, Side treated);

/// One entry of the role catalogue: the ids the rule engine refers to. The catalogue is fixed in code
/// (rules name these ids); names.xml says which names map to them and is checked against it at load.
struct RoleInfo {
  std::string_view id;           ///< e.g. "im_vein", "rib4", "ctvn_imn"
  bool sided = false;            ///< has a left/right
  std::string_view description;  ///< one line for reports
};
[[nodiscard]] std::span<const RoleInfo> role_catalogue();
[[nodiscard]] const RoleInfo* find_role(std::string_view id);

// ---------------------------------------------------------------------------------------------------
// The name table (rules/names.xml)

/// One position of a pattern: alternatives (literal tokens, or a rib number), possibly optional.
struct PatternPosition {
  std::vector<std::string> tokens;  ///< literal alternatives (classes already expanded)
  int number = 0;                   ///< > 0: the position is a number token equal to this (1, 01, i, first)
  bool optional = false;
};

struct NamePattern {
  std::string text;                     ///< as written in the file, e.g. "ctv|ctvn @imn"
  std::vector<PatternPosition> positions;
  Side side = Side::Unknown;            ///< fixed side (e.g. "limv" is left); Unknown: from markers
  std::vector<std::string> types;       ///< if not empty: only for these RTROIInterpretedTypes ("" = blank)
  int line = 0;                         ///< line in the file
};

struct RoleNames {
  std::string id;                   ///< a catalogue id
  int number = 0;                   ///< for numbered roles (rib4: 4), else 0
  std::string tg263;                ///< TG-263 name template: {S} = L/R, {nn} = 2-digit number, {n}
  std::vector<std::string> types;   ///< interpreted types expected for this role (tie-breaking, confidence)
  std::vector<NamePattern> patterns;
  int line = 0;
};

struct SideMarker {
  std::string token;
  Side side = Side::Unknown;
};

enum class QualifierKind { Derive, Exclude, ExcludeLeading };

struct Qualifier {
  std::string token;
  QualifierKind kind = QualifierKind::Exclude;
  std::string derivation;     ///< for Derive: "prv", "eval"
  bool takes_number = false;  ///< for Derive: a number right after belongs to it ("PRV5")
  std::string reason;
};

struct RejectedName {
  std::vector<PatternPosition> positions;
  std::string text;
  std::string reason;
  int line = 0;
};

struct NameTable {
  std::string file;
  std::string version;
  std::vector<std::string> atoms;  ///< tokens never split between letters and digits ("l4")
  std::vector<SideMarker> side_markers;
  std::vector<Qualifier> qualifiers;
  std::vector<RoleNames> roles;  ///< numbered roles expanded (rib1..rib12)
  std::vector<RejectedName> rejected;
};

/// Why a name table could not be read: the file, the 1-based line and what was expected there.
struct NameTableError {
  std::string file;
  int line = 0;
  std::string expected;
  [[nodiscard]] std::string message() const;  ///< "file:line: expected ..."
};

struct NameTableLoad {
  std::optional<NameTable> table;
  std::optional<NameTableError> error;
  [[nodiscard]] explicit operator bool() const { return table.has_value(); }
};

/// Parses names.xml held in memory; `file` only names it in messages.
[[nodiscard]] NameTableLoad parse_name_table(std::string_view xml, std::string file);
/// Reads and parses a names.xml file.
[[nodiscard]] NameTableLoad load_name_table(const std::filesystem::path& path);

/// The normalised tokens of a name (step 1 above), for reports and tests.
[[nodiscard]] std::vector<std::string> name_tokens(const NameTable& table, std::string_view roi_name);

// ---------------------------------------------------------------------------------------------------
// Matching one name

enum class MatchKind {
  NoMatch,   ///< no role; `reason` says why
  Excluded,  ///< a helper structure (z_, opt, old, ring...): deliberately no role
  Pattern,   ///< matched a synonym pattern
  Exact,     ///< the exact TG-263 name of the role and side
  Override,  ///< set by the user
};
[[nodiscard]] std::string_view to_string(MatchKind k);

enum class Confidence { None, Low, Medium, High };
[[nodiscard]] std::string_view to_string(Confidence c);

struct RoleMatch {
  std::string role;          ///< catalogue id; empty when no role
  Side side = Side::None;
  std::string derivation;    ///< "" for the plain role; "prv", "eval" for derived structures
  MatchKind kind = MatchKind::NoMatch;
  /// High: exact TG-263 name or override. Medium: pattern, interpreted type agrees or is blank.
  /// Low: pattern, interpreted type disagrees with the role's expected types. None: no role.
  Confidence confidence = Confidence::None;
  bool type_agrees = false;  ///< interpreted type blank or among the role's expected types
  std::string pattern;       ///< the synonym pattern (or TG-263 name, or override) that matched
  int pattern_line = 0;      ///< its line in names.xml (0 for overrides)
  std::string reason;        ///< one sentence: why this role, or why none
  [[nodiscard]] bool has_role() const { return !role.empty(); }
};

/// Maps one ROI name (with its RTROIInterpretedType, may be blank) to a role.
[[nodiscard]] RoleMatch match_name(const NameTable& table, std::string_view roi_name,
                                   std::string_view interpreted_type);

// ---------------------------------------------------------------------------------------------------
// Overrides

/// The user's word on one ROI. `roi` is a name (exact) or "#N" for ROI number N. `role` "none" removes
/// the ROI from every role.
struct RoleOverride {
  std::string roi;
  std::string role;
  Side side = Side::None;
  std::string origin;  ///< "command line" or "file:line"
};

struct Overrides {
  std::vector<RoleOverride> entries;
};

struct OverrideParse {
  std::optional<RoleOverride> value;
  std::string error;  ///< empty when value is set
};

/// Parses "NAME=ROLE[:SIDE]" (the --role option). The last '=' separates the name, which may contain
/// spaces. ROLE must be a catalogue id or "none"; SIDE as parse_side(), only for sided roles.
[[nodiscard]] OverrideParse parse_role_override(std::string_view text);

struct OverridesLoad {
  Overrides overrides;
  std::vector<std::string> errors;  ///< "file:line: ..." for each bad line
  [[nodiscard]] bool ok() const { return errors.empty(); }
};

/// Parses an override file: one "ROI name = role[:side]" a line, '#' starts a comment line, blank lines
/// ignored. Good lines are kept even when other lines are bad.
[[nodiscard]] OverridesLoad parse_overrides_text(std::string_view text, std::string file);
[[nodiscard]] OverridesLoad load_overrides_file(const std::filesystem::path& path);

// ---------------------------------------------------------------------------------------------------
// Assigning roles to a structure set

struct RoleKey {
  std::string role;
  Side side = Side::None;
  std::string derivation;
  auto operator<=>(const RoleKey&) const = default;
  [[nodiscard]] std::string to_string() const;  ///< "ctvn_imn:left", "heart/prv"
};

struct RoleBinding {
  RoleKey key;
  int roi_number = 0;
  std::string roi_name;
  /// "only candidate", "override", "interpreted type", "exact TG-263 name"
  std::string decided_by;
  RoleMatch match;
};

struct Ambiguity {
  RoleKey key;
  std::vector<int> candidates;  ///< ROI numbers claiming the key (a side-less name claims every side)
  std::optional<int> chosen;    ///< set only when a rule decided
  std::string decided_by;       ///< the rule, or "undecided"
  std::string message;
};

struct UnassignedRoi {
  int roi_number = 0;
  std::string name;
  std::string reason;
};

struct RoleAssignment {
  std::vector<RoleBinding> bindings;      ///< sorted by key
  std::vector<Ambiguity> ambiguities;
  std::vector<UnassignedRoi> unassigned;  ///< no role, excluded, or lost a contest
  std::vector<RoleMatch> matches;         ///< per ROI, in ROI-number order (see match_rois)
  std::vector<int> match_rois;
  std::vector<std::string> problems;      ///< e.g. an override naming no ROI

  [[nodiscard]] const RoleBinding* find(std::string_view role, Side side,
                                        std::string_view derivation = {}) const;
};

/// Binds roles to ROI numbers. Overrides first; then every ROI through match_name(); then contests per
/// role+side (a side-less candidate of a sided role takes part in every side's contest and can never win
/// one): one candidate binds; several are an Ambiguity resolved by (1) the interpreted type when exactly
/// one candidate has an expected type, else (2) an exact TG-263 name when exactly one has it, else none.
[[nodiscard]] RoleAssignment assign_roles(const NameTable& table, const StructureSet& structures,
                                          const Overrides& overrides);

}  // namespace rtaudit::anatomy

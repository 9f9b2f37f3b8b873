#pragma once
// Recurrences and other points of interest (IM sentinel nodes, nodes suspicious on imaging) in the
// CSV and JSON formats of docs/recurrences.md. Reading never throws: every rejected row is reported
// with its line (CSV) or index (JSON) and the reason.

#include "rtaudit/case/diagnostic.hpp"
#include "rtaudit/geom/types.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::recurrence {

struct PointRecord {
  std::string patient_id;
  std::string point_id;
  std::string kind = "recurrence";  ///< recurrence | sentinel_node | suspicious_node
  geom::Point3 position_mm;         ///< DICOM patient coordinates (LPS)
  std::string frame_of_reference_uid;
  std::optional<double> radius_mm;
  std::optional<double> volume_cc;
  std::string date;      ///< YYYY-MM-DD or DICOM DA
  std::string site;      ///< free text, e.g. "IMN ICS2 left"
  std::string modality;  ///< detection modality, e.g. CT, MRI, PET/CT, SPECT/CT, US
  // Where the record came from (not part of the file formats; filled by the readers and mappers).
  std::string source;                         ///< e.g. "recurrences.csv line 3", "RS_followup.dcm ROI 4 'GTV_rec'"
  std::string source_frame_of_reference_uid;  ///< the frame it was given in, when moved by a registration
  std::string registration_sop_instance_uid;  ///< the REG that moved it (empty: given in the planning frame)
};

struct PointsRead {
  std::vector<PointRecord> points;
  std::vector<Diagnostic> problems;
};

[[nodiscard]] bool is_known_kind(std::string_view kind);

[[nodiscard]] std::string to_csv(const std::vector<PointRecord>& points);
[[nodiscard]] nlohmann::ordered_json to_json(const std::vector<PointRecord>& points);

[[nodiscard]] PointsRead parse_csv(std::string_view text, const std::string& file);
[[nodiscard]] PointsRead parse_json(std::string_view text, const std::string& file);

}  // namespace rtaudit::recurrence

#pragma once
// What the DICOM node (issue 9, `rtaudit serve`) knows of one object it has stored: its identity, where
// it sits in the storage tree, and what it refers to. Pure value types and the rules that keep a peer's
// strings from ever becoming a path unchecked.

#include "rtaudit/case/dicom_object.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::net {

struct ReceivedObject {
  ObjectKind kind = ObjectKind::Other;  ///< CT, RTSTRUCT, RTPLAN, RTDOSE or REG
  std::string sop_class_uid, sop_instance_uid;
  std::string patient_key;  ///< keyed hash of the Patient ID (patient_key()), never the ID itself
  std::string study_uid, series_uid;
  std::string frame_of_reference_uid;        ///< the object's own (RTSTRUCT: the one its contours use)
  std::vector<std::string> referenced_frames;       ///< RTSTRUCT, REG: frames of reference it names
  std::vector<std::string> referenced_series;       ///< RTSTRUCT: the image series its contours lie on
  std::vector<std::string> referenced_images;       ///< RTSTRUCT: contour image SOP Instance UIDs
  std::vector<std::string> referenced_structure_sets;  ///< RTPLAN: ReferencedStructureSetSequence
  std::vector<std::string> referenced_plans;        ///< RTDOSE: ReferencedRTPlanSequence
  std::string path;           ///< relative to the storage folder: objects/<patient>/<study>/<series>/<sop>.dcm
  std::uint64_t bytes = 0;
  double received_at = 0;     ///< seconds since the epoch (the file's modification time after a restart)
};

/// True when `uid` may name a folder or file of the storage tree: 1-64 characters, digits and dots only,
/// no empty component (so never "", ".", ".." or a "/"). Leading zeros, which PS3.5 forbids but some
/// old systems write, are accepted: they are harmless in a path and refusing them would lose real data.
[[nodiscard]] bool is_path_safe_uid(std::string_view uid);

/// "p" + 16 hex digits of SHA-256("rtaudit-patient:" + Patient ID): groups a patient's objects without
/// putting the ID in a path or a log.
[[nodiscard]] std::string patient_key(std::string_view patient_id);

/// objects/<patient_key>/<study>/<series>/<sop>.dcm; empty when any UID is not path-safe or the patient
/// key is not one patient_key() makes.
[[nodiscard]] std::string object_relative_path(const ReceivedObject& o);

/// The SOP classes the node accepts (CT Image, RT Structure Set, RT Plan, RT Dose, Spatial and Deformable
/// Spatial Registration), and the kind each stands for.
struct AcceptedClass {
  const char* uid;
  const char* name;
  ObjectKind kind;
};
[[nodiscard]] const std::vector<AcceptedClass>& accepted_sop_classes();
[[nodiscard]] bool is_accepted_sop_class(std::string_view uid);

}  // namespace rtaudit::net

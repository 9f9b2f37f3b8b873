#include "rtaudit/dicom/write_reg.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <span>

namespace rtaudit::dicom {
namespace {

using detail::ElementWriter;

/// Problems with one frame's matrix that DICOM would accept but that contradict its type.
std::string check_frame(const FrameRegistration& f) {
  const std::string type = f.matrix_type.empty() ? std::string("RIGID") : f.matrix_type;
  if (type != "RIGID" && type != "RIGID_SCALE" && type != "AFFINE")
    return fmt::format("FrameOfReferenceTransformationMatrixType (0070,030c): '{}' is not RIGID, RIGID_SCALE or AFFINE",
                       type);
  const Matrix4& m = f.to_registration_frame;
  if (!std::all_of(m.begin(), m.end(), [](double v) { return std::isfinite(v); }))
    return "FrameOfReferenceTransformationMatrix (3006,00c6): a value is not finite";
  if (m[12] != 0 || m[13] != 0 || m[14] != 0 || m[15] != 1)
    return "FrameOfReferenceTransformationMatrix (3006,00c6): the last row must be 0 0 0 1";
  // A file that says RIGID must be rigid: readers (rtaudit's included) invert it by transposition.
  if (type == "RIGID" && !is_rigid(m))
    return "FrameOfReferenceTransformationMatrix (3006,00c6): typed RIGID but not rigid (rotation part not orthonormal "
           "with determinant +1)";
  return {};
}

void write_frame(ElementWriter& item, const FrameRegistration& f, const RegistrationSpec& spec) {
  item.uid(DCM_FrameOfReferenceUID, f.frame_of_reference_uid);
  // The images of the frame, when given: the Common Instance Reference module may only list
  // instances the object references (dciodvfy checks it), and this is where a REG references them.
  for (const auto& s : spec.series) {
    if (s.frame_of_reference_uid != f.frame_of_reference_uid) continue;
    for (const std::string& uid : s.sop_instance_uids) {
      ElementWriter r = item.append_item(DCM_ReferencedImageSequence);
      r.uid(DCM_ReferencedSOPClassUID, s.sop_class_uid);
      r.uid(DCM_ReferencedSOPInstanceUID, uid);
    }
  }
  ElementWriter mr = item.append_item(DCM_MatrixRegistrationSequence);
  mr.empty(DCM_RegistrationTypeCodeSequence);
  ElementWriter m = mr.append_item(DCM_MatrixSequence);
  m.ds(DCM_FrameOfReferenceTransformationMatrix, std::span<const double>(f.to_registration_frame));
  m.required(DCM_FrameOfReferenceTransformationMatrixType, f.matrix_type.empty() ? "RIGID" : f.matrix_type);
}

void write_series_ref(ElementWriter& w, const RegistrationSpec::SeriesRef& s) {
  w.uid(DCM_SeriesInstanceUID, s.series_uid);
  for (const std::string& uid : s.sop_instance_uids) {
    ElementWriter r = w.append_item(DCM_ReferencedInstanceSequence);
    r.uid(DCM_ReferencedSOPClassUID, s.sop_class_uid);
    r.uid(DCM_ReferencedSOPInstanceUID, uid);
  }
}

}  // namespace

WriteResult write_spatial_registration(const std::filesystem::path& path, const StudyIdentity& identity,
                                       const RegistrationSpec& spec) {
  const std::string file = path.string();
  if (spec.frames.empty()) return {fmt::format("{}: RegistrationSequence (0070,0308): no frame to register", file)};
  std::set<std::string> frames;
  for (std::size_t i = 0; i < spec.frames.size(); ++i) {
    if (std::string e = check_frame(spec.frames[i]); !e.empty())
      return {fmt::format("{}: RegistrationSequence[{}] > {}", file, i, e)};
    frames.insert(spec.frames[i].frame_of_reference_uid);
  }
  for (std::size_t i = 0; i < spec.series.size(); ++i) {
    const auto& s = spec.series[i];
    if (!frames.count(s.frame_of_reference_uid))
      return {fmt::format("{}: series reference {}: frame {} is not one the registration registers (its images "
                          "are referenced from that frame's RegistrationSequence item)",
                          file, i, s.frame_of_reference_uid)};
    if (s.sop_instance_uids.empty())
      return {fmt::format("{}: series reference {}: ReferencedInstanceSequence (0008,114a) is Type 1 and the series "
                          "lists no instance",
                          file, i)};
  }

  DcmFileFormat ff;
  detail::WriteContext ctx{file, {}};
  ElementWriter w(ctx, *ff.getDataset());
  const bool utf8 =
      detail::any_non_ascii({identity.patient_name, identity.patient_id, identity.study_id, identity.institution_name,
                             identity.institutional_department_name, identity.operator_name, identity.manufacturer});
  detail::write_character_set(w, utf8);
  detail::write_sop_common(w, identity, UID_SpatialRegistrationStorage, spec.sop_instance_uid);
  detail::write_patient_and_study(w, identity);
  // General Series and Spatial Registration Series (which only fixes the modality).
  detail::write_series(w, identity, "REG", spec.series_instance_uid, spec.series_number, {});
  // Laterality (2C) is needed for a paired body part: an unpaired BodyPartExamined makes it not
  // applicable; without one it is written empty (unknown), as dciodvfy asks (as the CT writer does).
  if (spec.body_part_examined.empty()) {
    w.empty(DCM_Laterality);
  } else {
    w.optional(DCM_BodyPartExamined, spec.body_part_examined);
  }
  detail::write_frame_of_reference(w, identity);
  detail::write_equipment(w, identity);

  // Spatial Registration: Content Identification, content date and time, one item per frame.
  w.is(DCM_InstanceNumber, 1);
  w.required(DCM_ContentLabel, spec.content_label);
  w.type2(DCM_ContentDescription, "");
  w.type2(DCM_ContentCreatorName, identity.operator_name);
  w.required(DCM_ContentDate, spec.content_date.empty() ? identity.study_date : spec.content_date);
  w.required(DCM_ContentTime, spec.content_time.empty() ? identity.study_time : spec.content_time);
  for (const FrameRegistration& f : spec.frames) {
    ElementWriter item = w.append_item(DCM_RegistrationSequence);
    write_frame(item, f, spec);
  }

  // Common Instance Reference: series of this study directly, the others under their study.
  std::map<std::string, std::vector<const RegistrationSpec::SeriesRef*>> other_studies;
  for (const auto& s : spec.series) {
    if (s.study_uid.empty() || s.study_uid == identity.study_uid) {
      ElementWriter r = w.append_item(DCM_ReferencedSeriesSequence);
      write_series_ref(r, s);
    } else {
      other_studies[s.study_uid].push_back(&s);
    }
  }
  for (const auto& [study, series] : other_studies) {
    ElementWriter st = w.append_item(DCM_StudiesContainingOtherReferencedInstancesSequence);
    st.uid(DCM_StudyInstanceUID, study);
    for (const auto* s : series) {
      ElementWriter r = st.append_item(DCM_ReferencedSeriesSequence);
      write_series_ref(r, *s);
    }
  }
  if (!ctx.ok()) return {ctx.error};
  return {detail::save(ff, path)};
}

}  // namespace rtaudit::dicom

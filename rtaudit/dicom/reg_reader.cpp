#include "rtaudit/dicom/reg_reader.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "rtaudit/dicom/elements.hpp"
#include "rtaudit/dicom/load.hpp"

namespace rtaudit::dicom {
namespace {

/// Every item of a sequence (none when absent).
std::vector<DcmItem*> items(DcmItem& item, const DcmTagKey& tag) {
  std::vector<DcmItem*> out;
  DcmSequenceOfItems* seq = nullptr;
  if (item.findAndGetSequence(tag, seq).good() && seq != nullptr) {
    for (unsigned long i = 0; i < seq->card(); ++i) out.push_back(seq->getItem(i));
  }
  return out;
}

/// The composed matrix of one Registration Sequence item, or the reason it cannot be used rigidly.
struct ItemMatrix {
  Matrix4 matrix = identity_matrix();
  std::string problem_element;
  std::string problem;  ///< empty when the matrix is usable
  std::string note;     ///< a tolerated oddity (absent type taken as RIGID)
};

ItemMatrix compose_item(DcmItem& item, const std::string& where) {
  ItemMatrix out;
  auto refuse = [&](std::string element, std::string why) {
    out.problem_element = std::move(element);
    out.problem = std::move(why);
    return out;
  };
  const auto mrs = items(item, DCM_MatrixRegistrationSequence);
  if (mrs.empty()) return refuse(at(where, DCM_MatrixRegistrationSequence), "absent or empty; the item has no matrix");
  // PS3.3 C.20.2 allows one item only; a second would be a second, contradicting registration.
  if (mrs.size() > 1)
    out.note = fmt::format("{}: {} items where one is allowed; the first is used",
                           at(where, DCM_MatrixRegistrationSequence), mrs.size());
  const std::string mwhere = item_name(where, DCM_MatrixRegistrationSequence, 0);
  const auto ms = items(*mrs[0], DCM_MatrixSequence);
  if (ms.empty()) return refuse(at(mwhere, DCM_MatrixSequence), "absent or empty; the item has no matrix");
  for (std::size_t j = 0; j < ms.size(); ++j) {
    DcmItem& m = *ms[j];
    const std::string here = item_name(mwhere, DCM_MatrixSequence, j);
    const std::string type = get_string(m, DCM_FrameOfReferenceTransformationMatrixType);
    if (!type.empty() && type != "RIGID")
      return refuse(at(here, DCM_FrameOfReferenceTransformationMatrixType),
                    fmt::format("'{}': only RIGID matrices are used, a {} registration is never approximated by a "
                                "rigid one; item skipped",
                                type, type == "RIGID_SCALE" ? "scaling" : "non-rigid"));
    const std::vector<double> v = get_numbers(m, DCM_FrameOfReferenceTransformationMatrix);
    if (v.size() != 16 || !std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); }))
      return refuse(at(here, DCM_FrameOfReferenceTransformationMatrix),
                    fmt::format("'{}' is not 16 finite numbers; item skipped",
                                get_string(m, DCM_FrameOfReferenceTransformationMatrix).substr(0, 120)));
    Matrix4 mat{};
    std::copy(v.begin(), v.end(), mat.begin());
    if (!is_rigid(mat, kRegistrationRigidTolerance))
      return refuse(at(here, DCM_FrameOfReferenceTransformationMatrix),
                    fmt::format("not rigid within {} (rotation part not orthonormal with determinant +1, or last row "
                                "not 0 0 0 1) {}; item skipped",
                                kRegistrationRigidTolerance,
                                type.empty() ? "and without a type" : "although typed RIGID"));
    if (type.empty())
      out.note = fmt::format("{}: absent; the matrix is rigid within {} and is used as RIGID",
                             at(here, DCM_FrameOfReferenceTransformationMatrixType), kRegistrationRigidTolerance);
    // The items of the Matrix Sequence are applied in order: the later ones act on the result.
    out.matrix = multiply(mat, out.matrix);
  }
  return out;
}

}  // namespace

std::optional<SpatialRegistration> read_spatial_registration(const std::string& file,
                                                            std::vector<Diagnostic>& problems) {
  LoadedFile loaded = [&] {
    const UnknownVrConversion convert;
    return load_file(file, LoadDepth::Header);
  }();
  auto fail = [&](std::string element, std::string message) -> std::optional<SpatialRegistration> {
    problems.push_back({Severity::Error, file, std::move(element), std::move(message)});
    return std::nullopt;
  };
  if (!loaded.file) return fail("", loaded.error + "; not read as a spatial registration");
  DcmDataset& ds = *loaded.file->getDataset();

  const std::string sop_class = get_string(ds, DCM_SOPClassUID);
  if (sop_class == UID_DeformableSpatialRegistrationStorage)
    return fail(describe(DCM_SOPClassUID),
                "a Deformable Spatial Registration: a deformable registration is never approximated by a rigid one; "
                "not used");
  if (sop_class != UID_SpatialRegistrationStorage)
    return fail(describe(DCM_SOPClassUID),
                fmt::format("'{}' is not Spatial Registration Storage (modality '{}'); not used", sop_class,
                            get_string(ds, DCM_Modality)));

  SpatialRegistration reg;
  reg.file = file;
  reg.sop_instance_uid = get_string(ds, DCM_SOPInstanceUID);
  reg.frame_of_reference_uid = get_string(ds, DCM_FrameOfReferenceUID);
  if (reg.frame_of_reference_uid.empty())
    return fail(describe(DCM_FrameOfReferenceUID), "absent: the frame the registration maps into is unknown; not used");

  auto report = [&](Severity severity, std::string element, std::string message) {
    const Diagnostic d{severity, file, std::move(element), std::move(message)};
    reg.problems.push_back(d);
    problems.push_back(d);
  };

  const auto regs = items(ds, DCM_RegistrationSequence);
  if (regs.empty()) return fail(describe(DCM_RegistrationSequence), "absent or empty; the file registers no frame");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < regs.size(); ++i) {
    DcmItem& item = *regs[i];
    const std::string where = item_name("", DCM_RegistrationSequence, i);
    const std::string frame = get_string(item, DCM_FrameOfReferenceUID);
    if (frame.empty()) {
      // The frame could only be found through the referenced images, which are not at hand here.
      report(Severity::Warning, at(where, DCM_FrameOfReferenceUID),
             items(item, DCM_ReferencedImageSequence).empty()
                 ? "absent; the item registers no frame; item skipped"
                 : "absent; the item registers images (ReferencedImageSequence) instead of a frame, which are not "
                   "resolved; item skipped");
      continue;
    }
    ItemMatrix m = compose_item(item, where);
    if (!m.note.empty()) report(Severity::Info, where, m.note);
    if (!m.problem.empty()) {
      report(Severity::Warning, m.problem_element, m.problem);
      continue;
    }
    if (!seen.insert(frame).second) {
      report(Severity::Warning, at(where, DCM_FrameOfReferenceUID),
             "a frame already registered by an earlier item; the earlier item is used, this one skipped");
      continue;
    }
    reg.frames.push_back({frame, m.matrix, "RIGID"});
  }
  if (reg.frames.empty())
    return fail(describe(DCM_RegistrationSequence),
                fmt::format("none of its {} items is a usable rigid registration; not used", regs.size()));
  return reg;
}

}  // namespace rtaudit::dicom

#include "rtaudit/dicom/export_rtstruct.hpp"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcstack.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcvr.h>
#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <system_error>

#include "rtaudit/case/uid.hpp"
#include "rtaudit/dicom/elements.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/rtstruct_reader.hpp"
#include "rtaudit/dicom/write_common.hpp"

namespace rtaudit::dicom {
namespace {

namespace fs = std::filesystem;

// The longest value an explicit VR 16-bit length field can announce (even length).
constexpr Uint32 kMaxShortLength = 65534;
// PS3.3 C.8.8.16: the RT Approval module's status of a structure set nobody has approved.
constexpr const char* kUnapproved = "UNAPPROVED";

// A slice a new contour can reference: its SOP class and instance, and where it lies.
struct SliceRef {
  std::string sop_class_uid;
  std::string sop_instance_uid;
  double z_mm = 0;
  bool explicitly_given = false;
};

ExportResult failure(std::string message) {
  ExportResult r;
  r.error = std::move(message);
  return r;
}

DcmSequenceOfItems* find_sequence(DcmItem& item, const DcmTagKey& tag) {
  DcmSequenceOfItems* seq = nullptr;
  if (item.findAndGetSequence(tag, seq).bad()) return nullptr;
  return seq;
}

// The slices the source's own contours reference, each at the z of those contours. A slice
// referenced from planes further apart than the tolerance has no single z and is left out.
std::vector<SliceRef> slices_from_source(DcmDataset& ds, double tolerance_mm) {
  struct Seen {
    SliceRef ref;
    bool consistent = true;
  };
  std::map<std::string, Seen> seen;
  DcmSequenceOfItems* rois = find_sequence(ds, DCM_ROIContourSequence);
  for (unsigned long i = 0; rois != nullptr && i < rois->card(); ++i) {
    DcmSequenceOfItems* contours = find_sequence(*rois->getItem(i), DCM_ContourSequence);
    for (unsigned long c = 0; contours != nullptr && c < contours->card(); ++c) {
      DcmItem& contour = *contours->getItem(c);
      const geom::GeometricType type = geom::parse_geometric_type(get_string(contour, DCM_ContourGeometricType));
      if (type == geom::GeometricType::OpenNonplanar || type == geom::GeometricType::Unknown) continue;
      DcmItem* image = nullptr;
      if (contour.findAndGetSequenceItem(DCM_ContourImageSequence, image, 0).bad() || image == nullptr) continue;
      const std::string uid = get_string(*image, DCM_ReferencedSOPInstanceUID);
      const auto z = get_number(contour, DCM_ContourData, 2);
      if (uid.empty() || !z || !std::isfinite(*z)) continue;
      auto [it, inserted] = seen.try_emplace(uid);
      if (inserted) {
        it->second.ref = {get_string(*image, DCM_ReferencedSOPClassUID), uid, *z, false};
        if (it->second.ref.sop_class_uid.empty()) it->second.ref.sop_class_uid = UID_CTImageStorage;
      } else if (std::abs(it->second.ref.z_mm - *z) > tolerance_mm) {
        it->second.consistent = false;
      }
    }
  }
  std::vector<SliceRef> out;
  for (auto& [uid, s] : seen) {
    if (s.consistent) out.push_back(std::move(s.ref));
  }
  return out;
}

// The largest ObservationNumber the source uses (0 when none).
long long max_observation_number(DcmDataset& ds) {
  long long best = 0;
  DcmSequenceOfItems* seq = find_sequence(ds, DCM_RTROIObservationsSequence);
  for (unsigned long i = 0; seq != nullptr && i < seq->card(); ++i) {
    if (const auto n = get_number(*seq->getItem(i), DCM_ObservationNumber)) {
      if (std::isfinite(*n) && *n > static_cast<double>(best)) best = static_cast<long long>(*n);
    }
  }
  return best;
}

// True when some value is too long for an explicit VR 16-bit length field.
bool needs_implicit_vr(DcmDataset& ds) {
  DcmStack stack;
  while (ds.nextObject(stack, OFTrue).good()) {
    DcmObject* obj = stack.top();
    if (obj == nullptr || !obj->isLeaf()) continue;
    const DcmVR vr(obj->getVR());
    if (!vr.usesExtendedLengthEncoding() && obj->getLength(EXS_LittleEndianExplicit) > kMaxShortLength) return true;
  }
  return false;
}

// Characters (UTF-8 code points) of a text value: DICOM's maximum lengths of SH, LO, ST and CS
// count characters. DCMTK 3.6.7's checkValue does not check them, so the exporter does.
std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u ? 1 : 0;
  return n;
}

// The rings of one polygon: the outer ring first, then its holes.
std::vector<const geom::Ring*> rings_of(const geom::Polygon& polygon) {
  std::vector<const geom::Ring*> out{&polygon.outer()};
  for (const geom::Ring& inner : polygon.inners()) out.push_back(&inner);
  return out;
}

class Exporter {
 public:
  Exporter(const fs::path& source, const fs::path& destination, const std::vector<NewRoi>& rois,
           const ExportOptions& options)
      : source_(source), destination_(destination), rois_(rois), options_(options) {
    context_.file = destination.string();
  }

  ExportResult run() {
    if (std::string e = check_destination(); !e.empty()) return failure(std::move(e));
    LoadedFile loaded = load_file(source_.string(), LoadDepth::Full);
    if (!loaded.file) return failure(fmt::format("{}: {}", source_.string(), loaded.error));
    DcmDataset& ds = *loaded.file->getDataset();
    // Nothing of the copy may depend on the source file staying where it is.
    if (const OFCondition c = loaded.file->loadAllDataIntoMemory(); c.bad())
      return failure(fmt::format("{}: cannot read every value: {}", source_.string(), c.text()));
    const std::string sop_class = get_string(ds, DCM_SOPClassUID);
    if (sop_class != UID_RTStructureSetStorage) {
      return failure(fmt::format("{}: SOPClassUID (0008,0016) is '{}', not RT Structure Set Storage ({})",
                                 source_.string(), sop_class, UID_RTStructureSetStorage));
    }
    if (std::string e = check_uids(ds); !e.empty()) return failure(std::move(e));

    const StructureSet existing = read_structure_set(ds, source_.string());
    frame_uid_ = existing.frame_of_reference_uid;
    if (!is_valid_uid(frame_uid_)) {
      return failure(fmt::format("{}: ReferencedFrameOfReferenceSequence (3006,0010): no valid frame of reference "
                                 "('{}') to attach the new ROIs to",
                                 source_.string(), frame_uid_));
    }
    int max_roi = 0;
    for (const auto& [number, roi] : existing.rois) {
      max_roi = std::max(max_roi, number);
      existing_names_.insert(roi.name);
    }
    next_roi_ = static_cast<long long>(max_roi) + 1;
    next_observation_ = max_observation_number(ds) + 1;
    if (options_.referenced_slices.empty()) {
      slices_ = slices_from_source(ds, options_.slice_match_tolerance_mm);
    } else {
      for (const CtSliceRef& s : options_.referenced_slices) {
        if (!is_valid_uid(s.sop_instance_uid)) {
          return failure(fmt::format("{}: ExportOptions::referenced_slices: '{}' is not a valid UID",
                                     destination_.string(), s.sop_instance_uid));
        }
        slices_.push_back({UID_CTImageStorage, s.sop_instance_uid, s.position[2], true});
      }
    }

    if (!fits("StructureSetLabel (3006,0002)", options_.structure_set_label, 16) ||
        !fits("SeriesDescription (0008,103e)", options_.series_description, 64))
      return failure(context_.error);
    detail::ElementWriter w(context_, ds);
    if (!set_character_set(ds, loaded.charset_problem)) return failure(context_.error);
    write_identity(w, ds, source_sop_uid_);
    for (const NewRoi& roi : rois_) write_roi(w, roi);
    list_referenced_slices(ds);
    if (!context_.ok()) return failure(context_.error);

    const E_TransferSyntax xfer = needs_implicit_vr(ds) ? EXS_LittleEndianImplicit : EXS_LittleEndianExplicit;
    if (std::string e = save_via_temporary(*loaded.file, xfer); !e.empty()) return failure(std::move(e));
    ExportResult result;
    result.roi_numbers = std::move(roi_numbers_);
    result.warnings = std::move(warnings_);
    return result;
  }

 private:
  std::string check_destination() const {
    std::error_code ec;
    const fs::path folder = destination_.has_parent_path() ? destination_.parent_path() : fs::path(".");
    if (destination_.filename().empty())
      return fmt::format("{}: the destination names a folder, not a file", destination_.string());
    if (!fs::is_directory(folder, ec))
      return fmt::format("{}: the destination folder '{}' does not exist", destination_.string(), folder.string());
    if (fs::is_directory(destination_, ec))
      return fmt::format("{}: the destination is a folder, not a file", destination_.string());
    if (fs::exists(destination_, ec) && fs::equivalent(source_, destination_, ec))
      return fmt::format("{}: the destination is the source structure set; it is never overwritten",
                         destination_.string());
    return {};
  }

  std::string check_uids(DcmDataset& ds) {
    source_sop_uid_ = get_string(ds, DCM_SOPInstanceUID);
    const std::string source_series = get_string(ds, DCM_SeriesInstanceUID);
    const auto bad = [&](std::string_view element, const std::string& uid, std::string_view why) {
      return fmt::format("{}: ExportOptions: {} '{}' {}", destination_.string(), element, uid, why);
    };
    if (!is_valid_uid(options_.sop_instance_uid))
      return bad("SOPInstanceUID (0008,0018)", options_.sop_instance_uid, "is not a valid UID");
    if (!is_valid_uid(options_.series_instance_uid))
      return bad("SeriesInstanceUID (0020,000e)", options_.series_instance_uid, "is not a valid UID");
    if (options_.sop_instance_uid == source_sop_uid_)
      return bad("SOPInstanceUID (0008,0018)", options_.sop_instance_uid, "is the source's; the copy needs its own");
    if (options_.series_instance_uid == source_series)
      return bad("SeriesInstanceUID (0020,000e)", options_.series_instance_uid,
                 "is the source's series; the copy is a new series");
    if (options_.series_instance_uid == options_.sop_instance_uid)
      return bad("SeriesInstanceUID (0020,000e)", options_.series_instance_uid, "is also the SOP Instance UID");
    return {};
  }

  // False (and the context holds why) when `value` is longer than its VR allows.
  bool fits(std::string_view element, std::string_view value, std::size_t max_characters) {
    if (characters(value) <= max_characters) return true;
    context_.fail(element, fmt::format("'{}' is longer than the {} characters its VR allows", value, max_characters));
    return false;
  }

  // UTF-8 (ISO_IR 192) when a new text needs it. load_file has already converted a source in
  // another character set to UTF-8; one it could not convert cannot take non-ASCII text.
  bool set_character_set(DcmDataset& ds, const std::string& charset_problem) {
    bool non_ascii = detail::any_non_ascii({options_.structure_set_label, options_.series_description});
    for (const NewRoi& roi : rois_) non_ascii = non_ascii || detail::any_non_ascii({roi.name, roi.description});
    if (!non_ascii) return true;
    const std::string charset = get_string(ds, DCM_SpecificCharacterSet);
    if (!charset_problem.empty()) {
      context_.fail("SpecificCharacterSet (0008,0005)",
                    fmt::format("new names are not ASCII and the source's {}", charset_problem));
      return false;
    }
    if (charset.empty() || charset == "ISO_IR 6") {
      detail::ElementWriter w(context_, ds);
      w.required(DCM_SpecificCharacterSet, "ISO_IR 192");
    }
    return context_.ok();
  }

  void write_identity(detail::ElementWriter& w, DcmDataset& ds, const std::string& source_uid) {
    w.uid(DCM_SOPInstanceUID, options_.sop_instance_uid);
    w.uid(DCM_SeriesInstanceUID, options_.series_instance_uid);
    if (options_.series_number) w.is(DCM_SeriesNumber, *options_.series_number);
    if (options_.series_description.empty()) {
      ds.findAndDeleteElement(DCM_SeriesDescription);
    } else {
      w.required(DCM_SeriesDescription, options_.series_description);
    }
    if (get_string(ds, DCM_Modality) != "RTSTRUCT") {
      warnings_.push_back(fmt::format("Modality (0008,0060) was '{}'; written RTSTRUCT", get_string(ds, DCM_Modality)));
      w.required(DCM_Modality, "RTSTRUCT");
    }
    w.required(DCM_StructureSetLabel, options_.structure_set_label);
    w.type2(DCM_StructureSetDate, options_.date);
    w.type2(DCM_StructureSetTime, options_.time);
    ds.findAndDeleteElement(DCM_InstanceCreationDate);
    ds.findAndDeleteElement(DCM_InstanceCreationTime);
    w.optional(DCM_InstanceCreationDate, options_.date);
    w.optional(DCM_InstanceCreationTime, options_.time);

    // The copy derives from the source (PS3.3 C.8.8.5, Type 3): name it, and only it.
    ds.findAndDeleteElement(DCM_PredecessorStructureSetSequence);
    detail::ElementWriter pred = w.append_item(DCM_PredecessorStructureSetSequence);
    pred.uid(DCM_ReferencedSOPClassUID, UID_RTStructureSetStorage);
    pred.uid(DCM_ReferencedSOPInstanceUID, source_uid);

    // Nobody approved the new ROIs: an approval of the source does not carry over.
    const std::string approval = get_string(ds, DCM_ApprovalStatus);
    if (!approval.empty() && approval != kUnapproved) {
      warnings_.push_back(fmt::format("the source's ApprovalStatus {} is not carried over: the copy is {}", approval,
                                      kUnapproved));
      w.required(DCM_ApprovalStatus, kUnapproved);
      ds.findAndDeleteElement(DCM_ReviewDate);
      ds.findAndDeleteElement(DCM_ReviewTime);
      ds.findAndDeleteElement(DCM_ReviewerName);
    }
    for (const DcmTagKey& tag : {DCM_DigitalSignaturesSequence, DCM_MACParametersSequence}) {
      if (ds.findAndDeleteElement(tag).good())
        warnings_.push_back(fmt::format("{} removed: the source's signatures do not cover the copy", describe(tag)));
    }
  }

  const SliceRef* slice_at(double z_mm) {
    const SliceRef* best = nullptr;
    double best_d = options_.slice_match_tolerance_mm;
    for (const SliceRef& s : slices_) {
      const double d = std::abs(s.z_mm - z_mm);
      if (d <= best_d) {
        best = &s;
        best_d = d;
      }
    }
    return best;
  }

  static bool has_area(const geom::Structure& s) {
    for (const geom::Plane& p : s.planes) {
      if (!p.region.empty()) return true;
    }
    return false;
  }

  void write_roi(detail::ElementWriter& w, const NewRoi& roi) {
    if (!w.ok()) return;
    if (!has_area(roi.structure)) {
      warnings_.push_back(fmt::format("ROI '{}' has no contour (no plane with a region): not written", roi.name));
      roi_numbers_.push_back(0);
      return;
    }
    if (next_roi_ > 2147483647LL) {
      w.fail(DCM_ROINumber, fmt::format("ROI '{}': no ROI number left above {}", roi.name, next_roi_ - 1));
      return;
    }
    const long long number = next_roi_++;
    const long long observation = next_observation_++;
    const std::string roi_where = fmt::format("new ROI {} '{}'", number, roi.name);
    if (roi.name.empty()) {
      context_.fail(roi_where + " > ROIName (3006,0026)", "ROI has no name");
      return;
    }
    if (!fits(roi_where + " > ROIName (3006,0026)", roi.name, 64) ||
        !fits(roi_where + " > ROIDescription (3006,0028)", roi.description, 1024) ||
        !fits(roi_where + " > ROIGenerationAlgorithm (3006,0036)", roi.generation_algorithm, 16) ||
        !fits(roi_where + " > RTROIInterpretedType (3006,00a4)", roi.interpreted_type, 16))
      return;
    for (const int c : roi.colour) {
      if (c < 0 || c > 255) {
        context_.fail(roi_where + " > ROIDisplayColor (3006,002a)", fmt::format("{} is not 0-255", c));
        return;
      }
    }
    if (!existing_names_.insert(roi.name).second)
      warnings_.push_back(fmt::format("ROI name '{}' is used twice (the new ROI is number {})", roi.name, number));
    if (roi.structure.planes.size() == 1) {
      warnings_.push_back(fmt::format("ROI '{}' has one plane: an RTSTRUCT does not store its thickness ({} mm); "
                                      "readers take it from the CT slice spacing",
                                      roi.name, roi.structure.slab_mm));
    }
    roi_numbers_.push_back(static_cast<int>(number));

    detail::ElementWriter ss = w.append_item(DCM_StructureSetROISequence);
    ss.is(DCM_ROINumber, number);
    ss.uid(DCM_ReferencedFrameOfReferenceUID, frame_uid_);
    ss.required(DCM_ROIName, roi.name);
    ss.optional(DCM_ROIDescription, roi.description);
    ss.type2(DCM_ROIGenerationAlgorithm, roi.generation_algorithm);

    detail::ElementWriter rc = w.append_item(DCM_ROIContourSequence);
    rc.required(DCM_ROIDisplayColor, fmt::format("{}\\{}\\{}", roi.colour[0], roi.colour[1], roi.colour[2]));
    rc.is(DCM_ReferencedROINumber, number);
    write_contours(rc, roi);

    detail::ElementWriter obs = w.append_item(DCM_RTROIObservationsSequence);
    obs.is(DCM_ObservationNumber, observation);
    obs.is(DCM_ReferencedROINumber, number);
    obs.type2(DCM_RTROIInterpretedType, roi.interpreted_type);
    obs.type2(DCM_ROIInterpreter, "");
  }

  void write_contours(detail::ElementWriter& rc, const NewRoi& roi) {
    long long contour_number = 0;
    std::vector<double> values;
    std::size_t degenerate = 0;
    for (const geom::Plane& plane : roi.structure.planes) {
      const SliceRef* slice = slice_at(plane.z_mm);
      if (slice != nullptr && slice->explicitly_given) used_slices_.insert(slice->sop_instance_uid);
      for (const geom::Polygon& polygon : plane.region) {
        for (const geom::Ring* ring : rings_of(polygon)) {
          std::size_t n = ring->size();
          if (n > 1 && (*ring)[0].x() == (*ring)[n - 1].x() && (*ring)[0].y() == (*ring)[n - 1].y()) --n;  // closing point
          if (n < 3) {
            ++degenerate;
            continue;
          }
          values.clear();
          for (std::size_t k = 0; k < n; ++k) {
            values.push_back((*ring)[k].x());
            values.push_back((*ring)[k].y());
            values.push_back(plane.z_mm);
          }
          detail::ElementWriter item = rc.append_item(DCM_ContourSequence);
          if (slice != nullptr) {
            detail::ElementWriter image = item.append_item(DCM_ContourImageSequence);
            image.uid(DCM_ReferencedSOPClassUID, slice->sop_class_uid);
            image.uid(DCM_ReferencedSOPInstanceUID, slice->sop_instance_uid);
          }
          item.is(DCM_ContourNumber, ++contour_number);
          item.required(DCM_ContourGeometricType, "CLOSED_PLANAR");
          item.is(DCM_NumberOfContourPoints, static_cast<long long>(n));
          item.ds(DCM_ContourData, values);
        }
      }
    }
    if (degenerate > 0) {
      warnings_.push_back(
          fmt::format("ROI '{}': {} ring(s) with fewer than 3 points left out", roi.name, degenerate));
    }
  }

  // A slice given by the caller that a new contour references is listed in the referenced
  // series' ContourImageSequence (3006,0016) too, when the source keeps such a list.
  void list_referenced_slices(DcmDataset& ds) {
    if (used_slices_.empty() || !context_.ok()) return;
    DcmSequenceOfItems* frames = find_sequence(ds, DCM_ReferencedFrameOfReferenceSequence);
    DcmItem* list_owner = nullptr;
    std::set<std::string> listed;
    for (unsigned long f = 0; frames != nullptr && f < frames->card(); ++f) {
      DcmItem& frame = *frames->getItem(f);
      if (get_string(frame, DCM_FrameOfReferenceUID) != frame_uid_) continue;
      DcmSequenceOfItems* studies = find_sequence(frame, DCM_RTReferencedStudySequence);
      for (unsigned long s = 0; studies != nullptr && s < studies->card(); ++s) {
        DcmSequenceOfItems* series = find_sequence(*studies->getItem(s), DCM_RTReferencedSeriesSequence);
        for (unsigned long r = 0; series != nullptr && r < series->card(); ++r) {
          DcmSequenceOfItems* images = find_sequence(*series->getItem(r), DCM_ContourImageSequence);
          if (images == nullptr) continue;
          if (list_owner == nullptr) list_owner = series->getItem(r);
          for (unsigned long i = 0; i < images->card(); ++i)
            listed.insert(get_string(*images->getItem(i), DCM_ReferencedSOPInstanceUID));
        }
      }
    }
    if (list_owner == nullptr) return;
    detail::ElementWriter owner(context_, *list_owner, "RTReferencedSeriesSequence (3006,0014)");
    for (const std::string& uid : used_slices_) {
      if (listed.count(uid)) continue;
      detail::ElementWriter image = owner.append_item(DCM_ContourImageSequence);
      image.uid(DCM_ReferencedSOPClassUID, UID_CTImageStorage);
      image.uid(DCM_ReferencedSOPInstanceUID, uid);
    }
  }

  // Written under a fresh name in the destination's folder (created exclusively, so nothing else
  // is ever overwritten), flushed to disk, then renamed onto the destination.
  std::string save_via_temporary(DcmFileFormat& file, E_TransferSyntax xfer) const {
    const fs::path folder = destination_.has_parent_path() ? destination_.parent_path() : fs::path(".");
    fs::path temp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
      temp = folder / fmt::format(".{}.rtaudit-{}-{}.tmp", destination_.filename().string(), ::getpid(), attempt);
      fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
      return fmt::format("{}: cannot create a temporary file in '{}': {}", destination_.string(), folder.string(),
                         std::strerror(errno));
    }
    ::close(fd);
    std::error_code ec;
    const OFCondition c =
        file.saveFile(temp.c_str(), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_createNewMeta);
    if (c.bad()) {
      fs::remove(temp, ec);
      return fmt::format("{}: cannot write: {}", destination_.string(), c.text());
    }
    fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
    const bool synced = fd >= 0 && ::fsync(fd) == 0;
    const int sync_errno = errno;
    if (fd >= 0) ::close(fd);
    if (!synced) {
      fs::remove(temp, ec);
      return fmt::format("{}: cannot flush the written file: {}", destination_.string(), std::strerror(sync_errno));
    }
    fs::rename(temp, destination_, ec);
    if (ec) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      return fmt::format("{}: cannot rename the written file into place: {}", destination_.string(), ec.message());
    }
    return {};
  }

  const fs::path& source_;
  const fs::path& destination_;
  const std::vector<NewRoi>& rois_;
  const ExportOptions& options_;
  detail::WriteContext context_;
  std::string source_sop_uid_;
  std::string frame_uid_;
  std::vector<SliceRef> slices_;
  std::set<std::string> used_slices_;
  std::set<std::string> existing_names_;
  long long next_roi_ = 1;
  long long next_observation_ = 1;
  std::vector<int> roi_numbers_;
  std::vector<std::string> warnings_;
};

}  // namespace

ExportResult export_rtstruct_with_rois(const std::filesystem::path& source_rtstruct,
                                       const std::filesystem::path& destination, const std::vector<NewRoi>& rois,
                                       const ExportOptions& options) {
  return Exporter(source_rtstruct, destination, rois, options).run();
}

}  // namespace rtaudit::dicom

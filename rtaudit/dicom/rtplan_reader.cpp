#include "rtaudit/dicom/rtplan_reader.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcvr.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rtaudit/dicom/elements.hpp"
#include "rtaudit/dicom/load.hpp"

namespace rtaudit::dicom {
namespace {

bool has_value(DcmItem& item, const DcmTagKey& tag) {
  DcmElement* el = nullptr;
  return item.findAndGetElement(tag, el).good() && el != nullptr && el->getLength() > 0;
}

/// Every item of a sequence (none when absent).
std::vector<DcmItem*> items(DcmItem& item, const DcmTagKey& tag) {
  std::vector<DcmItem*> out;
  DcmSequenceOfItems* seq = nullptr;
  if (item.findAndGetSequence(tag, seq).good() && seq != nullptr) {
    for (unsigned long i = 0; i < seq->card(); ++i) out.push_back(seq->getItem(i));
  }
  return out;
}

/// A numeric value that must be finite when present.
struct Number {
  bool present = false;
  std::optional<double> value;  ///< empty when present but not a finite number
};

Number number(DcmItem& item, const DcmTagKey& tag) {
  Number n;
  n.present = has_value(item, tag);
  if (n.present) {
    if (auto v = get_number(item, tag); v && std::isfinite(*v)) n.value = *v;
  }
  return n;
}

std::vector<double> finite_numbers(DcmItem& item, const DcmTagKey& tag) {
  std::vector<double> v = get_numbers(item, tag);
  if (!std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); })) v.clear();
  return v;
}

/// What the fraction group says about one beam.
struct BeamReference {
  std::optional<double> meterset;
  std::optional<double> dose_gy;
  std::optional<geom::Point3> point_mm;
  std::string dose_reference_uid;  ///< ReferencedDoseReferenceUID (the newer form of the point)
};

struct LeafDevice {
  std::string type;
  int pairs = 0;
  std::vector<double> boundaries;
};

std::string beam_label(const Beam& b) { return fmt::format("beam {} '{}'", b.number, b.name); }

}  // namespace

RtPlanRead read_rtplan(const std::string& path) {
  LoadedFile loaded = [&] {
    const UnknownVrConversion convert;
    return load_file(path, LoadDepth::Header);
  }();
  if (!loaded.file) return {std::nullopt, {}, {}, fmt::format("{}: {}", path, loaded.error), {}};
  RtPlanRead r = read_rtplan(*loaded.file->getDataset(), path);
  if (!loaded.charset_problem.empty()) r.warnings.push_back(fmt::format("{}: {}", path, loaded.charset_problem));
  return r;
}

RtPlanRead read_rtplan(DcmDataset& ds, const std::string& label) {
  RtPlanRead out;
  auto fail = [&](const std::string& what) {
    out.plan.reset();
    out.error = fmt::format("{}: {}", label, what);
    return out;
  };
  auto warn = [&](const std::string& what) { out.warnings.push_back(fmt::format("{}: {}", label, what)); };

  const std::string sop_class = get_string(ds, DCM_SOPClassUID);
  if (sop_class == UID_RTIonPlanStorage)
    return fail(fmt::format("{}: an RT Ion Plan; only RT Plan (external photon and electron beams) is read",
                            describe(DCM_SOPClassUID)));
  if (sop_class != UID_RTPlanStorage)
    return fail(fmt::format("{}: '{}' is not RT Plan Storage (modality '{}')", describe(DCM_SOPClassUID), sop_class,
                            get_string(ds, DCM_Modality)));

  Plan plan;
  plan.sop_instance_uid = get_string(ds, DCM_SOPInstanceUID);
  plan.series_uid = get_string(ds, DCM_SeriesInstanceUID);
  plan.label = get_string(ds, DCM_RTPlanLabel);
  plan.name = get_string(ds, DCM_RTPlanName);
  plan.date = get_string(ds, DCM_RTPlanDate);
  plan.time = get_string(ds, DCM_RTPlanTime);
  out.frame_of_reference_uid = get_string(ds, DCM_FrameOfReferenceUID);
  if (auto rss = items(ds, DCM_ReferencedStructureSetSequence); !rss.empty())
    plan.referenced_structure_set_uid = get_string(*rss[0], DCM_ReferencedSOPInstanceUID);
  if (get_string(ds, DCM_RTPlanGeometry) == "TREATMENT_DEVICE")
    warn(fmt::format("{}: TREATMENT_DEVICE; the beams are not placed on a structure set's images",
                     describe(DCM_RTPlanGeometry)));

  // RT Prescription: target doses, and dose reference points by UID (for the beam dose points).
  std::vector<double> target_doses;
  std::map<std::string, geom::Point3> reference_points;
  {
    const auto refs = items(ds, DCM_DoseReferenceSequence);
    for (std::size_t i = 0; i < refs.size(); ++i) {
      DcmItem& d = *refs[i];
      const std::string where = item_name("", DCM_DoseReferenceSequence, i);
      if (get_string(d, DCM_DoseReferenceType) == "TARGET") {
        const Number t = number(d, DCM_TargetPrescriptionDose);
        if (t.present && !t.value)
          warn(fmt::format("{}: '{}' is not a number", at(where, DCM_TargetPrescriptionDose),
                           get_string(d, DCM_TargetPrescriptionDose)));
        if (t.value && *t.value > 0) target_doses.push_back(*t.value);
      }
      const std::string uid = get_string(d, DCM_DoseReferenceUID);
      const std::vector<double> p = finite_numbers(d, DCM_DoseReferencePointCoordinates);
      if (!uid.empty() && p.size() == 3) reference_points[uid] = {p[0], p[1], p[2]};
    }
  }

  // RT Fraction Scheme: fractions, and per beam its meterset, dose and dose point.
  std::map<int, BeamReference> beam_refs;
  std::vector<int> fraction_group_beams;  // in the order the fraction group lists them
  {
    const auto groups = items(ds, DCM_FractionGroupSequence);
    if (groups.empty()) {
      plan.fractions = 0;
      warn(fmt::format("{}: absent; fractions, metersets and beam doses unknown (0)", describe(DCM_FractionGroupSequence)));
    } else {
      if (groups.size() > 1)
        warn(fmt::format("{}: {} fraction groups; the first one (number {}) is read", describe(DCM_FractionGroupSequence),
                         groups.size(), get_string(*groups[0], DCM_FractionGroupNumber)));
      DcmItem& g = *groups[0];
      const std::string where = item_name("", DCM_FractionGroupSequence, 0);
      const Number f = number(g, DCM_NumberOfFractionsPlanned);
      if (f.value && *f.value >= 1 && *f.value == std::floor(*f.value)) {
        plan.fractions = static_cast<int>(*f.value);
      } else {
        plan.fractions = 0;
        warn(fmt::format("{}: '{}' is not a positive number of fractions; fractions unknown (0)",
                         at(where, DCM_NumberOfFractionsPlanned), get_string(g, DCM_NumberOfFractionsPlanned)));
      }
      const auto rbs = items(g, DCM_ReferencedBeamSequence);
      for (std::size_t i = 0; i < rbs.size(); ++i) {
        DcmItem& rb = *rbs[i];
        const std::string rwhere = item_name(where, DCM_ReferencedBeamSequence, i);
        const Number n = number(rb, DCM_ReferencedBeamNumber);
        if (!n.value) {
          warn(fmt::format("{}: absent or not a number; the item is ignored", at(rwhere, DCM_ReferencedBeamNumber)));
          continue;
        }
        const int number_of_beam = static_cast<int>(*n.value);
        if (beam_refs.count(number_of_beam)) {
          warn(fmt::format("{}: beam {} listed twice; the first item is kept", at(rwhere, DCM_ReferencedBeamNumber),
                           number_of_beam));
          continue;
        }
        BeamReference ref;
        const Number m = number(rb, DCM_BeamMeterset);
        if (m.value) ref.meterset = *m.value;
        const Number d = number(rb, DCM_BeamDose);
        if (d.value) ref.dose_gy = *d.value;
        if (const auto p = finite_numbers(rb, DCM_RETIRED_BeamDoseSpecificationPoint); p.size() == 3)
          ref.point_mm = geom::Point3{p[0], p[1], p[2]};
        ref.dose_reference_uid = get_string(rb, DCM_ReferencedDoseReferenceUID);
        if (!ref.point_mm && !ref.dose_reference_uid.empty()) {
          if (auto it = reference_points.find(ref.dose_reference_uid); it != reference_points.end()) {
            ref.point_mm = it->second;
          }
        }
        beam_refs[number_of_beam] = ref;
        fraction_group_beams.push_back(number_of_beam);
      }
    }
  }

  // RT Beams.
  const auto beam_items = items(ds, DCM_BeamSequence);
  if (beam_items.empty()) return fail(fmt::format("{}: absent or empty; the plan has no beam", describe(DCM_BeamSequence)));
  std::set<int> seen;
  int first_setup_number = -1;
  for (std::size_t bi = 0; bi < beam_items.size(); ++bi) {
    DcmItem& bs = *beam_items[bi];
    const std::string where = item_name("", DCM_BeamSequence, bi);
    Beam b;
    const Number num = number(bs, DCM_BeamNumber);
    if (!num.value) return fail(fmt::format("{}: absent or not a number", at(where, DCM_BeamNumber)));
    b.number = static_cast<int>(*num.value);
    if (!seen.insert(b.number).second)
      return fail(fmt::format("{}: beam number {} used twice", at(where, DCM_BeamNumber), b.number));
    b.name = get_string(bs, DCM_BeamName);
    b.description = get_string(bs, DCM_BeamDescription);
    const std::string delivery = get_string(bs, DCM_TreatmentDeliveryType);
    if (delivery == "SETUP") {
      warn(fmt::format("{}: a SETUP beam (TreatmentDeliveryType); not read as a treatment beam", beam_label(b)));
      continue;
    }
    b.radiation_type = get_string(bs, DCM_RadiationType);
    if (b.radiation_type != "PHOTON" && b.radiation_type != "ELECTRON")
      warn(fmt::format("{}: RadiationType '{}' (PHOTON or ELECTRON expected)", beam_label(b), b.radiation_type));
    if (const Number sad = number(bs, DCM_SourceAxisDistance); sad.value && *sad.value > 0) {
      b.sad_mm = *sad.value;
    } else {
      b.sad_mm = 1000;
      warn(fmt::format("{}: {} absent or not positive; 1000 mm assumed", beam_label(b),
                       at(where, DCM_SourceAxisDistance)));
    }
    if (first_setup_number < 0) {
      if (const Number s = number(bs, DCM_ReferencedPatientSetupNumber); s.value) first_setup_number = static_cast<int>(*s.value);
    }

    // Beam limiting devices: leaf boundaries of the MLC.
    std::vector<LeafDevice> devices;
    {
      const auto ds_items = items(bs, DCM_BeamLimitingDeviceSequence);
      for (std::size_t di = 0; di < ds_items.size(); ++di) {
        LeafDevice d;
        d.type = get_string(*ds_items[di], DCM_RTBeamLimitingDeviceType);
        if (const Number p = number(*ds_items[di], DCM_NumberOfLeafJawPairs); p.value) d.pairs = static_cast<int>(*p.value);
        d.boundaries = finite_numbers(*ds_items[di], DCM_LeafPositionBoundaries);
        devices.push_back(std::move(d));
      }
    }

    // Control point 0.
    const auto cps = items(bs, DCM_ControlPointSequence);
    if (cps.empty()) return fail(fmt::format("{}: absent or empty", at(where, DCM_ControlPointSequence)));
    const std::string beam_type = get_string(bs, DCM_BeamType);
    if (beam_type == "DYNAMIC" || cps.size() > 2)
      warn(fmt::format("{}: {} beam with {} control points; the first control point is used", beam_label(b),
                       beam_type.empty() ? std::string("a") : beam_type, cps.size()));
    DcmItem& cp = *cps[0];
    const std::string cwhere = item_name(where, DCM_ControlPointSequence, 0);
    if (const Number e = number(cp, DCM_NominalBeamEnergy); e.value) {
      b.energy_mv = *e.value;
    } else {
      b.energy_mv = 0;
      warn(fmt::format("{}: {} absent; energy unknown (0)", beam_label(b), at(cwhere, DCM_NominalBeamEnergy)));
    }
    if (const Number a = number(cp, DCM_GantryAngle); a.value) {
      b.gantry_deg = *a.value;
    } else {
      return fail(fmt::format("{}: absent or not a number", at(cwhere, DCM_GantryAngle)));
    }
    if (const Number a = number(cp, DCM_BeamLimitingDeviceAngle); a.value) {
      b.collimator_deg = *a.value;
    } else {
      warn(fmt::format("{}: {} absent; 0 assumed", beam_label(b), at(cwhere, DCM_BeamLimitingDeviceAngle)));
    }
    if (const Number a = number(cp, DCM_PatientSupportAngle); a.value) {
      b.couch_deg = *a.value;
    } else {
      warn(fmt::format("{}: {} absent; 0 assumed", beam_label(b), at(cwhere, DCM_PatientSupportAngle)));
    }
    if (const auto iso = finite_numbers(cp, DCM_IsocenterPosition); iso.size() == 3) {
      b.isocentre_mm = {iso[0], iso[1], iso[2]};
    } else {
      return fail(fmt::format("{}: '{}' is not three numbers", at(cwhere, DCM_IsocenterPosition),
                              get_string(cp, DCM_IsocenterPosition)));
    }

    // Jaws and leaves at control point 0.
    std::map<std::string, std::vector<double>> positions;
    {
      const auto ps = items(cp, DCM_BeamLimitingDevicePositionSequence);
      for (std::size_t pi = 0; pi < ps.size(); ++pi) {
        const std::string type = get_string(*ps[pi], DCM_RTBeamLimitingDeviceType);
        std::vector<double> v = finite_numbers(*ps[pi], DCM_LeafJawPositions);
        if (v.empty()) {
          warn(fmt::format("{}: {} of {} is not a list of numbers; ignored", beam_label(b),
                           at(item_name(cwhere, DCM_BeamLimitingDevicePositionSequence, pi), DCM_LeafJawPositions),
                           type));
          continue;
        }
        if (!positions.count(type)) positions[type] = std::move(v);
      }
    }
    auto jaw = [&](const char* asym, const char* sym) -> const std::vector<double>* {
      for (const char* t : {asym, sym}) {
        auto it = positions.find(t);
        if (it != positions.end()) {
          if (it->second.size() == 2) return &it->second;
          warn(fmt::format("{}: {} jaw positions of {} (2 expected); ignored", beam_label(b), it->second.size(), t));
        }
      }
      return nullptr;
    };
    const std::vector<double>* x_jaws = jaw("ASYMX", "X");
    const std::vector<double>* y_jaws = jaw("ASYMY", "Y");

    // The MLC: the first MLCX or MLCY device with leaf boundaries and positions at control point 0.
    for (const LeafDevice& d : devices) {
      if (d.type != "MLCX" && d.type != "MLCY") continue;
      if (b.mlc) {
        warn(fmt::format("{}: a second MLC ({}) is not read", beam_label(b), d.type));
        continue;
      }
      auto it = positions.find(d.type);
      if (it == positions.end()) {
        warn(fmt::format("{}: {} has no leaf positions at control point 0; no MLC read", beam_label(b), d.type));
        continue;
      }
      const std::size_t n = it->second.size() / 2;
      if (n == 0 || it->second.size() != 2 * n || d.boundaries.size() != n + 1 ||
          (d.pairs > 0 && static_cast<std::size_t>(d.pairs) != n)) {
        warn(fmt::format("{}: {} has {} leaf positions, {} leaf pairs and {} boundaries (2N, N and N+1 expected); no "
                         "MLC read",
                         beam_label(b), d.type, it->second.size(), d.pairs, d.boundaries.size()));
        continue;
      }
      MlcAperture m;
      m.device = d.type;
      m.leaf_boundaries_mm = d.boundaries;
      m.bank_a_mm.assign(it->second.begin(), it->second.begin() + static_cast<std::ptrdiff_t>(n));
      m.bank_b_mm.assign(it->second.begin() + static_cast<std::ptrdiff_t>(n), it->second.end());
      for (std::size_t i = 0; i + 1 < m.leaf_boundaries_mm.size(); ++i) {
        if (!(m.leaf_boundaries_mm[i] < m.leaf_boundaries_mm[i + 1])) {
          warn(fmt::format("{}: {} leaf boundaries do not increase", beam_label(b), d.type));
          break;
        }
      }
      for (std::size_t i = 0; i < n; ++i) {
        if (m.bank_a_mm[i] > m.bank_b_mm[i]) {
          warn(fmt::format("{}: {} leaf pair {} has bank A beyond bank B", beam_label(b), d.type, i + 1));
          break;
        }
      }
      b.mlc = std::move(m);
    }

    // Jaws missing: the MLC's opening along its travel direction stands in for them.
    auto opening = [&](bool along_x, double& lo, double& hi) {
      if (!b.mlc || (b.mlc->device == "MLCX") != along_x) return false;
      const MlcAperture& m = *b.mlc;
      const std::vector<double>* cross = along_x ? y_jaws : x_jaws;  // jaws across the leaves, when known
      lo = 1e300;
      hi = -1e300;
      for (int pass = 0; pass < 2 && lo > hi; ++pass) {
        for (std::size_t i = 0; i < m.bank_a_mm.size(); ++i) {
          const bool open = m.bank_b_mm[i] > m.bank_a_mm[i];
          const bool inside = cross == nullptr ||
                              (m.leaf_boundaries_mm[i + 1] > (*cross)[0] && m.leaf_boundaries_mm[i] < (*cross)[1]);
          if (pass == 0 && !(open && inside)) continue;
          lo = std::min(lo, m.bank_a_mm[i]);
          hi = std::max(hi, m.bank_b_mm[i]);
        }
      }
      return lo <= hi;
    };
    for (const bool along_x : {true, false}) {
      const std::vector<double>* j = along_x ? x_jaws : y_jaws;
      double& lo = along_x ? b.x1_mm : b.y1_mm;
      double& hi = along_x ? b.x2_mm : b.y2_mm;
      const char* name = along_x ? "X (ASYMX or X)" : "Y (ASYMY or Y)";
      if (j != nullptr) {
        lo = (*j)[0];
        hi = (*j)[1];
        if (lo > hi) return fail(fmt::format("{}: {} jaws {} > {}", at(cwhere, DCM_BeamLimitingDevicePositionSequence),
                                             name, lo, hi));
      } else if (opening(along_x, lo, hi)) {
        warn(fmt::format("{}: no {} jaws at control point 0; {}1/{}2 = the {} opening, {} to {} mm", beam_label(b), name,
                         along_x ? 'X' : 'Y', along_x ? 'X' : 'Y', b.mlc->device, lo, hi));
      } else {
        return fail(fmt::format("{}: no {} jaw and no MLC travelling along {}; the aperture is unknown",
                                at(cwhere, DCM_BeamLimitingDevicePositionSequence), name, along_x ? 'X' : 'Y'));
      }
    }

    // The fraction group's view of the beam.
    if (auto it = beam_refs.find(b.number); it != beam_refs.end()) {
      const BeamReference& r = it->second;
      if (r.meterset) {
        b.monitor_units = *r.meterset;
      } else {
        b.monitor_units = 0;
        warn(fmt::format("{}: no BeamMeterset (300a,0086) in the fraction group; 0", beam_label(b)));
      }
      b.beam_dose_gy = r.dose_gy;
      b.dose_specification_point_mm = r.point_mm;
      if (!r.point_mm && !r.dose_reference_uid.empty())
        warn(fmt::format("{}: ReferencedDoseReferenceUID {} names no dose reference with point coordinates",
                         beam_label(b), r.dose_reference_uid));
    } else if (!beam_refs.empty() || !items(ds, DCM_FractionGroupSequence).empty()) {
      b.monitor_units = 0;
      warn(fmt::format("{}: not in the fraction group's ReferencedBeamSequence; meterset 0", beam_label(b)));
    } else {
      b.monitor_units = 0;
    }
    plan.beams.push_back(std::move(b));
  }
  if (plan.beams.empty()) return fail(fmt::format("{}: no treatment beam", describe(DCM_BeamSequence)));
  for (const int n : fraction_group_beams) {
    if (!seen.count(n))
      warn(fmt::format("the fraction group references beam {}, which the BeamSequence (300a,00b0) does not hold", n));
  }

  // Weights: each beam's share of the fraction dose at the beam dose points (equal without beam doses).
  {
    double sum = 0;
    for (const Beam& b : plan.beams) sum += b.beam_dose_gy.value_or(0);
    for (Beam& b : plan.beams)
      b.weight = sum > 0 ? b.beam_dose_gy.value_or(0) / sum : 1.0 / static_cast<double>(plan.beams.size());
  }

  // Prescription: the target prescription dose, else the beam doses times the fractions.
  if (!target_doses.empty()) {
    plan.prescription_gy = *std::max_element(target_doses.begin(), target_doses.end());
    std::set<double> distinct(target_doses.begin(), target_doses.end());
    if (distinct.size() > 1) {
      std::string list;
      for (const double d : distinct) list += fmt::format("{}{}", list.empty() ? "" : ", ", d);
      warn(fmt::format("{}: several target prescription doses ({} Gy); the largest, {} Gy, is used",
                       describe(DCM_DoseReferenceSequence), list, plan.prescription_gy));
    }
  } else {
    double per_fraction = 0;
    for (const Beam& b : plan.beams) per_fraction += b.beam_dose_gy.value_or(0);
    if (per_fraction > 0 && plan.fractions > 0) {
      plan.prescription_gy = per_fraction * plan.fractions;
      warn(fmt::format("no TargetPrescriptionDose (300a,0026); prescription = the beam doses ({} Gy) x {} fractions = "
                       "{} Gy",
                       per_fraction, plan.fractions, plan.prescription_gy));
    } else {
      plan.prescription_gy = 0;
      warn("no TargetPrescriptionDose (300a,0026) and no beam doses: prescription unknown (0)");
    }
  }

  // RT Patient Setup: the position of the first beam's setup.
  {
    const auto setups = items(ds, DCM_PatientSetupSequence);
    DcmItem* chosen = setups.empty() ? nullptr : setups[0];
    for (DcmItem* s : setups) {
      if (const Number n = number(*s, DCM_PatientSetupNumber); n.value && static_cast<int>(*n.value) == first_setup_number)
        chosen = s;
    }
    if (chosen != nullptr) out.patient_position = get_string(*chosen, DCM_PatientPosition);
    std::set<std::string> positions;
    for (DcmItem* s : setups) {
      if (std::string p = get_string(*s, DCM_PatientPosition); !p.empty()) positions.insert(p);
    }
    if (positions.size() > 1)
      warn(fmt::format("{}: the beams' patient setups have different positions; {} (the first beam's) is kept",
                       describe(DCM_PatientSetupSequence), out.patient_position));
  }

  out.plan = std::move(plan);
  return out;
}

}  // namespace rtaudit::dicom

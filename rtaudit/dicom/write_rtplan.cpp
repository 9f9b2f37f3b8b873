#include "rtaudit/dicom/write_rtplan.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <set>
#include <vector>

#include "rtaudit/case/uid.hpp"

namespace rtaudit::dicom {
namespace {

using detail::ElementWriter;

/// Problems with the plan's values that DICOM would accept but that make no plan.
std::string check_beam(const Beam& b) {
  if (!(b.sad_mm > 0)) return "SourceAxisDistance (300a,00b4): must be positive";
  if (!(b.energy_mv > 0)) return "NominalBeamEnergy (300a,0114): must be positive";
  if (!(b.monitor_units >= 0)) return "BeamMeterset (300a,0086): must not be negative";
  if (!(b.x1_mm <= b.x2_mm) || !(b.y1_mm <= b.y2_mm))
    return "LeafJawPositions (300a,011c): jaws must satisfy X1 <= X2 and Y1 <= Y2";
  if (b.mlc) {
    const MlcAperture& m = *b.mlc;
    if (m.device != "MLCX" && m.device != "MLCY")
      return fmt::format("RTBeamLimitingDeviceType (300a,00b8): '{}' is not MLCX or MLCY", m.device);
    const std::size_t n = m.bank_a_mm.size();
    if (n == 0 || m.bank_b_mm.size() != n || m.leaf_boundaries_mm.size() != n + 1)
      return fmt::format("LeafPositionBoundaries (300a,00be): {} boundaries and {}/{} leaf positions; need N+1 and N/N",
                         m.leaf_boundaries_mm.size(), m.bank_a_mm.size(), m.bank_b_mm.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (!(m.leaf_boundaries_mm[i] < m.leaf_boundaries_mm[i + 1]))
        return "LeafPositionBoundaries (300a,00be): boundaries must increase";
      if (!(m.bank_a_mm[i] <= m.bank_b_mm[i]))
        return fmt::format("LeafJawPositions (300a,011c): leaf pair {} has bank A beyond bank B", i + 1);
    }
  }
  return {};
}

void write_beam(ElementWriter& w, const Beam& b, const RtPlanOptions& o) {
  w.is(DCM_BeamNumber, b.number);
  w.optional(DCM_BeamName, b.name);
  w.optional(DCM_BeamDescription, b.description);
  w.required(DCM_BeamType, "STATIC");
  w.type2(DCM_RadiationType, b.radiation_type);
  w.required(DCM_PrimaryDosimeterUnit, "MU");
  w.type2(DCM_TreatmentMachineName, o.treatment_machine_name);
  w.ds(DCM_SourceAxisDistance, b.sad_mm);

  const std::string mlc_type = b.mlc ? b.mlc->device : std::string();
  for (const char* jaw : {"ASYMX", "ASYMY"}) {
    ElementWriter d = w.append_item(DCM_BeamLimitingDeviceSequence);
    d.required(DCM_RTBeamLimitingDeviceType, jaw);
    d.ds(DCM_SourceToBeamLimitingDeviceDistance, o.source_to_jaw_distance_mm);
    d.is(DCM_NumberOfLeafJawPairs, 1);
  }
  if (b.mlc) {
    ElementWriter d = w.append_item(DCM_BeamLimitingDeviceSequence);
    d.required(DCM_RTBeamLimitingDeviceType, mlc_type);
    d.ds(DCM_SourceToBeamLimitingDeviceDistance, o.source_to_mlc_distance_mm);
    d.is(DCM_NumberOfLeafJawPairs, static_cast<long long>(b.mlc->bank_a_mm.size()));
    d.ds(DCM_LeafPositionBoundaries, std::span<const double>(b.mlc->leaf_boundaries_mm));
  }
  w.is(DCM_ReferencedPatientSetupNumber, 1);
  w.required(DCM_TreatmentDeliveryType, "TREATMENT");
  w.is(DCM_NumberOfWedges, 0);
  w.is(DCM_NumberOfCompensators, 0);
  w.is(DCM_NumberOfBoli, 0);
  w.is(DCM_NumberOfBlocks, 0);
  w.ds(DCM_FinalCumulativeMetersetWeight, 1.0);
  w.is(DCM_NumberOfControlPoints, 2);

  ElementWriter cp0 = w.append_item(DCM_ControlPointSequence);
  cp0.is(DCM_ControlPointIndex, 0);
  cp0.ds(DCM_CumulativeMetersetWeight, 0.0);
  cp0.ds(DCM_NominalBeamEnergy, b.energy_mv);
  {
    const std::array<double, 2> x{b.x1_mm, b.x2_mm};
    const std::array<double, 2> y{b.y1_mm, b.y2_mm};
    ElementWriter px = cp0.append_item(DCM_BeamLimitingDevicePositionSequence);
    px.required(DCM_RTBeamLimitingDeviceType, "ASYMX");
    px.ds(DCM_LeafJawPositions, std::span<const double>(x));
    ElementWriter py = cp0.append_item(DCM_BeamLimitingDevicePositionSequence);
    py.required(DCM_RTBeamLimitingDeviceType, "ASYMY");
    py.ds(DCM_LeafJawPositions, std::span<const double>(y));
    if (b.mlc) {
      std::vector<double> leaves(b.mlc->bank_a_mm);
      leaves.insert(leaves.end(), b.mlc->bank_b_mm.begin(), b.mlc->bank_b_mm.end());
      ElementWriter pm = cp0.append_item(DCM_BeamLimitingDevicePositionSequence);
      pm.required(DCM_RTBeamLimitingDeviceType, mlc_type);
      pm.ds(DCM_LeafJawPositions, std::span<const double>(leaves));
    }
  }
  cp0.ds(DCM_GantryAngle, b.gantry_deg);
  cp0.required(DCM_GantryRotationDirection, "NONE");
  cp0.ds(DCM_BeamLimitingDeviceAngle, b.collimator_deg);
  cp0.required(DCM_BeamLimitingDeviceRotationDirection, "NONE");
  cp0.ds(DCM_PatientSupportAngle, b.couch_deg);
  cp0.required(DCM_PatientSupportRotationDirection, "NONE");
  cp0.ds(DCM_TableTopEccentricAngle, 0.0);
  cp0.required(DCM_TableTopEccentricRotationDirection, "NONE");
  cp0.ds(DCM_TableTopPitchAngle, 0.0);
  cp0.required(DCM_TableTopPitchRotationDirection, "NONE");
  cp0.ds(DCM_TableTopRollAngle, 0.0);
  cp0.required(DCM_TableTopRollRotationDirection, "NONE");
  cp0.empty(DCM_TableTopVerticalPosition);
  cp0.empty(DCM_TableTopLongitudinalPosition);
  cp0.empty(DCM_TableTopLateralPosition);
  const std::array<double, 3> iso{b.isocentre_mm.x, b.isocentre_mm.y, b.isocentre_mm.z};
  cp0.ds(DCM_IsocenterPosition, std::span<const double>(iso));
  if (auto it = o.source_to_surface_distance_mm.find(b.number); it != o.source_to_surface_distance_mm.end())
    cp0.ds(DCM_SourceToSurfaceDistance, it->second);

  ElementWriter cp1 = w.append_item(DCM_ControlPointSequence);
  cp1.is(DCM_ControlPointIndex, 1);
  cp1.ds(DCM_CumulativeMetersetWeight, 1.0);
}

}  // namespace

WriteResult write_rtplan(const std::filesystem::path& path, const StudyIdentity& identity, const Plan& plan,
                         const RtPlanOptions& options) {
  const std::string file = path.string();
  if (plan.beams.empty()) return {fmt::format("{}: BeamSequence (300a,00b0): the plan has no beam", file)};
  if (plan.fractions < 1)
    return {fmt::format("{}: NumberOfFractionsPlanned (300a,0078): {} fractions", file, plan.fractions)};
  if (!(plan.prescription_gy > 0) || !std::isfinite(plan.prescription_gy))
    return {fmt::format("{}: TargetPrescriptionDose (300a,0026): must be positive", file)};
  std::set<int> numbers;
  double weights = 0;
  for (std::size_t i = 0; i < plan.beams.size(); ++i) {
    const Beam& b = plan.beams[i];
    if (!numbers.insert(b.number).second)
      return {
          fmt::format("{}: BeamSequence[{}] > BeamNumber (300a,00c0): beam number {} used twice", file, i, b.number)};
    if (std::string e = check_beam(b); !e.empty()) return {fmt::format("{}: BeamSequence[{}] > {}", file, i, e)};
    weights += b.weight;
  }

  DcmFileFormat ff;
  detail::WriteContext ctx{file, {}};
  ElementWriter w(ctx, *ff.getDataset());
  bool utf8 =
      detail::any_non_ascii({identity.patient_name, identity.patient_id, identity.study_id, identity.institution_name,
                             identity.institutional_department_name, identity.operator_name, identity.manufacturer,
                             plan.label, plan.name, options.series_description, options.treatment_machine_name});
  for (const Beam& b : plan.beams) utf8 = utf8 || detail::any_non_ascii({b.name, b.description});
  detail::write_character_set(w, utf8);
  detail::write_sop_common(w, identity, UID_RTPlanStorage, plan.sop_instance_uid);
  detail::write_patient_and_study(w, identity);
  detail::write_series(w, identity, "RTPLAN", plan.series_uid, options.series_number, options.series_description);
  detail::write_frame_of_reference(w, identity);
  detail::write_equipment(w, identity);

  // RT General Plan
  w.required(DCM_RTPlanLabel, plan.label.empty() ? std::string("PLAN") : plan.label);
  w.optional(DCM_RTPlanName, plan.name);
  w.type2(DCM_RTPlanDate, plan.date.empty() ? identity.study_date : plan.date);
  w.type2(DCM_RTPlanTime, plan.time.empty() ? identity.study_time : plan.time);
  if (!plan.referenced_structure_set_uid.empty()) {
    w.required(DCM_RTPlanGeometry, "PATIENT");
    ElementWriter ref = w.append_item(DCM_ReferencedStructureSetSequence);
    ref.uid(DCM_ReferencedSOPClassUID, UID_RTStructureSetStorage);
    ref.uid(DCM_ReferencedSOPInstanceUID, plan.referenced_structure_set_uid);
  } else {
    w.required(DCM_RTPlanGeometry, "TREATMENT_DEVICE");
  }

  // RT Prescription: the prescription as a target dose reference.
  {
    ElementWriter d = w.append_item(DCM_DoseReferenceSequence);
    d.is(DCM_DoseReferenceNumber, 1);
    d.uid(DCM_DoseReferenceUID, make_uid(plan.sop_instance_uid + "/dose-reference/1"));
    d.required(DCM_DoseReferenceStructureType, "SITE");
    d.optional(DCM_DoseReferenceDescription, "PRESCRIPTION");
    d.required(DCM_DoseReferenceType, "TARGET");
    d.ds(DCM_TargetPrescriptionDose, plan.prescription_gy);
  }

  // RT Fraction Scheme
  {
    ElementWriter g = w.append_item(DCM_FractionGroupSequence);
    g.is(DCM_FractionGroupNumber, 1);
    g.is(DCM_NumberOfFractionsPlanned, plan.fractions);
    g.is(DCM_NumberOfBeams, static_cast<long long>(plan.beams.size()));
    g.is(DCM_NumberOfBrachyApplicationSetups, 0);
    for (const Beam& b : plan.beams) {
      ElementWriter r = g.append_item(DCM_ReferencedBeamSequence);
      r.is(DCM_ReferencedBeamNumber, b.number);
      if (weights > 0) r.ds(DCM_BeamDose, plan.prescription_gy / plan.fractions * b.weight / weights);
      r.ds(DCM_BeamMeterset, b.monitor_units);
    }
  }

  // RT Beams
  for (const Beam& b : plan.beams) {
    ElementWriter bw = w.append_item(DCM_BeamSequence);
    write_beam(bw, b, options);
  }

  // RT Patient Setup
  {
    ElementWriter s = w.append_item(DCM_PatientSetupSequence);
    s.is(DCM_PatientSetupNumber, 1);
    s.required(DCM_PatientPosition, identity.patient_position);
    s.optional(DCM_SetupTechnique, "ISOCENTRIC");
  }
  if (!ctx.ok()) return {ctx.error};
  return {detail::save(ff, path)};
}

}  // namespace rtaudit::dicom

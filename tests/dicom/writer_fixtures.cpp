#include "tests/dicom/writer_fixtures.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "rtaudit/case/uid.hpp"

namespace rtaudit::test {

StudyIdentity small_identity() {
  StudyIdentity id;
  id.patient_id = "WRITER-TEST";
  id.patient_name = "PHANTOM^WRITER";
  id.patient_birth_date = "19700101";
  id.patient_sex = "F";
  id.study_uid = make_uid("writer-test/study");
  id.study_id = "1";
  id.study_date = "20260102";
  id.study_time = "103000";
  id.accession_number = "A1";
  id.frame_of_reference_uid = make_uid("writer-test/frame");
  id.institution_name = "Test Institute";
  id.operator_name = "PLANNER^TEST";
  return id;
}

ImageVolume small_volume() {
  ImageVolume v;
  v.columns = 16;
  v.rows = 16;
  v.slices = 3;
  v.pixel_spacing = {1.0, 1.0};
  for (int k = 0; k < 3; ++k) v.slice_positions.push_back({-7.5, -7.5, -2.5 + 2.5 * k});
  for (int k = 0; k < 3; ++k) {
    for (int j = 0; j < 16; ++j) {
      for (int i = 0; i < 16; ++i) {
        const bool inside = i >= 2 && i < 14 && j >= 2 && j < 14;
        v.values.push_back(static_cast<std::int16_t>(inside ? 40 + 10 * k + i : -1000));
      }
    }
  }
  return v;
}

dicom::CtSeriesOptions small_ct_options() {
  dicom::CtSeriesOptions o;
  o.series_uid = make_uid("writer-test/ct-series");
  o.series_number = 2;
  o.series_description = "Writer test CT";
  o.uid_key_prefix = "writer-test";
  o.kvp = 120;
  o.slice_thickness_mm = 2.5;
  o.contrast_agent = "IODINE";
  return o;
}

namespace {

geom::Contour square(double x0, double y0, double size, double z, bool clockwise = false) {
  geom::Contour c;
  c.type = geom::GeometricType::ClosedPlanar;
  c.points = {{x0, y0, z}, {x0 + size, y0, z}, {x0 + size, y0 + size, z}, {x0, y0 + size, z}};
  if (clockwise) std::reverse(c.points.begin(), c.points.end());
  return c;
}

}  // namespace

StructureSet small_structure_set(const StudyIdentity& id) {
  StructureSet s;
  s.sop_instance_uid = make_uid("writer-test/rtstruct");
  s.label = "TEST";
  s.name = "Writer test";
  s.date = id.study_date;
  s.time = id.study_time;
  s.frame_of_reference_uid = id.frame_of_reference_uid;
  s.referenced_series_uid = make_uid("writer-test/ct-series");

  Roi body;
  body.number = 1;
  body.name = "BODY";
  body.interpreted_type = "EXTERNAL";
  body.generation_algorithm = "AUTOMATIC";
  body.colour = std::array<int, 3>{0, 255, 0};
  for (double z : {-2.5, 0.0, 2.5}) body.contours.push_back(square(-6, -6, 12, z));
  s.rois.emplace(body.number, body);

  Roi marker;
  marker.number = 2;
  marker.name = "MARKER";
  marker.interpreted_type = "MARKER";
  marker.generation_algorithm = "MANUAL";
  geom::Contour point;
  point.type = geom::GeometricType::Point;
  point.points = {{1.25, -0.1, 0.0}};
  marker.contours.push_back(point);
  s.rois.emplace(marker.number, marker);

  Roi ring;
  ring.number = 7;
  ring.name = "RING";
  ring.interpreted_type = "ORGAN";
  ring.generation_algorithm = "MANUAL";
  ring.colour = std::array<int, 3>{255, 128, 0};
  for (double z : {-2.5, 0.0}) {
    ring.contours.push_back(square(-5, -5, 10, z));
    ring.contours.push_back(square(-2, -2, 4, z, true));
  }
  s.rois.emplace(ring.number, ring);
  return s;
}

Plan small_plan(const StudyIdentity& id) {
  Plan p;
  p.sop_instance_uid = make_uid("writer-test/rtplan");
  p.series_uid = make_uid("writer-test/rtplan-series");
  p.label = "BREAST L";
  p.name = "Tangents";
  p.date = id.study_date;
  p.time = id.study_time;
  p.referenced_structure_set_uid = make_uid("writer-test/rtstruct");
  p.prescription_gy = 40.05;
  p.fractions = 15;
  Beam med;
  med.number = 1;
  med.name = "MED TANG";
  med.gantry_deg = 300.5;
  med.collimator_deg = 10;
  med.couch_deg = 0;
  med.isocentre_mm = {1.5, -20.25, 0};
  med.x1_mm = -80;
  med.x2_mm = 0;
  med.y1_mm = -100;
  med.y2_mm = 120;
  MlcAperture mlc;
  mlc.leaf_boundaries_mm = {-20, -10, 0, 10, 20};
  mlc.bank_a_mm = {-60, -70, -75, -65};
  mlc.bank_b_mm = {-5, 0, 0, -2.5};
  med.mlc = mlc;
  med.monitor_units = 123.4;
  Beam lat = med;
  lat.number = 2;
  lat.name = "LAT TANG";
  lat.gantry_deg = 120.5;
  lat.collimator_deg = 350;
  lat.mlc.reset();
  lat.monitor_units = 118;
  lat.weight = 0.9;
  p.beams = {med, lat};
  return p;
}

DoseGrid small_dose(const std::string& plan_uid) {
  DoseGrid g;
  g.sop_instance_uid = make_uid("writer-test/rtdose");
  g.series_uid = make_uid("writer-test/rtdose-series");
  g.referenced_plan_uid = plan_uid;
  g.origin_mm = {-5, -5, -2.5};
  g.column_spacing_mm = 2.5;
  g.row_spacing_mm = 2.0;
  g.frame_offsets_mm = {0, 2.5, 5};
  g.columns = 4;
  g.rows = 5;
  for (int k = 0; k < 3; ++k) {
    for (int j = 0; j < 5; ++j) {
      for (int i = 0; i < 4; ++i) g.dose_gy.push_back(static_cast<float>(i + j + k) + 0.125f);
    }
  }
  g.dose_gy[17] = 50.0f;
  return g;
}

ToolRun run_tool(const std::string& command) {
  ToolRun r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<std::string> dciodvfy_errors(const std::filesystem::path& file, std::string* all_output) {
  const ToolRun r = run_tool(fmt::format("/usr/bin/dciodvfy '{}'", file.string()));
  if (all_output != nullptr) *all_output = r.output;
  std::vector<std::string> errors;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Error", 0) == 0) errors.push_back(line);
  }
  // A crash (it asserts on some inputs) or a refusal to read counts as a failure too.
  if (errors.empty() && r.exit_code != 0) errors.push_back(fmt::format("Error - dciodvfy exit status {}", r.exit_code));
  return errors;
}

ToolRun pydicom(const std::string& script, const std::filesystem::path& file) {
  // Beside the temporary folder, not in it: the folders are scanned as DICOM folders.
  const std::filesystem::path py =
      std::filesystem::temp_directory_path() / fmt::format("rtaudit-writer-check-{}.py", ::getpid());
  {
    std::ofstream out(py);
    out << "import sys, struct, pydicom\nds = pydicom.dcmread(sys.argv[1])\n" << script << "\n";
  }
  return run_tool(fmt::format("/usr/bin/python3 '{}' '{}'", py.string(), file.string()));
}

bool same_bytes(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  if (!fa || !fb) return false;
  const std::string da((std::istreambuf_iterator<char>(fa)), {});
  const std::string db((std::istreambuf_iterator<char>(fb)), {});
  return !da.empty() && da == db;
}

}  // namespace rtaudit::test

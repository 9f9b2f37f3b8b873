// `rtaudit audit` with landmarks found in the CT (issue 8): with nothing contoured but the targets, the
// heart and the lungs, the verdicts equal those with every landmark contoured; vessels the CT does not
// show are estimated and every check on them says so (and can be left out); a contour always wins; a
// CT that is not a thorax gives reasons.
#include "tests/support/cli_scratch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace rtaudit::test;
using json = nlohmann::json;

json audit(const fs::path& case_dir, const std::string& name, const std::string& extra = "", std::string* output = nullptr) {
  const fs::path out = scratch_root() / ("out-" + name);
  fs::remove_all(out);
  const auto r = run_tool(rtaudit_cmd(std::string("audit ") + (output == nullptr ? "-q " : "") + quoted(case_dir) + " --out " + quoted(out) + " " + extra));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  if (output != nullptr) *output = r.output;
  return fs::exists(out / "report.json") ? read_json(out / "report.json") : json();
}

const json& guideline(const json& report, const std::string& id) { return entry(report["guidelines"], "id", id); }

const json* structure_use(const json& report, const std::string& name) {
  for (const auto& s : report["ct_landmarks"]["structures"])
    if (s["name"] == name) return &s;
  return nullptr;
}

// Every graded check of a report by a key ("estro-2015 caudal", "rtog-2009 medial", "estro-2015 overlap heart").
std::map<std::string, json> checks(const json& report) {
  std::map<std::string, json> out;
  for (const auto& g : report["guidelines"]) {
    const std::string id = g["id"];
    for (const auto& c : g["checks"]["levels"]) out[id + " " + c["border"].get<std::string>()] = c;
    for (const auto& c : g["checks"]["margins"]) out[id + " " + c["direction"].get<std::string>()] = c;
    for (const auto& c : g["checks"]["organ_overlaps"]) out[id + " overlap " + c["role"].get<std::string>()] = c;
  }
  return out;
}

int seeds() {
  if (const char* e = std::getenv("RTAUDIT_CT_AUDIT_SEEDS")) return std::max(1, std::atoi(e));
#ifdef RTAUDIT_SANITIZED
  return 3;  // the same comparison, fewer patients: under the sanitizers a pair takes ~40 s
#else
  return 20;
#endif
}

}  // namespace

TEST(AuditCtLandmarks, NoLandmarksVerdictsEqualTheContouredOnesOnAtLeast19Of20Seeds) {
  const int n = seeds();
  int equal = 0, statuses = 0, statuses_equal = 0, margins = 0, margins_close = 0;
  for (int seed = 1; seed <= n; ++seed) {
    const std::string side = seed % 2 == 1 ? "left" : "right";
    SCOPED_TRACE("seed " + std::to_string(seed) + " " + side);
    const std::string common = " --seed " + std::to_string(seed) + " --side " + side;
    const fs::path contoured = make_phantom(scratch_root() / ("contoured-" + std::to_string(seed)), "--variant estro" + common);
    const fs::path bare = make_phantom(scratch_root() / ("bare-" + std::to_string(seed)), "--variant no-landmarks" + common);
    const json a = audit(contoured, "contoured-" + std::to_string(seed));
    const json b = audit(bare, "bare-" + std::to_string(seed));
    ASSERT_TRUE(a.is_object() && b.is_object());
    // The contoured case needs nothing from the CT; the bare one takes every landmark from it.
    EXPECT_EQ(a["ct_landmarks"]["searched"], false);
    EXPECT_EQ(b["ct_landmarks"]["used"], true);
    EXPECT_EQ(b["landmarks"]["levels"]["rib4.medial.cranial"]["provenance"]["origin"], "ct");
    EXPECT_EQ(a["landmarks"]["levels"]["rib4.medial.cranial"]["provenance"]["origin"], "contour");
    EXPECT_EQ(b["landmarks"]["im_vein"]["provenance"]["origin"], "ct");
    bool same = a["guidelines"].size() == b["guidelines"].size();
    std::string verdicts;
    for (const auto& g : a["guidelines"]) {
      const json& h = guideline(b, g["id"]);
      same = same && h["overall"] == g["overall"];
      verdicts += g["id"].get<std::string>() + " " + g["overall"].get<std::string>() + "/" + h["overall"].get<std::string>() + "; ";
      EXPECT_EQ(h["landmark_basis"]["origin"], "ct") << g["id"];
    }
    equal += same ? 1 : 0;
    std::printf("[ verdicts ] seed %d %s: %s%s\n", seed, side.c_str(), verdicts.c_str(), same ? "" : " DIFFERENT");
    // Not only the verdicts: every check's status, each level's deviation within a slice, and the margins'
    // median deviations within 1 mm on nearly all checks. (A margin median can jump where the realised
    // margin is bimodal along z, e.g. the artery lateral to the vein on some planes only, and the CT vein
    // spans the sternum's planes where the contour runs on above it: the plane sets differ, not the vein.)
    const auto ca = checks(a), cb = checks(b);
    for (const auto& [key, c] : ca) {
      ASSERT_TRUE(cb.count(key)) << key;
      const json& d = cb.at(key);
      ++statuses;
      statuses_equal += c["status"] == d["status"] ? 1 : 0;
      if (c["status"] != d["status"]) std::printf("[ status   ] seed %d %s: %s %s/%s\n", seed, side.c_str(), key.c_str(),
                                                  c["status"].get<std::string>().c_str(), d["status"].get<std::string>().c_str());
      if (c.contains("deviation_mm") && c["deviation_mm"].is_number() && d["deviation_mm"].is_number()) {
        EXPECT_NEAR(d["deviation_mm"].get<double>(), c["deviation_mm"].get<double>(), 2.5) << key;
      }
      if (c.contains("deviation") && c["deviation"]["median_mm"].is_number() && d["deviation"]["median_mm"].is_number()) {
        const double diff = std::abs(d["deviation"]["median_mm"].get<double>() - c["deviation"]["median_mm"].get<double>());
        ++margins;
        margins_close += diff <= 1.0 ? 1 : 0;
        if (diff > 1.0) std::printf("[ margin   ] seed %d %s: %s median deviation differs by %.1f mm\n", seed, side.c_str(), key.c_str(), diff);
      }
    }
  }
  std::printf("[ checks   ] status equal on %d of %d checks; margin medians within 1 mm on %d of %d\n", statuses_equal, statuses,
              margins_close, margins);
  EXPECT_GE(statuses_equal * 100, statuses * 95) << "check statuses equal on at least 95%";
  EXPECT_GE(margins_close * 100, margins * 95) << "margin median deviations within 1 mm on at least 95%";
  std::printf("[ verdicts ] equal on %d of %d seeds\n", equal, n);
  EXPECT_GE(equal, n - n / 20) << "at least 19 of 20";
}

TEST(AuditCtLandmarks, VesselsTheCtDoesNotShowAreEstimatedLabelledAndCanBeLeftOut) {
  const fs::path ph = make_phantom(scratch_root() / "hidden", "--variant no-landmarks --seed 3 --hide-im-vessels");
  std::string output;
  const json r = audit(ph, "hidden", "", &output);
  ASSERT_TRUE(r.is_object());
  const json* vein = structure_use(r, "CT_V_Mammary_L_est");
  ASSERT_NE(vein, nullptr) << r["ct_landmarks"].dump(1);
  EXPECT_EQ((*vein)["origin"], "estimated");
  EXPECT_EQ((*vein)["used"], true);
  EXPECT_EQ(r["landmarks"]["im_vein"]["provenance"]["origin"], "estimated");
  EXPECT_TRUE(r["landmarks"]["im_vein"]["roi_number"].is_null()) << "not an ROI of the structure set";
  EXPECT_EQ(r["ct_landmarks"]["found"]["im_vessels"]["left"]["estimated"], true);
  EXPECT_THAT(r["warnings"].dump(), ::testing::HasSubstr("left IM vein not found credibly in the CT: estimated"));
  EXPECT_THAT(output, ::testing::HasSubstr("CT_V_Mammary_L_est (ESTIMATED)"));
  for (const auto& g : r["guidelines"]) {
    SCOPED_TRACE(g["id"].get<std::string>());
    EXPECT_EQ(g["landmark_basis"]["origin"], "estimated");
    EXPECT_THAT(g["estimated_landmarks"], ::testing::Contains("im_vein"));
    EXPECT_THAT(g["notes"].dump(), ::testing::HasSubstr("built on estimated landmarks (im_vein)"));
    for (const auto& m : g["checks"]["margins"]) EXPECT_EQ(m["landmark_basis"]["origin"], "estimated");
    for (const auto& l : g["checks"]["levels"]) EXPECT_NE(l["landmark_basis"]["origin"], "estimated") << "the ribs were found";
    for (const auto& f : g["summary"]) {
      if (f["check"].get<std::string>().find("margin") != std::string::npos) {
        EXPECT_THAT(f["message"].get<std::string>(), ::testing::HasSubstr("[built on an estimated landmark]"));
      }
    }
  }
  const std::string html = [&] {
    std::ifstream in(scratch_root() / "out-hidden" / "report.html");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  EXPECT_THAT(html, ::testing::HasSubstr("built on estimated landmarks"));
  EXPECT_THAT(html, ::testing::HasSubstr("<section id=\"landmarks\">"));
  EXPECT_THAT(html, ::testing::HasSubstr("<td class=\"basis basis-estimated\" title=\"confidence"))
      << "each check built on the estimate says so in its row";

  // Turned off: the estimate is not used, and what needed it is not evaluable, with the reason.
  const json off = audit(ph, "hidden-off", "--no-estimated-landmarks");
  ASSERT_TRUE(off.is_object());
  EXPECT_EQ(off["ct_landmarks"]["estimates_used"], false);
  const json* v2 = structure_use(off, "CT_V_Mammary_L_est");
  ASSERT_NE(v2, nullptr);
  EXPECT_EQ((*v2)["used"], false);
  EXPECT_THAT((*v2)["why_not_used"].get<std::string>(), ::testing::HasSubstr("--no-estimated-landmarks"));
  EXPECT_EQ(off["landmarks"]["im_vein"]["evaluable"], false);
  const json& estro = guideline(off, "estro-2015");
  EXPECT_TRUE(estro["estimated_landmarks"].empty());
  EXPECT_NE(estro["landmark_basis"]["origin"], "estimated");
  for (const auto& m : estro["checks"]["margins"]) EXPECT_EQ(m["status"], "not_evaluable") << m["direction"];
  for (const auto& l : estro["checks"]["levels"]) EXPECT_NE(l["status"], "not_evaluable") << "the rib levels from the CT stay";
}

TEST(AuditCtLandmarks, AContouredLandmarkAlwaysWins) {
  const fs::path ph = make_phantom(scratch_root() / "partial", "--variant estro --seed 5");
  // Everything contoured: the CT is not even read.
  const json full = audit(ph, "full");
  EXPECT_EQ(full["ct_landmarks"]["searched"], false);
  EXPECT_THAT(full["ct_landmarks"]["not_searched_reason"].get<std::string>(), ::testing::HasSubstr("every landmark role"));
  // The IM vessels unbound: they come from the CT, the contoured ribs and sternum stay.
  const json part = audit(ph, "partial", "--role V_Mammary_L=none --role A_Mammary_L=none");
  ASSERT_TRUE(part.is_object());
  EXPECT_EQ(part["ct_landmarks"]["searched"], true);
  const json* rib = structure_use(part, "CT_Rib04_L");
  ASSERT_NE(rib, nullptr);
  EXPECT_EQ((*rib)["used"], false);
  EXPECT_THAT((*rib)["why_not_used"].get<std::string>(), ::testing::HasSubstr("the contour wins"));
  const json* vein = structure_use(part, "CT_V_Mammary_L");
  ASSERT_NE(vein, nullptr);
  EXPECT_EQ((*vein)["used"], true);
  EXPECT_EQ(part["landmarks"]["levels"]["rib4.medial.cranial"]["provenance"]["origin"], "contour");
  EXPECT_EQ(part["landmarks"]["sternum_edge"]["provenance"]["origin"], "contour");
  EXPECT_EQ(part["landmarks"]["im_vein"]["provenance"]["origin"], "ct");
  EXPECT_EQ(part["landmarks"]["im_vein"]["roi_name"], "CT_V_Mammary_L");
  EXPECT_EQ(guideline(part, "estro-2015")["overall"], guideline(full, "estro-2015")["overall"]);
  EXPECT_EQ(guideline(part, "estro-2015")["landmark_basis"]["origin"], "ct");
  EXPECT_EQ(guideline(full, "estro-2015")["landmark_basis"]["origin"], "contour");
  // --no-ct-landmarks: the CT is not searched, the vessels are missing.
  const json none = audit(ph, "partial-off", "--role V_Mammary_L=none --role A_Mammary_L=none --no-ct-landmarks");
  EXPECT_EQ(none["ct_landmarks"]["searched"], false);
  EXPECT_EQ(none["landmarks"]["im_vein"]["evaluable"], false);
}

TEST(AuditCtLandmarks, ACtThatIsNotAThoraxGivesReasonsNotLandmarks) {
  const fs::path matrad = fs::path(RTAUDIT_SHARED_DIR) / "data" / "conformance" / "matRad" / "examples" / "dicomExport";
  if (!fs::exists(matrad)) GTEST_SKIP() << "conformance data not found";
  const json r = audit(matrad, "matrad");
  ASSERT_TRUE(r.is_object());
  const json& ct = r["ct_landmarks"];
  ASSERT_EQ(ct["searched"], true) << ct.dump(1);
  ASSERT_TRUE(ct["found"].is_object()) << ct.dump(1);
  EXPECT_EQ(ct["found"]["thorax"], false);
  ASSERT_FALSE(ct["found"]["not_found"].empty());
  EXPECT_THAT(ct["found"]["not_found"][0].get<std::string>(), ::testing::HasSubstr("landmarks not found"));
  EXPECT_TRUE(ct["structures"].empty());
  EXPECT_EQ(ct["used"], false);
  EXPECT_THAT(r["warnings"].dump(), ::testing::HasSubstr("landmarks from the CT: landmarks not found"));
}

// `rtaudit serve` behind a real Orthanc (issue 9, "real peers, in tests"): the planning system stores a
// phantom plan into Orthanc (Debian's `orthanc` package, 1.10), whose Lua route forwards every stable study
// holding an RT plan to the node. The node admits only Orthanc's AE title, so the audited case can only
// have come through the route; the planning system's direct send is refused.
//
// The test starts its own Orthanc with a configuration written into its scratch folder (no system
// configuration, no plugins, nothing outside the scratch folder), on ports of its own, and kills it at the
// end. Without Orthanc it skips, saying so.

#include "rtaudit/cohort/store.hpp"
#include "rtaudit/store/jobs.hpp"
#include "tests/support/cli_scratch.hpp"
#include "tests/support/node_checks.hpp"
#include "tests/support/node_process.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

namespace rtaudit::test {
namespace {

namespace fs = std::filesystem;

/// Orthanc's binary (the Debian package puts it in /usr/sbin), or empty.
fs::path find_orthanc() {
  std::vector<fs::path> dirs{"/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"};
  if (const char* path = std::getenv("PATH")) {
    std::istringstream in(path);
    for (std::string d; std::getline(in, d, ':');) {
      if (!d.empty()) dirs.emplace_back(d);
    }
  }
  for (const auto& d : dirs) {
    const fs::path p = d / "Orthanc";
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return {};
}

/// The route, as docs/serve.md gives it to departments. OnStableStudy (not OnStoredInstance): the node
/// audits a case once its patient has been quiet for `settle` seconds, so the study is best sent whole, in
/// one association, once Orthanc has all of it; the send is an Orthanc job (asynchronous: the Lua thread is
/// not held for the C-STOREs), and a job that fails stays in /jobs with its error and can be resubmitted,
/// where a failed SendToModality of OnStoredInstance is only a log line and the instance never reaches the
/// node. Only the series the node stores are sent (an MR series in the study would make the job fail at
/// the node's negotiation), and only studies with an RT plan.
constexpr const char* kRouteLua = R"(-- Route every stable study holding an RT plan to rtaudit (modality 'rtaudit' of DicomModalities).
local RTAUDIT_STORES = { CT = true, RTSTRUCT = true, RTPLAN = true, RTDOSE = true, REG = true }

function OnStableStudy(studyId, tags, metadata)
  local send, plan = {}, false
  for _, series in ipairs(ParseJson(RestApiGet('/studies/' .. studyId .. '/series'))) do
    local modality = series['MainDicomTags']['Modality']
    if RTAUDIT_STORES[modality] then table.insert(send, series['ID']) end
    if modality == 'RTPLAN' then plan = true end
  end
  if plan then
    print('rtaudit route: sending ' .. #send .. ' series of study ' .. studyId)
    RestApiPost('/modalities/rtaudit/store', DumpJson({ Resources = send, Asynchronous = true }, true))
  end
end
)";

/// Orthanc's configuration: everything in `dir`, DICOM on `dicom_port` as ORTHANC, HTTP on `http_port`,
/// the node as modality 'rtaudit' on `node_port`, and C-ECHO/C-STORE only from PLANNING on 127.0.0.1.
nlohmann::json orthanc_config(const fs::path& dir, int dicom_port, int http_port, int node_port) {
  using nlohmann::json;
  return json{
      {"Name", "rtaudit-test"},
      {"StorageDirectory", (dir / "db").string()},
      {"IndexDirectory", (dir / "db").string()},
      {"TemporaryDirectory", (dir / "tmp").string()},
      {"Plugins", json::array()},
      {"LuaScripts", json::array({(dir / "route.lua").string()})},
      {"StableAge", 2},
      {"SaveJobs", false},
      // HTTP (the explorer, to watch and resubmit jobs): Orthanc 1.10 has no bind address and listens on
      // all interfaces, but without RemoteAccessAllowed it answers only requests from the loopback.
      {"HttpServerEnabled", true},
      {"HttpPort", http_port},
      {"RemoteAccessAllowed", false},
      {"AuthenticationEnabled", false},
      {"ExecuteLuaEnabled", false},
      // DICOM: Orthanc 1.10 has no bind address either (the SCP listens on 0.0.0.0); what it serves is
      // restricted instead: only the modalities listed, from their listed host (here 127.0.0.1), with
      // the called AE title checked.
      {"DicomServerEnabled", true},
      {"DicomAet", "ORTHANC"},
      {"DicomPort", dicom_port},
      {"DicomCheckCalledAet", true},
      {"DicomCheckModalityHost", true},
      {"DicomAlwaysAllowEcho", false},
      {"DicomAlwaysAllowStore", false},
      {"UnknownSopClassAccepted", false},
      // The node may be slow to answer a C-STORE (it checks and fsyncs every object; under
      // AddressSanitizer several times slower): Orthanc's default of 10 s would fail the job.
      {"DicomScuTimeout", 120},
      {"DicomModalities",
       {{"planning",
         {{"AET", "PLANNING"}, {"Host", "127.0.0.1"}, {"Port", 104}, {"AllowEcho", true}, {"AllowStore", true}, {"AllowFind", false},
          {"AllowMove", false}, {"AllowGet", false}, {"AllowStorageCommitment", false}}},
        {"rtaudit",
         {{"AET", "RTAUDIT"}, {"Host", "127.0.0.1"}, {"Port", node_port}, {"AllowEcho", false}, {"AllowStore", false}, {"AllowFind", false},
          {"AllowMove", false}, {"AllowGet", false}, {"AllowStorageCommitment", false}}}}},
  };
}

TEST(ServeOrthanc, APlanStoredIntoOrthancIsRoutedToTheNodeAndAudited) {
  const fs::path orthanc_binary = find_orthanc();
  if (orthanc_binary.empty()) GTEST_SKIP() << "no Orthanc binary: apt-get install orthanc (scripts/install-deps.sh installs it)";
  const fs::path dir = scratch_root() / "route";
  const fs::path phantom = make_phantom(dir / "phantom", "--seed 21");
  const std::set<std::string> sent_uids = sop_uids_below(phantom);
  ASSERT_EQ(sent_uids.size(), 108u);  // 105 CT, RTSTRUCT, RTPLAN, RTDOSE
  const int node_port = test_port(10);
  const int dicom_port = test_port(11);
  const int http_port = test_port(12);
  const fs::path storage = dir / "storage";
  const fs::path db = storage / "rtaudit.sqlite";

  // The node admits Orthanc only.
  Process node({RTAUDIT_BINARY, "serve", "--storage", storage.string(), "--port", std::to_string(node_port), "--allow-ae", "ORTHANC", "--settle", "5"},
               dir / "node.log");
  ASSERT_TRUE(wait_until([&] { return !node.running() || echoscu(node_port, "-aet ORTHANC -aec RTAUDIT").exit_code == 0; }, 120) && node.running())
      << node.log();
  // The planning system cannot store to the node directly.
  const std::string phantom_files = " +sd +r +sp '*.dcm' ";
  const auto direct = run_tool("storescu -aet PLANNING -aec RTAUDIT" + phantom_files + "127.0.0.1 " + std::to_string(node_port) + " " + quoted(phantom));
  EXPECT_NE(direct.exit_code, 0) << direct.output;
  EXPECT_NE(direct.output.find("Calling AE Title Not Recognized"), std::string::npos) << direct.output;
  EXPECT_TRUE(sop_uids_below(storage / "objects").empty());

  // Orthanc, with its configuration and nothing else (no /etc/orthanc, no plugin).
  fs::create_directories(dir / "orthanc" / "tmp");
  {
    std::ofstream(dir / "orthanc" / "route.lua") << kRouteLua;
    std::ofstream(dir / "orthanc" / "orthanc.json") << orthanc_config(dir / "orthanc", dicom_port, http_port, node_port).dump(2);
  }
  Process orthanc({orthanc_binary.string(), (dir / "orthanc" / "orthanc.json").string()}, dir / "orthanc.log");
  ASSERT_TRUE(wait_until([&] { return !orthanc.running() || echoscu(dicom_port, "-aet PLANNING -aec ORTHANC").exit_code == 0; }, 120) &&
              orthanc.running())
      << orthanc.log();
  EXPECT_NE(echoscu(dicom_port, "-aet SOMEONE -aec ORTHANC").exit_code, 0) << "Orthanc serves only its listed modalities";

  // The planning system exports the plan to Orthanc; Orthanc routes it on.
  const auto sent = run_tool("storescu -aet PLANNING -aec ORTHANC" + phantom_files + "127.0.0.1 " + std::to_string(dicom_port) + " " + quoted(phantom));
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  ASSERT_TRUE(wait_until([&] { return queue_counts(db).done >= 1 && sop_uids_below(storage / "objects") == sent_uids; }, 300))
      << "node:\n" << node.log() << "\northanc:\n" << orthanc.log();

  // Every instance sent to Orthanc reached the node, and the case was audited once, whole.
  EXPECT_EQ(sop_uids_below(storage / "objects"), sent_uids);
  const auto c = queue_counts(db);
  EXPECT_EQ(c.done, 1);
  EXPECT_EQ(c.queued + c.running + c.failed, 0);
  EXPECT_NE(node.log().find("ready: structure set with 105 CT, 1 RTPLAN, 1 RTDOSE"), std::string::npos) << node.log();
  EXPECT_NE(orthanc.log().find("rtaudit route: sending 4 series of study"), std::string::npos) << orthanc.log();
  const std::vector<fs::path> reports = reports_below(storage / "reports");
  ASSERT_EQ(reports.size(), 1u);
  std::string error;
  auto results = cohort::Store::open(db.string(), &error);
  ASSERT_TRUE(results) << error;
  const auto records = results->load({reports[0].parent_path().filename().string().substr(0, 17)});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].status, "ok") << records[0].error;
  EXPECT_FALSE(records[0].checks.empty());

  EXPECT_EQ(orthanc.kill(SIGTERM), 0) << orthanc.log();
  EXPECT_EQ(node.kill(SIGTERM), 0) << node.log();
}

}  // namespace
}  // namespace rtaudit::test

// `rtaudit serve` and `rtaudit worker` end to end (issue 9), with DCMTK's real peers (echoscu, storescu):
// phantom plans sent over DICOM are stored once and audited; unlisted peers, other SOP classes, bad data,
// escaping UIDs and oversized objects are refused while the node keeps serving; kill -9 of the node or
// of a worker loses and duplicates nothing.

#include "rtaudit/cohort/store.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/store/jobs.hpp"
#include "tests/support/cli_scratch.hpp"
#include "tests/support/node_checks.hpp"
#include "tests/support/node_process.hpp"
#include "tests/support/postgres_scratch.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

namespace rtaudit::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::unique_ptr<Process> start_node(const fs::path& storage, int port, const std::string& extra = "", const std::string& echo_args = "-aec RTAUDIT") {
  std::vector<std::string> argv{RTAUDIT_BINARY, "serve", "--storage", storage.string(), "--port", std::to_string(port)};
  std::istringstream words(extra);
  for (std::string w; words >> w;) argv.push_back(w);
  fs::create_directories(storage.parent_path());
  auto p = std::make_unique<Process>(argv, storage.string() + ".log");
  const bool up = wait_until([&] { return !p->running() || echoscu(port, echo_args).exit_code == 0; }, 30);
  EXPECT_TRUE(up && p->running()) << p->log();
  return p;
}

/// The SOP Instance UIDs storescu -v says it sent and had acknowledged with Success.
std::set<std::string> acknowledged(const std::string& storescu_log) {
  std::set<std::string> ok;
  std::istringstream in(storescu_log);
  std::string line, sending;
  while (std::getline(in, line)) {
    if (const auto p = line.find("Sending file: "); p != std::string::npos) sending = line.substr(p + 14);
    if (line.find("Received Store Response (Success)") != std::string::npos && !sending.empty()) ok.insert(sop_uid_of(sending));
  }
  return ok;
}

/// Every stored object loads whole (no partial file is visible under objects/).
void expect_every_stored_object_complete(const fs::path& storage) {
  for (const auto& f : files_below(storage / "objects")) {
    auto loaded = dicom::load_file(f.string(), dicom::LoadDepth::Full);
    EXPECT_TRUE(loaded.file) << f << ": " << loaded.error;
  }
}

int count_dicom_files(const fs::path& dir) {
  int n = 0;
  for (const auto& f : files_below(dir)) n += f.extension() == ".dcm" ? 1 : 0;
  return n;
}

TEST(ServeCli, APhantomPlanSentByStorescuIsStoredOnceAndAuditedIntoTheStore) {
  const fs::path dir = scratch_root() / "basic";
  const fs::path phantom = make_phantom(dir / "phantom", "--seed 5");
  const int port = test_port(0);
  auto node = start_node(dir / "storage", port, "--settle 1");
  const std::string send = "storescu -aec RTAUDIT +sd +r +sp '*.dcm' localhost " + std::to_string(port) + " " + quoted(phantom);
  const auto sent = run_tool(send);
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  const int objects = count_dicom_files(phantom);
  EXPECT_EQ(count_dicom_files(dir / "storage" / "objects"), objects);
  const fs::path db = dir / "storage" / "rtaudit.sqlite";
  ASSERT_TRUE(wait_until([&] { return queue_counts(db).done == 1; }, 120)) << node->log();
  // Sent again, as a planning system does after a timeout: stored once, not audited again.
  ASSERT_EQ(run_tool(send).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(count_dicom_files(dir / "storage" / "objects"), objects);
  const auto c = queue_counts(db);
  EXPECT_EQ(c.done, 1);
  EXPECT_EQ(c.queued + c.running + c.failed, 0);
  EXPECT_TRUE(files_below(dir / "storage" / "incoming").empty());
  // The result is in the results store, with the report beside it.
  const std::vector<fs::path> reports = reports_below(dir / "storage" / "reports");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(fs::exists(reports[0].parent_path() / "report.html"));
  const std::string key = reports[0].parent_path().filename().string().substr(0, 17);
  std::string error;
  auto results = cohort::Store::open(db.string(), &error);
  ASSERT_TRUE(results) << error;
  const auto records = results->load({key});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].status, "ok") << records[0].error;
  EXPECT_FALSE(records[0].checks.empty());
  EXPECT_EQ(node->kill(SIGTERM), 0);
  // No patient identifier in the node's log.
  const std::string log = node->log();
  EXPECT_NE(log.find("ready: structure set with 105 CT, 1 RTPLAN, 1 RTDOSE"), std::string::npos) << log;
  EXPECT_EQ(log.find("RTA-PH-"), std::string::npos) << log;
  EXPECT_EQ(log.find("Phantom"), std::string::npos) << log;
}

TEST(ServeCli, UnlistedAeTitlesAndHostsAreRefused) {
  const fs::path dir = scratch_root() / "peers";
  const int port = test_port(1);
  {
    auto node = start_node(dir / "ae", port, "--allow-ae TPS1 --allow-ae TPS2", "-aet TPS1 -aec RTAUDIT");
    EXPECT_EQ(echoscu(port, "-aet TPS2 -aec RTAUDIT").exit_code, 0);
    const auto evil = echoscu(port, "-aet EVIL -aec RTAUDIT");
    EXPECT_NE(evil.exit_code, 0);
    EXPECT_NE(evil.output.find("Calling AE Title Not Recognized"), std::string::npos) << evil.output;
    const auto wrong = echoscu(port, "-aet TPS1 -aec SOMEONE");
    EXPECT_NE(wrong.exit_code, 0);
    EXPECT_NE(wrong.output.find("Called AE Title Not Recognized"), std::string::npos) << wrong.output;
    EXPECT_EQ(echoscu(port, "-aet TPS1 -aec RTAUDIT").exit_code, 0) << "still serving";
    EXPECT_EQ(node->kill(SIGTERM), 0);
  }
  {
    // Only a host that is not this one: loopback peers are refused.
    std::vector<std::string> argv{RTAUDIT_BINARY, "serve", "--storage", (dir / "host").string(), "--port", std::to_string(test_port(6)),
                                  "--allow-host", "192.0.2.7"};
    Process node(argv, dir / "host.log");
    ASSERT_TRUE(wait_until([&] { return node.log().find("listening") != std::string::npos; }, 20)) << node.log();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto refused = echoscu(test_port(6), "-aec RTAUDIT");
    EXPECT_NE(refused.exit_code, 0) << refused.output;
    EXPECT_NE(node.log().find("host not allowed"), std::string::npos) << node.log();
    EXPECT_TRUE(node.running());
  }
}

/// A CT slice of the phantom, changed by `edit` and saved as `out`.
fs::path edited_slice(const fs::path& phantom, const fs::path& out, const std::function<void(DcmDataset&)>& edit) {
  DcmFileFormat f;
  EXPECT_TRUE(f.loadFile((phantom / "CT" / "CT0001.dcm").c_str()).good());
  edit(*f.getDataset());
  // The file meta information follows the edited dataset (storescu proposes the meta's SOP class).
  OFString cls, inst;
  f.getDataset()->findAndGetOFString(DCM_SOPClassUID, cls);
  f.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, inst);
  f.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPClassUID, cls.c_str());
  f.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPInstanceUID, inst.c_str());
  EXPECT_TRUE(f.saveFile(out.c_str(), EXS_LittleEndianExplicit).good());
  return out;
}

TEST(ServeCli, OtherSopClassesBadDataAndEscapingUidsAreRefusedWhileTheNodeKeepsServing) {
  const fs::path dir = scratch_root() / "bad";
  const fs::path phantom = make_phantom(dir / "phantom", "--seed 6");
  const int port = test_port(2);
  auto node = start_node(dir / "storage", port, "--settle 1");
  const std::string to = " localhost " + std::to_string(port) + " ";
  // An MR image: no presentation context is accepted for it.
  const fs::path mr = edited_slice(phantom, dir / "mr.dcm", [](DcmDataset& d) {
    d.putAndInsertString(DCM_SOPClassUID, "1.2.840.10008.5.1.4.1.1.4");
    d.putAndInsertString(DCM_Modality, "MR");
  });
  const auto mr_sent = run_tool("storescu -aec RTAUDIT" + to + quoted(mr));
  EXPECT_NE(mr_sent.exit_code, 0);
  EXPECT_NE(mr_sent.output.find("No presentation context for: (MR)"), std::string::npos) << mr_sent.output;
  // A CT whose pixel data is shorter than its header says, and one whose position does not parse.
  const fs::path short_pixels = edited_slice(phantom, dir / "short.dcm", [](DcmDataset& d) {
    std::vector<Uint16> px(1000, 0);
    d.putAndInsertUint16Array(DCM_PixelData, px.data(), static_cast<unsigned long>(px.size()));
    d.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.888.1");
  });
  const fs::path bad_position = edited_slice(phantom, dir / "position.dcm", [](DcmDataset& d) {
    d.putAndInsertString(DCM_ImagePositionPatient, "a\\b\\c");
    d.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.888.2");
  });
  // UIDs built to climb out of the storage folder.
  const fs::path escape = edited_slice(phantom, dir / "escape.dcm", [](DcmDataset& d) {
    d.putAndInsertString(DCM_SeriesInstanceUID, "../../../../../../tmp/rtaudit-escape");
    d.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.888.3");
  });
  const fs::path escape_sop = edited_slice(phantom, dir / "escape-sop.dcm", [](DcmDataset& d) {
    d.putAndInsertString(DCM_SOPInstanceUID, "../../../../rtaudit-escape-sop");
  });
  for (const fs::path& f : {short_pixels, bad_position, escape, escape_sop}) {
    const auto r = run_tool("storescu -v -aec RTAUDIT" + to + quoted(f));
    EXPECT_NE(r.output.find("Received Store Response (Error: CannotUnderstand)"), std::string::npos) << f << "\n" << r.output;
    EXPECT_EQ(echoscu(port, "-aec RTAUDIT").exit_code, 0) << "still serving after " << f;
  }
  EXPECT_EQ(count_dicom_files(dir / "storage" / "objects"), 0);
  EXPECT_TRUE(files_below(dir / "storage" / "incoming").empty());
  EXPECT_FALSE(fs::exists("/tmp/rtaudit-escape"));
  EXPECT_FALSE(fs::exists("/tmp/rtaudit-escape-sop.dcm"));
  for (const auto& f : files_below(dir)) EXPECT_EQ(f.string().find("escape-sop.dcm.dcm"), std::string::npos);
  const std::string log = node->log();
  EXPECT_NE(log.find("refused (0xC000): Pixel Data holds 2000 bytes"), std::string::npos) << log;
  EXPECT_NE(log.find("Series Instance UID missing or not a valid UID"), std::string::npos) << log;
  EXPECT_EQ(log.find("rtaudit-escape"), std::string::npos) << "the escaping string is not logged";
  // A peer that sends a dataset cut off mid-stream, and one whose dataset is not DICOM at all (no real SCU
  // can be made to: storescu refuses such files), speaking the upper layer protocol by hand.
  const std::string peer = "/usr/bin/python3 " + quoted(fs::path(RTAUDIT_SOURCE_DIR) / "tests/cli/raw_dicom_peer.py") + " " + std::to_string(port);
  EXPECT_EQ(run_tool(peer + " truncate").output, "closed\n");
  const auto garbage = run_tool(peer + " garbage");
  EXPECT_EQ(garbage.output, "0xC000\n") << garbage.output;
  EXPECT_TRUE(wait_until([&] { return files_below(dir / "storage" / "incoming").empty(); }, 10));
  EXPECT_EQ(echoscu(port, "-aec RTAUDIT").exit_code, 0);
  EXPECT_EQ(count_dicom_files(dir / "storage" / "objects"), 0);
  EXPECT_NE(node->log().find("the dataset cannot be parsed"), std::string::npos) << node->log();
  EXPECT_EQ(node->kill(SIGTERM), 0);
}

TEST(ServeCli, APeerOverTheObjectSizeLimitIsCutOffWithoutHarmToTheOthers) {
  const fs::path dir = scratch_root() / "limits";
  const fs::path phantom = make_phantom(dir / "phantom", "--seed 7");
  const int port = test_port(3);
  // RS.dcm (3 MB) and RD.dcm (2.6 MB) are over 1 MB; the CT slices (0.26 MB) are under.
  auto node = start_node(dir / "storage", port, "--settle 60 --max-object-mb 1 --max-associations 4");
  const std::string to = " localhost " + std::to_string(port) + " ";
  std::thread big([&] {
    const auto r = run_tool("storescu -aec RTAUDIT" + to + quoted(phantom / "RS.dcm"));
    EXPECT_NE(r.exit_code, 0) << r.output;
  });
  const auto small = run_tool("storescu -aec RTAUDIT +sd" + to + quoted(phantom / "CT"));
  big.join();
  EXPECT_EQ(small.exit_code, 0) << small.output;
  EXPECT_EQ(count_dicom_files(dir / "storage" / "objects"), count_dicom_files(phantom / "CT"));
  EXPECT_NE(node->log().find("cut off: object larger than 1000000 bytes"), std::string::npos) << node->log();
  EXPECT_EQ(echoscu(port, "-aec RTAUDIT").exit_code, 0);
  EXPECT_TRUE(files_below(dir / "storage" / "incoming").empty());
  EXPECT_EQ(node->kill(SIGTERM), 0);
}

TEST(ServeCli, KillNineDuringTransfersLosesNoAcknowledgedObjectAndEveryCaseIsAuditedAfterRestart) {
  const fs::path dir = scratch_root() / "crash";
  std::vector<fs::path> phantoms;
  for (int s = 0; s < 3; ++s) phantoms.push_back(make_phantom(dir / ("phantom" + std::to_string(s)), "--seed " + std::to_string(11 + s)));
  const int port = test_port(4);
  const fs::path storage = dir / "storage";
  auto node = start_node(storage, port, "--settle 2 --workers 0");
  std::vector<std::unique_ptr<Process>> senders;
  for (std::size_t s = 0; s < phantoms.size(); ++s) {
    senders.push_back(std::make_unique<Process>(
        std::vector<std::string>{"/usr/bin/storescu", "-v", "-aec", "RTAUDIT", "+sd", "+r", "+sp", "*.dcm", "localhost", std::to_string(port),
                                 phantoms[s].string()},
        dir / ("send" + std::to_string(s) + ".log")));
  }
  // Kill the node once some, not all, objects are in.
  ASSERT_TRUE(wait_until([&] { return count_dicom_files(storage / "objects") >= 60; }, 60));
  node->kill(SIGKILL);
  std::set<std::string> acked;
  for (auto& s : senders) {
    s->wait();
    for (const auto& uid : acknowledged(s->log())) acked.insert(uid);
  }
  ASSERT_GE(acked.size(), 50u);
  const std::set<std::string> stored = sop_uids_below(storage / "objects");
  for (const auto& uid : acked) EXPECT_TRUE(stored.count(uid)) << "acknowledged but lost: " << uid;
  expect_every_stored_object_complete(storage);
  EXPECT_LT(stored.size(), 3u * 108u) << "the kill came too late to test anything";

  // Restart; the planning system sends again what failed. Every case is audited, each once.
  node = start_node(storage, port, "--settle 2 --workers 2");
  EXPECT_TRUE(files_below(storage / "incoming").empty());
  for (const auto& p : phantoms) {
    const auto r = run_tool("storescu -aec RTAUDIT +sd +r +sp '*.dcm' localhost " + std::to_string(port) + " " + quoted(p));
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }
  ASSERT_TRUE(wait_until([&] { return queue_counts(storage / "rtaudit.sqlite").done == 3; }, 240)) << node->log();
  EXPECT_EQ(count_dicom_files(storage / "objects"), 3 * count_dicom_files(phantoms[0]));
  EXPECT_EQ(node->kill(SIGTERM), 0);
}

TEST(ServeCli, AWorkerKilledMidAuditNeitherLosesNorDuplicatesItsCase) {
  const fs::path dir = scratch_root() / "worker";
  const fs::path phantom = make_phantom(dir / "phantom", "--seed 8");
  const int port = test_port(5);
  const fs::path storage = dir / "storage";
  const fs::path db = storage / "rtaudit.sqlite";
  auto node = start_node(storage, port, "--settle 1 --workers 0");
  ASSERT_EQ(run_tool("storescu -aec RTAUDIT +sd +r +sp '*.dcm' localhost " + std::to_string(port) + " " + quoted(phantom)).exit_code, 0);
  ASSERT_TRUE(wait_until([&] { return queue_counts(db).queued == 1; }, 30)) << node->log();
  const std::vector<std::string> worker{RTAUDIT_BINARY, "worker", "--db", db.string(), "--lease", "3", "--exit-when-empty"};
  auto first = std::make_unique<Process>(concat(worker, {"--out", (dir / "w1").string(), "--name", "first"}), dir / "w1.log");
  ASSERT_TRUE(wait_until([&] { return queue_counts(db).running == 1; }, 30)) << first->log();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // mid-audit
  first->kill(SIGKILL);
  EXPECT_EQ(queue_counts(db).running, 1) << "the dead worker's claim holds until its lease runs out";
  Process second(concat(worker, {"--out", (dir / "w2").string(), "--name", "second"}), dir / "w2.log");
  EXPECT_EQ(second.wait(), 0) << second.log();
  const auto c = queue_counts(db);
  EXPECT_EQ(c.done, 1);
  EXPECT_EQ(c.queued + c.running + c.failed, 0);
  std::string error;
  auto q = store::JobQueue::open(db.string(), &error);
  ASSERT_TRUE(q) << error;
  EXPECT_NE(second.log().find("(claim 2)"), std::string::npos) << second.log();
  EXPECT_NE(second.log().find("1 case(s) audited"), std::string::npos) << second.log();
  // Exactly one result for the case, from the second worker's audit.
  const std::vector<fs::path> reports = reports_below(dir);
  ASSERT_EQ(reports.size(), 1u) << "the killed worker's audit died with it";
  EXPECT_NE(reports[0].string().find("/w2/"), std::string::npos);
  auto results = cohort::Store::open(db.string(), &error);
  const auto records = results->load({reports[0].parent_path().filename().string().substr(0, 17)});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].status, "ok") << records[0].error;
  EXPECT_EQ(node->kill(SIGTERM), 0);
}

}  // namespace
}  // namespace rtaudit::test

namespace rtaudit::test {
namespace {

TEST(ServeCli, TheConfigurationFileSetsTheNodeAndTheCommandLineOverridesIt) {
  const fs::path dir = scratch_root() / "config";
  fs::create_directories(dir);
  const int port = test_port(7);
  {
    std::ofstream cfg(dir / "node.toml");
    cfg << "# a department's node\n[serve]\nstorage = \"" << (dir / "storage").string() << "\"\nae-title = \"DEPT_NODE\"\nport = " << port
        << "\nallow-ae = [\"TPS1\", \"TPS2\"]\nsettle = 5\nmax-associations = 3\n";
  }
  Process node({RTAUDIT_BINARY, "serve", "--config", (dir / "node.toml").string(), "--max-associations", "2"}, dir / "node.log");
  ASSERT_TRUE(wait_until([&] { return echoscu(port, "-aet TPS2 -aec DEPT_NODE").exit_code == 0; }, 20)) << node.log();
  EXPECT_NE(echoscu(port, "-aet OTHER -aec DEPT_NODE").exit_code, 0);
  EXPECT_NE(echoscu(port, "-aet TPS1 -aec RTAUDIT").exit_code, 0);
  EXPECT_TRUE(fs::is_directory(dir / "storage" / "objects"));
  EXPECT_EQ(node.kill(SIGTERM), 0);
  EXPECT_NE(node.log().find("listening as DEPT_NODE on port " + std::to_string(port)), std::string::npos) << node.log();
}

/// A test CA, the node's certificate and a client's signed by it, and a client certificate nobody signed.
void make_test_pki(const fs::path& d) {
  fs::create_directories(d);
  const std::string at = "cd " + quoted(d) + " && ";
  const auto req = [&](const std::string& name) {
    return "openssl req -newkey rsa:2048 -nodes -keyout " + name + ".key -out " + name + ".csr -subj /CN=" + name + " 2>&1 && openssl x509 -req -sha256 -in " +
           name + ".csr -CA ca.crt -CAkey ca.key -CAcreateserial -out " + name + ".crt -days 2 2>&1";
  };
  for (const std::string& cmd :
       {at + "openssl req -x509 -sha256 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=rtaudit-test-ca 2>&1",
        at + req("localhost"), at + req("tps"),
        at + "openssl req -x509 -sha256 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.crt -days 2 -subj /CN=rogue 2>&1"}) {
    const auto r = run_tool(cmd);
    ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.output;
  }
}

TEST(ServeCli, OverTlsOnlyPeersWithACertificateOfTheTestCaAreServed) {
  const fs::path dir = scratch_root() / "tls";
  const fs::path pki = dir / "pki";
  make_test_pki(pki);
  const fs::path phantom = make_phantom(dir / "phantom", "--seed 9");
  const int port = test_port(8);
  const std::string node_tls = "--tls-certificate " + (pki / "localhost.crt").string() + " --tls-private-key " + (pki / "localhost.key").string() +
                               " --tls-ca " + (pki / "ca.crt").string() + " --settle 1";
  const std::string client = "+tls " + quoted(pki / "tps.key") + " " + quoted(pki / "tps.crt") + " +cf " + quoted(pki / "ca.crt") + " -aec RTAUDIT";
  auto node = start_node(dir / "storage", port, node_tls, client);
  ASSERT_TRUE(node->running()) << node->log();
  EXPECT_NE(echoscu(port, "-aec RTAUDIT").exit_code, 0) << "plain TCP is not served";
  const auto rogue = echoscu(port, "+tls " + quoted(pki / "rogue.key") + " " + quoted(pki / "rogue.crt") + " +cf " + quoted(pki / "ca.crt") + " -aec RTAUDIT");
  EXPECT_NE(rogue.exit_code, 0) << "a certificate the CA did not sign is refused\n" << rogue.output;
  const auto sent = run_tool("storescu " + client + " +sd +r +sp '*.dcm' localhost " + std::to_string(port) + " " + quoted(phantom));
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_EQ(count_dicom_files(dir / "storage" / "objects"), count_dicom_files(phantom));
  EXPECT_TRUE(wait_until([&] { return queue_counts(dir / "storage" / "rtaudit.sqlite").done == 1; }, 120)) << node->log();
  EXPECT_EQ(echoscu(port, client).exit_code, 0) << "still serving";
  EXPECT_EQ(node->kill(SIGTERM), 0);
  EXPECT_NE(node->log().find("(TLS)"), std::string::npos);
}

}  // namespace
}  // namespace rtaudit::test

namespace rtaudit::test {
namespace {

TEST(ServeCli, ThreeWorkersOnOnePostgresqlAuditTheNodesCasesEachExactlyOnce) {
  if (test_postgres().empty()) GTEST_SKIP() << kNoPostgres;
  const std::string db = fresh_postgres_database("rtaudit_serve_");
  ASSERT_FALSE(db.empty()) << "cannot create a test database";
  const fs::path dir = scratch_root() / "postgres";
  const int cases = 4;
  std::vector<fs::path> phantoms;
  for (int s = 0; s < cases; ++s) phantoms.push_back(make_phantom(dir / ("phantom" + std::to_string(s)), "--seed " + std::to_string(31 + s)));
  const int port = test_port(9);
  auto node = start_node(dir / "storage", port, "--settle 1 --workers 0 --db " + db);
  std::vector<std::thread> senders;
  for (const auto& p : phantoms) {
    senders.emplace_back([&, p] {
      EXPECT_EQ(run_tool("storescu -aec RTAUDIT +sd +r +sp '*.dcm' localhost " + std::to_string(port) + " " + quoted(p)).exit_code, 0);
    });
  }
  for (auto& t : senders) t.join();
  std::string error;
  auto queue = store::JobQueue::open(db, &error);
  ASSERT_TRUE(queue) << error;
  ASSERT_TRUE(wait_until([&] { return queue->counts().queued == cases; }, 60)) << node->log();
  std::vector<std::unique_ptr<Process>> workers;
  for (int w = 0; w < 3; ++w) {
    workers.push_back(std::make_unique<Process>(
        std::vector<std::string>{RTAUDIT_BINARY, "worker", "--db", db, "--out", (dir / ("w" + std::to_string(w))).string(), "--exit-when-empty",
                                 "--no-dose", "--name", "w" + std::to_string(w)},
        dir / ("w" + std::to_string(w) + ".log")));
  }
  int audited = 0;
  for (auto& w : workers) {
    EXPECT_EQ(w->wait(), 0) << w->log();
    std::smatch match;
    const std::string log = w->log();
    if (std::regex_search(log, match, std::regex(R"((\d+) case\(s\) audited)"))) audited += std::stoi(match[1]);
  }
  EXPECT_EQ(audited, cases) << "every case audited once, by one of the workers";
  const auto c = queue->counts();
  EXPECT_EQ(c.done, cases);
  EXPECT_EQ(c.queued + c.running + c.failed, 0);
  auto results = cohort::Store::open(db, &error);
  ASSERT_TRUE(results) << error;
  const auto keys = results->keys();
  ASSERT_EQ(keys.size(), static_cast<std::size_t>(cases));
  for (const auto& k : keys) EXPECT_EQ(queue->attempts(k), 1) << k;
  for (const auto& r : results->load(keys)) EXPECT_EQ(r.status, "ok") << r.error;
  EXPECT_EQ(node->kill(SIGTERM), 0);
  EXPECT_EQ(node->log().find("rtaudit-test"), std::string::npos) << "the database password is not logged";
}

}  // namespace
}  // namespace rtaudit::test

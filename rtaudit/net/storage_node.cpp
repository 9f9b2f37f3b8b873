#include "rtaudit/net/storage_node.hpp"

#include "rtaudit/dicom/load.hpp"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scppool.h>
#include <dcmtk/dcmnet/scpthrd.h>
#include <dcmtk/dcmtls/tlslayer.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>
#include <thread>

namespace rtaudit::net {

namespace {

/// What every association thread shares. DCMTK's pool constructs its SCP objects itself, with no
/// arguments, so they reach the node through this one pointer, set while the node runs.
struct Shared {
  const NodeConfig* config = nullptr;
  Archive* archive = nullptr;
  NodeCounters* counters = nullptr;
  std::vector<std::string> allowed_ips;  ///< config.allowed_hosts resolved
};
std::atomic<Shared*> g_shared{nullptr};

/// DCMTK keeps a connection's socket protected; a pointer to the member, named through a derived class,
/// is the standard's way to read it without changing DCMTK.
struct SocketAccess : DcmTransportConnection {
  static DcmNativeSocketType of(DcmTransportConnection* c) {
    constexpr auto get = &SocketAccess::getSocket;
    return (c->*get)();
  }
};
DcmNativeSocketType socket_of(DcmTransportConnection* c) { return SocketAccess::of(c); }

class StorageScp : public DcmThreadSCP {
 public:
  OFCondition run(T_ASC_Association* assoc) override {
    assoc_ = assoc;
    received_ = 0;
    cut_ = false;
    const OFCondition c = DcmThreadSCP::run(assoc);
    assoc_ = nullptr;
    return c;
  }

 protected:
  void notifyAssociationRequest(const T_ASC_Parameters& params, DcmSCPActionType& action) override {
    Shared& s = *g_shared.load();
    s.counters->associations++;
    const std::string ip = params.DULparams.callingPresentationAddress;
    host_ = ip;
    calling_ = params.DULparams.callingAPTitle;
    if (!s.allowed_ips.empty() && std::find(s.allowed_ips.begin(), s.allowed_ips.end(), ip) == s.allowed_ips.end()) {
      spdlog::warn("association from {} refused: host not allowed", ip);
      s.counters->refused_associations++;
      action = DCMSCP_ACTION_REFUSE_ASSOCIATION;
    }
  }
  OFBool checkCalledAETitleAccepted(const OFString& called) override {
    if (called == g_shared.load()->config->ae_title.c_str()) return OFTrue;
    spdlog::warn("association from {} refused: called AE title is not {}", host_, g_shared.load()->config->ae_title);
    g_shared.load()->counters->refused_associations++;
    return OFFalse;
  }
  OFBool checkCallingAETitleAccepted(const OFString& calling) override {
    const auto& allowed = g_shared.load()->config->allowed_ae_titles;
    if (allowed.empty() || std::find(allowed.begin(), allowed.end(), std::string(calling.c_str())) != allowed.end()) return OFTrue;
    spdlog::warn("association from {} refused: calling AE title not allowed", host_);
    g_shared.load()->counters->refused_associations++;
    return OFFalse;
  }

  /// A dataset over the size limit: the connection is shut, the receive fails, DCMTK deletes the partial
  /// file and aborts the association. Other associations are untouched.
  void notifyRECEIVEProgress(const unsigned long bytes) override {
    received_ = bytes;
    if (cut_ || bytes <= g_shared.load()->config->max_object_bytes || !assoc_) return;
    cut_ = true;
    spdlog::warn("association from {} ({}) cut off: object larger than {} bytes", host_, calling_, g_shared.load()->config->max_object_bytes);
    g_shared.load()->counters->cut_off++;
    // shutdown(), not close(): the descriptor stays DCMTK's, the next read returns end of stream at once.
    if (DcmTransportConnection* t = DUL_getTransportConnection(assoc_->DULassociation)) ::shutdown(socket_of(t), SHUT_RDWR);
  }

  OFCondition handleIncomingCommand(T_DIMSE_Message* msg, const DcmPresentationContextInfo& info) override {
    if (msg->CommandField != DIMSE_C_STORE_RQ) return DcmThreadSCP::handleIncomingCommand(msg, info);
    Shared& s = *g_shared.load();
    T_DIMSE_C_StoreRQ& req = msg->msg.CStoreRQ;
    const std::filesystem::path incoming = s.archive->incoming_path();
    OFCondition cond = receiveSTORERequest(req, info.presentationContextID, incoming.string().c_str());
    if (cond.bad()) {
      std::error_code ec;
      std::filesystem::remove(incoming, ec);
      if (!cut_) spdlog::warn("association from {} ({}): receive failed: {}", host_, calling_, cond.text());
      s.counters->refused_objects++;
      return cond;  // the stream is broken: DCMTK aborts the association
    }
    const auto [code, reason] = judge(req, incoming);
    if (code != status::kSuccess) {
      s.counters->refused_objects++;
      spdlog::warn("C-STORE from {} ({}) refused (0x{:04X}): {}", host_, calling_, code, reason);
    }
    return sendSTOREResponse(info.presentationContextID, req, code);
  }

 private:
  std::pair<std::uint16_t, std::string> judge(const T_DIMSE_C_StoreRQ& req, const std::filesystem::path& incoming) {
    Shared& s = *g_shared.load();
    std::error_code ec;
    dicom::LoadedFile loaded = dicom::load_file(incoming.string(), dicom::LoadDepth::Full);
    if (!loaded.file) {
      std::filesystem::remove(incoming, ec);
      return {status::kCannotUnderstand, "the dataset cannot be parsed: " + loaded.error};
    }
    DatasetVerdict v = check_dataset(*loaded.file->getDataset(), req.AffectedSOPClassUID, req.AffectedSOPInstanceUID);
    loaded.file.reset();
    if (!v.accepted()) {
      std::filesystem::remove(incoming, ec);
      return {v.status, v.reason};
    }
    const std::string kind(to_string(v.object.kind));
    const CommitOutcome out = s.archive->commit(incoming, std::move(v.object));
    if (out.status != status::kSuccess) return {out.status, out.reason};
    if (out.duplicate) {
      s.counters->duplicates++;
      spdlog::debug("{} from {} was stored before: kept once", kind, calling_);
    } else {
      s.counters->stored++;
      spdlog::debug("stored {} from {}", kind, calling_);
    }
    return {status::kSuccess, {}};
  }

  T_ASC_Association* assoc_ = nullptr;
  unsigned long received_ = 0;
  bool cut_ = false;
  std::string host_, calling_;
};

using Pool = DcmSCPPool<StorageScp>;

std::vector<std::string> resolve_hosts(const std::vector<std::string>& hosts, std::string* error) {
  std::vector<std::string> ips;
  for (const auto& h : hosts) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    addrinfo* res = nullptr;
    if (::getaddrinfo(h.c_str(), nullptr, &hints, &res) != 0) {
      *error = fmt::format("allowed host {} cannot be resolved", h);
      return {};
    }
    for (addrinfo* p = res; p; p = p->ai_next) {
      char buf[NI_MAXHOST];
      if (::getnameinfo(p->ai_addr, p->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) == 0) ips.emplace_back(buf);
    }
    ::freeaddrinfo(res);
  }
  return ips;
}

}  // namespace

bool run_storage_node(const NodeConfig& config, Archive& archive, NodeCounters& counters, const std::atomic<bool>& stop, std::string* error) {
  Shared shared{&config, &archive, &counters, {}};
  if (!config.allowed_hosts.empty()) {
    shared.allowed_ips = resolve_hosts(config.allowed_hosts, error);
    if (shared.allowed_ips.empty()) return false;
  }
  Pool pool;
  pool.setMaxThreads(static_cast<Uint16>(std::clamp(config.max_associations, 1, 1000)));
  DcmSCPConfig& cfg = pool.getConfig();
  cfg.setAETitle(config.ae_title.c_str());
  cfg.setPort(static_cast<Uint16>(config.port));
  cfg.setMaxReceivePDULength(config.max_pdu_bytes);
  cfg.setConnectionBlockingMode(DUL_NOBLOCK);
  cfg.setConnectionTimeout(1);  // the listen loop looks at `stop` every second
  cfg.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  cfg.setDIMSETimeout(static_cast<Uint32>(config.dimse_timeout_seconds));
  cfg.setACSETimeout(static_cast<Uint32>(config.dimse_timeout_seconds));
  cfg.setProgressNotificationMode(OFTrue);
  cfg.setHostLookupEnabled(OFFalse);
  OFList<OFString> syntaxes;
  syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
  syntaxes.push_back(UID_BigEndianExplicitTransferSyntax);
  syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
  syntaxes.push_back(UID_DeflatedExplicitVRLittleEndianTransferSyntax);
  OFCondition c = cfg.addPresentationContext(UID_VerificationSOPClass, syntaxes);
  for (const auto& a : accepted_sop_classes()) {
    if (c.good()) c = cfg.addPresentationContext(a.uid, syntaxes);
  }
  if (c.bad()) {
    *error = fmt::format("cannot configure the presentation contexts: {}", c.text());
    return false;
  }
  std::unique_ptr<DcmTLSTransportLayer> tls;
  if (!config.tls_certificate.empty() || !config.tls_private_key.empty()) {
    tls = std::make_unique<DcmTLSTransportLayer>(NET_ACCEPTOR, nullptr, OFTrue);
    const auto fail = [&](const std::string& what, const OFCondition& cond) {
      *error = fmt::format("TLS: {}: {}", what, cond.text());
      return false;
    };
    if ((c = tls->setTLSProfile(TSP_Profile_BCP195)).bad()) return fail("profile", c);
    if ((c = tls->activateCipherSuites()).bad()) return fail("cipher suites", c);
    if ((c = tls->setPrivateKeyFile(config.tls_private_key.c_str(), DCF_Filetype_PEM)).bad()) return fail("private key " + config.tls_private_key, c);
    if ((c = tls->setCertificateFile(config.tls_certificate.c_str(), DCF_Filetype_PEM)).bad()) return fail("certificate " + config.tls_certificate, c);
    if (!tls->checkPrivateKeyMatchesCertificate()) {
      *error = "TLS: the private key does not match the certificate";
      return false;
    }
    if (!config.tls_ca.empty()) {
      if ((c = tls->addTrustedCertificateFile(config.tls_ca.c_str(), DCF_Filetype_PEM)).bad()) return fail("CA " + config.tls_ca, c);
      tls->setCertificateVerification(DCV_requireCertificate);
    } else {
      tls->setCertificateVerification(DCV_ignoreCertificate);
    }
    cfg.setTransportLayer(tls.get());
  }
  g_shared.store(&shared);
  OFCondition result;
  std::atomic<bool> ended{false};
  std::thread listener([&] {
    result = pool.listen();
    ended = true;
  });
  while (!stop && !ended) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  pool.stopAfterCurrentAssociations();
  listener.join();
  g_shared.store(nullptr);
  if (result.bad()) {
    *error = fmt::format("cannot listen on port {}: {}", config.port, result.text());
    return false;
  }
  return true;
}

}  // namespace rtaudit::net

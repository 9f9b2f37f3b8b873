#pragma once
// The DICOM Storage SCP of `rtaudit serve` (issue 9), on DCMTK's dcmnet: C-ECHO, and C-STORE of the SOP
// classes of a breast plan (accepted_sop_classes()); every other SOP class is refused in the association
// negotiation (abstract syntax not supported). Calling AE titles and hosts are checked against allow
// lists; simultaneous associations, the PDU size and the object size are bounded; TLS when a certificate
// is configured. Each association runs in its own thread.

#include "rtaudit/net/archive.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace rtaudit::net {

struct NodeConfig {
  std::string ae_title = "RTAUDIT";
  int port = 11112;
  std::vector<std::string> allowed_ae_titles;  ///< empty: any calling AE title
  std::vector<std::string> allowed_hosts;      ///< empty: any host; else IP addresses (or names, resolved at start)
  std::string tls_certificate, tls_private_key;  ///< both set: TLS (DICOM PS3.15 BCP 195 profile)
  std::string tls_ca;                          ///< set: peers must present a certificate this CA signed
  int max_associations = 8;
  std::uint32_t max_pdu_bytes = 65536;         ///< the largest PDU the node receives
  std::uint64_t max_object_bytes = 1ull << 30; ///< a larger dataset cuts its association off
  int dimse_timeout_seconds = 60;              ///< a peer silent this long mid-association is cut off
};

struct NodeCounters {
  std::atomic<long> associations{0}, refused_associations{0}, stored{0}, duplicates{0}, refused_objects{0}, cut_off{0};
};

/// Listens until `stop` is set (checked every second). False and `error` when the port cannot be opened
/// or the TLS files cannot be used.
bool run_storage_node(const NodeConfig& config, Archive& archive, NodeCounters& counters, const std::atomic<bool>& stop, std::string* error);

}  // namespace rtaudit::net

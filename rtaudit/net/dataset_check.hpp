#pragma once
// The node's judgement of one received dataset (issue 9): accepted, with what it is and refers to, or
// refused, with the C-STORE status and a reason the log and the peer's error comment carry. Nothing of a
// refused dataset is kept.

#include "rtaudit/net/received_object.hpp"

#include <cstdint>
#include <string>

class DcmDataset;

namespace rtaudit::net {

/// C-STORE response statuses the node sends (PS3.4 B.2.3, PS3.7 C).
namespace status {
constexpr std::uint16_t kSuccess = 0x0000;
constexpr std::uint16_t kSopClassNotSupported = 0x0122;
constexpr std::uint16_t kOutOfResources = 0xA700;
constexpr std::uint16_t kDataSetDoesNotMatchSopClass = 0xA900;
constexpr std::uint16_t kCannotUnderstand = 0xC000;
}  // namespace status

struct DatasetVerdict {
  std::uint16_t status = status::kSuccess;
  std::string reason;     ///< empty when accepted
  ReceivedObject object;  ///< filled when accepted (path, bytes and time are the archive's to set)
  [[nodiscard]] bool accepted() const { return status == status::kSuccess; }
};

/// Checks a received dataset against the C-STORE request that carried it: the SOP class is one the node
/// takes and is the request's, the SOP Instance UID is the request's, every UID that names a folder is
/// path-safe, and the object has what its kind needs (an image its pixel data, a structure set its ROIs).
/// `header_only`: the dataset was read without its pixel data (the node re-reading its own storage after a
/// restart): the pixel data checks are skipped.
[[nodiscard]] DatasetVerdict check_dataset(DcmDataset& ds, const std::string& request_sop_class, const std::string& request_sop_instance,
                                           bool header_only = false);

}  // namespace rtaudit::net

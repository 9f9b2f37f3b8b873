#pragma once
// Which stored objects make one auditable case (issue 9): a structure set with the image series its
// contours lie on, the plans that name it, the doses of those plans and the registrations of its frame
// of reference. A case is ready when its patient has sent nothing for the settle time. Pure: the node
// calls it on a snapshot of what it has stored.

#include "rtaudit/net/received_object.hpp"

#include <string>
#include <vector>

namespace rtaudit::net {

struct CaseSpec {
  std::string key;         ///< "n" + 16 hex digits of the structure set's SOP Instance UID hash: stable
  std::string input_hash;  ///< hash of the members' SOP Instance UIDs: changes when an object joins
  std::string patient_key;
  std::string structure_set_uid;
  std::vector<const ReceivedObject*> members;  ///< the structure set first, then images, plans, doses, registrations
  int images = 0, plans = 0, doses = 0, registrations = 0;
  int missing_images = 0;  ///< contour images the structure set names that have not arrived
  double newest = 0;       ///< when the patient's latest object arrived
  bool ready = false;      ///< quiet for the settle time, and complete or quiet for the incomplete wait
};

/// One case per structure set in `objects` (pointers into it). A case is ready when its patient has sent
/// nothing for `settle_seconds` and every contour image its structure set names has arrived; one that
/// still misses images is ready only after `incomplete_wait_seconds` of quiet (a sender that died, a
/// series never exported), so a restart or a slow re-send does not audit half a case.
[[nodiscard]] std::vector<CaseSpec> assemble_cases(const std::vector<ReceivedObject>& objects, double now, double settle_seconds,
                                                   double incomplete_wait_seconds = 600);

/// The folder name of a case's inputs and report: key + "-" + the first 12 digits of its input hash.
[[nodiscard]] std::string case_folder_name(const CaseSpec& c);

}  // namespace rtaudit::net

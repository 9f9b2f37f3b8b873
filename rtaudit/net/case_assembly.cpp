#include "rtaudit/net/case_assembly.hpp"

#include "rtaudit/case/uid.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace rtaudit::net {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

std::vector<CaseSpec> assemble_cases(const std::vector<ReceivedObject>& objects, double now, double settle_seconds, double incomplete_wait_seconds) {
  std::map<std::string, std::vector<const ReceivedObject*>> by_patient;
  std::map<std::string, double> newest;
  for (const auto& o : objects) {
    by_patient[o.patient_key].push_back(&o);
    newest[o.patient_key] = std::max(newest[o.patient_key], o.received_at);
  }
  std::vector<CaseSpec> cases;
  for (const auto& [patient, objs] : by_patient) {
    for (const ReceivedObject* s : objs) {
      if (s->kind != ObjectKind::RTSTRUCT) continue;
      CaseSpec c;
      c.patient_key = patient;
      c.structure_set_uid = s->sop_instance_uid;
      c.key = "n" + sha256_hex("rtaudit-case:" + s->sop_instance_uid).substr(0, 16);
      c.members.push_back(s);
      const std::string& frame = s->frame_of_reference_uid;
      // Images: the series the contours name; a structure set naming none takes its frame of reference's.
      std::set<std::string> present_images;
      for (const ReceivedObject* o : objs) {
        if (o->kind != ObjectKind::CT) continue;
        const bool named = s->referenced_series.empty() ? (!frame.empty() && o->frame_of_reference_uid == frame)
                                                        : contains(s->referenced_series, o->series_uid);
        if (!named) continue;
        c.members.push_back(o);
        present_images.insert(o->sop_instance_uid);
        ++c.images;
      }
      for (const auto& uid : std::set<std::string>(s->referenced_images.begin(), s->referenced_images.end())) {
        if (!present_images.count(uid)) ++c.missing_images;
      }
      std::vector<std::string> plan_uids;
      for (const ReceivedObject* o : objs) {
        if (o->kind == ObjectKind::RTPLAN && contains(o->referenced_structure_sets, s->sop_instance_uid)) {
          c.members.push_back(o);
          plan_uids.push_back(o->sop_instance_uid);
          ++c.plans;
        }
      }
      // Doses: those of the plans above; a dose that names no plan joins by frame of reference.
      for (const ReceivedObject* o : objs) {
        if (o->kind != ObjectKind::RTDOSE) continue;
        const bool of_plan = std::any_of(o->referenced_plans.begin(), o->referenced_plans.end(),
                                         [&](const std::string& p) { return contains(plan_uids, p); });
        const bool by_frame = o->referenced_plans.empty() && !frame.empty() && o->frame_of_reference_uid == frame;
        if (of_plan || by_frame) {
          c.members.push_back(o);
          ++c.doses;
        }
      }
      for (const ReceivedObject* o : objs) {
        if (o->kind == ObjectKind::REG && !frame.empty() && (contains(o->referenced_frames, frame) || o->frame_of_reference_uid == frame)) {
          c.members.push_back(o);
          ++c.registrations;
        }
      }
      std::vector<std::string> uids;
      for (const auto* m : c.members) uids.push_back(m->sop_instance_uid);
      std::sort(uids.begin(), uids.end());
      std::string joined;
      for (const auto& u : uids) joined += u + "\n";
      c.input_hash = sha256_hex(joined);
      c.newest = newest[patient];
      const double quiet = now - c.newest;
      c.ready = quiet >= settle_seconds && (c.missing_images == 0 || quiet >= std::max(settle_seconds, incomplete_wait_seconds));
      cases.push_back(std::move(c));
    }
  }
  std::sort(cases.begin(), cases.end(), [](const CaseSpec& a, const CaseSpec& b) { return a.key < b.key; });
  return cases;
}

std::string case_folder_name(const CaseSpec& c) { return c.key + "-" + c.input_hash.substr(0, 12); }

}  // namespace rtaudit::net

#include "rtaudit/case/object_groups.hpp"

#include <algorithm>

namespace rtaudit {
namespace {

template <typename T, typename Key>
T& find_or_add(std::vector<T>& v, const Key& key, std::string T::*field) {
  auto it = std::find_if(v.begin(), v.end(), [&](const T& x) { return x.*field == key; });
  if (it != v.end()) return *it;
  T item{};
  item.*field = key;
  v.push_back(std::move(item));
  return v.back();
}

}  // namespace

std::vector<PatientGroup> group_objects(const std::vector<ObjectInfo>& objects) {
  std::vector<PatientGroup> out;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const ObjectInfo& o = objects[i];
    auto& patient = find_or_add(out, o.patient_id, &PatientGroup::patient_id);
    auto& study = find_or_add(patient.studies, o.study_uid, &StudyGroup::study_uid);
    auto& frame = find_or_add(study.frames, o.frame_of_reference_uid, &FrameGroup::frame_of_reference_uid);
    frame.objects.push_back(i);
  }
  return out;
}

}  // namespace rtaudit

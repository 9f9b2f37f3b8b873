#include "rtaudit/net/received_object.hpp"

#include "rtaudit/case/uid.hpp"

#include <algorithm>

namespace rtaudit::net {

bool is_path_safe_uid(std::string_view uid) {
  if (uid.empty() || uid.size() > 64 || uid.front() == '.' || uid.back() == '.') return false;
  for (std::size_t i = 0; i < uid.size(); ++i) {
    const char c = uid[i];
    if (c == '.') {
      if (uid[i - 1] == '.') return false;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

std::string patient_key(std::string_view patient_id) {
  return "p" + sha256_hex("rtaudit-patient:" + std::string(patient_id)).substr(0, 16);
}

namespace {
bool is_patient_key(std::string_view k) {
  return k.size() == 17 && k.front() == 'p' &&
         std::all_of(k.begin() + 1, k.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}
}  // namespace

std::string object_relative_path(const ReceivedObject& o) {
  if (!is_patient_key(o.patient_key) || !is_path_safe_uid(o.study_uid) || !is_path_safe_uid(o.series_uid) ||
      !is_path_safe_uid(o.sop_instance_uid)) {
    return {};
  }
  return "objects/" + o.patient_key + "/" + o.study_uid + "/" + o.series_uid + "/" + o.sop_instance_uid + ".dcm";
}

const std::vector<AcceptedClass>& accepted_sop_classes() {
  static const std::vector<AcceptedClass> classes{
      {"1.2.840.10008.5.1.4.1.1.2", "CT Image Storage", ObjectKind::CT},
      {"1.2.840.10008.5.1.4.1.1.481.3", "RT Structure Set Storage", ObjectKind::RTSTRUCT},
      {"1.2.840.10008.5.1.4.1.1.481.5", "RT Plan Storage", ObjectKind::RTPLAN},
      {"1.2.840.10008.5.1.4.1.1.481.2", "RT Dose Storage", ObjectKind::RTDOSE},
      {"1.2.840.10008.5.1.4.1.1.66.1", "Spatial Registration Storage", ObjectKind::REG},
      {"1.2.840.10008.5.1.4.1.1.66.3", "Deformable Spatial Registration Storage", ObjectKind::REG},
  };
  return classes;
}

bool is_accepted_sop_class(std::string_view uid) {
  const auto& c = accepted_sop_classes();
  return std::any_of(c.begin(), c.end(), [&](const AcceptedClass& a) { return uid == a.uid; });
}

}  // namespace rtaudit::net

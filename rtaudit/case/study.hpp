#pragma once
// Who and where a set of DICOM objects belongs to: the identity every writer needs and every
// reader fills. UIDs are given, never invented by a writer, so generated files are reproducible.

#include <string>

namespace rtaudit {

struct StudyIdentity {
  std::string patient_id;
  std::string patient_name;  ///< DICOM PN, e.g. "PHANTOM^THORAX"
  std::string patient_birth_date;  ///< DA, may be empty
  std::string patient_sex;         ///< M, F, O or empty
  std::string study_uid;
  std::string study_id;
  std::string study_date;  ///< DA (YYYYMMDD)
  std::string study_time;  ///< TM (HHMMSS)
  std::string accession_number;
  std::string frame_of_reference_uid;
  std::string institution_name;
  std::string institutional_department_name;
  std::string operator_name;  ///< the planner (PN)
  std::string manufacturer = "rtaudit";
  std::string patient_position = "HFS";
};

}  // namespace rtaudit

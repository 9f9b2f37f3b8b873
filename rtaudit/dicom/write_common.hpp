#pragma once
// What every DICOM writer shares: the result type, and (in detail::) the element writer that
// checks each value, remembers the first problem with the file and element path, and the
// patient / study / series / equipment / SOP common modules written the same way everywhere.
//
// Writers never invent UIDs, dates or times: everything comes from the StudyIdentity and the
// objects written, so the same inputs give byte-identical files.

#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "rtaudit/case/study.hpp"

class DcmFileFormat;

namespace rtaudit::dicom {

/// The outcome of writing one DICOM object. `error` names the file and the element concerned.
struct WriteResult {
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

namespace detail {

/// The first problem met while filling one file's dataset.
struct WriteContext {
  std::string file;
  std::string error;
  void fail(std::string_view where, std::string_view message);
  [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Writes elements into one item (the dataset or a sequence item), checking values as it goes.
/// After the first failure every call is a no-op; the context holds the message.
class ElementWriter {
 public:
  ElementWriter(WriteContext& context, DcmItem& item, std::string where = {})
      : context_(&context), item_(&item), where_(std::move(where)) {}

  /// Type 1: must not be empty. The value is checked against the element's VR.
  void required(const DcmTagKey& tag, std::string_view value);
  /// Type 2: written empty when `value` is empty.
  void type2(const DcmTagKey& tag, std::string_view value);
  /// Type 3: left out when `value` is empty.
  void optional(const DcmTagKey& tag, std::string_view value);
  /// A UID (Type 1): checked for syntax.
  void uid(const DcmTagKey& tag, std::string_view value);
  /// One decimal string value (must be finite).
  void ds(const DcmTagKey& tag, double value);
  /// A multi-valued decimal string (every value finite; at least one value).
  void ds(const DcmTagKey& tag, std::span<const double> values);
  void is(const DcmTagKey& tag, long long value);
  void us(const DcmTagKey& tag, unsigned value);
  void at(const DcmTagKey& tag, const DcmTagKey& value);
  /// An empty element (a Type 2 sequence with no item, or a Type 2 value).
  void empty(const DcmTagKey& tag);
  /// Appends an item to sequence `tag` and returns a writer for it.
  [[nodiscard]] ElementWriter append_item(const DcmTagKey& tag);

  [[nodiscard]] DcmItem& item() { return *item_; }
  [[nodiscard]] bool ok() const { return context_->ok(); }
  void fail(const DcmTagKey& tag, std::string_view message);

 private:
  [[nodiscard]] std::string path(const DcmTagKey& tag) const;
  void put(const DcmTagKey& tag, std::string_view value, bool check);

  WriteContext* context_;
  DcmItem* item_;
  std::string where_;
};

/// True when any of the strings holds a byte outside 7-bit ASCII.
[[nodiscard]] bool any_non_ascii(std::initializer_list<std::string_view> texts);

/// Specific Character Set (1C): "ISO_IR 192" (UTF-8) when needed, otherwise nothing (ASCII).
void write_character_set(ElementWriter& w, bool utf8);
/// SOP Common: SOP class and instance, Instance Creation Date/Time from the study date/time.
void write_sop_common(ElementWriter& w, const StudyIdentity& id, std::string_view sop_class_uid,
                      std::string_view sop_instance_uid);
/// Patient and General Study modules.
void write_patient_and_study(ElementWriter& w, const StudyIdentity& id);
/// General / RT Series: modality, series UID and number, description (optional), operator.
void write_series(ElementWriter& w, const StudyIdentity& id, std::string_view modality, std::string_view series_uid,
                  int series_number, std::string_view description);
/// Frame of Reference module.
void write_frame_of_reference(ElementWriter& w, const StudyIdentity& id);
/// General Equipment module.
void write_equipment(ElementWriter& w, const StudyIdentity& id);

/// Saves with file meta information. Returns an error naming the file, or empty.
[[nodiscard]] std::string save(DcmFileFormat& file, const std::filesystem::path& path,
                               E_TransferSyntax xfer = EXS_LittleEndianExplicit);

}  // namespace detail
}  // namespace rtaudit::dicom

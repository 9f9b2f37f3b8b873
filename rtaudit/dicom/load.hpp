#pragma once
// Opening one file with DCMTK, whatever the file was written by: with or without preamble and
// file meta information, any uncompressed transfer syntax, deflated. Converts DCMTK's conditions
// into a plain message naming the file, so nothing above this layer sees OFCondition.

#include <dcmtk/dcmdata/dcfilefo.h>

#include <memory>
#include <string>

namespace rtaudit::dicom {

enum class LoadDepth {
  Header,  ///< stop before Pixel Data: enough for every header, structure set and plan
  Full,    ///< everything, pixel data included
};

struct LoadedFile {
  std::unique_ptr<DcmFileFormat> file;  ///< null when the file could not be read
  std::string error;                    ///< why, when it could not
  bool not_dicom = false;               ///< the file is not DICOM at all (as opposed to broken)
  bool has_file_meta = false;
  std::string transfer_syntax;          ///< the transfer syntax the dataset was read with
  std::string charset_problem;          ///< set when SpecificCharacterSet could not be converted to UTF-8
};

/// Reads a file. Never throws for bad content; a missing SOP Class or SOP Instance UID makes the
/// file unusable and is reported as such.
[[nodiscard]] LoadedFile load_file(const std::string& path, LoadDepth depth);

/// Reads a DICOM stream held in memory (the fuzz target and tests use it).
[[nodiscard]] LoadedFile load_buffer(const void* data, std::size_t size);

/// While alive, elements a writer stored with VR UN in an explicit VR transfer syntax (pydicom's
/// rtdose_rle.dcm has its whole header so) are read with their dictionary VR, nested sequences
/// included. DCMTK's switch is global; the destructor restores it. The RT readers load under it.
class UnknownVrConversion {
 public:
  UnknownVrConversion() : saved_(dcmEnableUnknownVRConversion.get()) { dcmEnableUnknownVRConversion.set(OFTrue); }
  ~UnknownVrConversion() { dcmEnableUnknownVRConversion.set(saved_); }
  UnknownVrConversion(const UnknownVrConversion&) = delete;
  UnknownVrConversion& operator=(const UnknownVrConversion&) = delete;

 private:
  OFBool saved_;
};

/// Quiets DCMTK's own logger (it writes warnings about every odd file to stderr) unless verbose.
void configure_dcmtk_logging(bool verbose);

}  // namespace rtaudit::dicom

#include "rtaudit/dicom/load.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/oflog/oflog.h>

#include <array>
#include <cstring>
#include <fstream>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

namespace rtaudit::dicom {
namespace {

// Without the "DICM" magic a file is taken as DICOM only when it starts like a dataset: the first
// tag's group is 0x0002 (meta without preamble) or 0x0008 (older Elekta/CMS exports), in either
// byte order. This keeps DCMTK's auto-detection from "reading" arbitrary bytes.
bool looks_like_dicom(const unsigned char* head, std::size_t n, bool& has_magic) {
  has_magic = n >= 132 && std::memcmp(head + 128, "DICM", 4) == 0;
  if (has_magic) return true;
  if (n < 8) return false;
  const unsigned group_le = head[0] | (head[1] << 8);
  const unsigned group_be = (head[0] << 8) | head[1];
  for (unsigned g : {group_le, group_be}) {
    if (g == 0x0002 || g == 0x0008) return true;
  }
  return false;
}

LoadedFile finish(LoadedFile out, const OFCondition& cond, const std::string& what) {
  if (cond.bad()) {
    out.error = what + ": " + cond.text();
    out.file.reset();
    return out;
  }
  DcmDataset* ds = out.file->getDataset();
  OFString sop_class, sop_instance;
  ds->findAndGetOFString(DCM_SOPClassUID, sop_class);
  ds->findAndGetOFString(DCM_SOPInstanceUID, sop_instance);
  if (sop_class.empty() || sop_instance.empty()) {
    out.error = what + ": no SOPClassUID (0008,0016) or SOPInstanceUID (0008,0018); not a usable DICOM object";
    out.file.reset();
    return out;
  }
  const DcmXfer xfer(ds->getOriginalXfer());
  out.transfer_syntax = xfer.getXferName();
  out.has_file_meta = out.file->getMetaInfo() != nullptr && out.file->getMetaInfo()->card() > 0;
  OFString charset;
  if (ds->findAndGetOFStringArray(DCM_SpecificCharacterSet, charset).good() && !charset.empty() &&
      charset != "ISO_IR 192" && charset != "ISO_IR 6") {
    const OFCondition conv = ds->convertToUTF8();
    if (conv.bad()) out.charset_problem = std::string("character set '") + charset.c_str() + "' not converted: " + conv.text();
  }
  return out;
}

}  // namespace

LoadedFile load_file(const std::string& path, LoadDepth depth) {
  LoadedFile out;
  std::array<unsigned char, 132> head{};
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      out.error = "cannot open file";
      return out;
    }
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    bool magic = false;
    if (!looks_like_dicom(head.data(), static_cast<std::size_t>(in.gcount()), magic)) {
      out.not_dicom = true;
      out.error = "not a DICOM file (no DICM preamble and no dataset start)";
      return out;
    }
  }
  out.file = std::make_unique<DcmFileFormat>();
  // Values up to 64 MiB are read in the one pass: with DCMTK's default (4 KiB) every ContourData
  // would be fetched later by reopening the file, once per contour.
  constexpr Uint32 max_read_length = 64u << 20;
  const OFCondition cond =
      depth == LoadDepth::Header
          ? out.file->loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, max_read_length, ERM_autoDetect,
                                       DCM_PixelData)
          : out.file->loadFile(path.c_str(), EXS_Unknown, EGL_noChange, max_read_length, ERM_autoDetect);
  return finish(std::move(out), cond, "unreadable or truncated DICOM file");
}

LoadedFile load_buffer(const void* data, std::size_t size) {
  // Through an anonymous in-memory file rather than DcmInputBufferStream: DCMTK checks declared
  // element lengths against the remaining file size only for files, and would otherwise try to
  // allocate whatever length a damaged header declares.
  LoadedFile out;
  const int fd = ::memfd_create("rtaudit-dicom", MFD_CLOEXEC);
  if (fd < 0) {
    out.error = "cannot create an in-memory file";
    return out;
  }
  const auto* bytes = static_cast<const char*>(data);
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd, bytes + written, size - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  if (written == size) {
    out = load_file("/proc/self/fd/" + std::to_string(fd), LoadDepth::Full);
  } else {
    out.error = "cannot write the in-memory file";
  }
  ::close(fd);
  return out;
}

void configure_dcmtk_logging(bool verbose) {
  OFLog::configure(verbose ? OFLogger::WARN_LOG_LEVEL : OFLogger::FATAL_LOG_LEVEL);
}

}  // namespace rtaudit::dicom

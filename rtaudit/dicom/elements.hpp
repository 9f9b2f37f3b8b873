#pragma once
// Small, forgiving accessors over DCMTK items: absent or malformed values give empty results,
// never exceptions, so readers decide what a missing element means.

#include <dcmtk/dcmdata/dcitem.h>

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::dicom {

/// All values of a string element, joined with '\' as stored, leading/trailing spaces removed.
[[nodiscard]] std::string get_string(DcmItem& item, const DcmTagKey& tag);

/// One numeric value of a DS/IS/US/... element.
[[nodiscard]] std::optional<double> get_number(DcmItem& item, const DcmTagKey& tag, unsigned long pos = 0);

/// All numeric values of a DS/IS element (empty when absent or when any value fails to parse).
[[nodiscard]] std::vector<double> get_numbers(DcmItem& item, const DcmTagKey& tag);

/// Parses a DICOM multi-valued decimal string ("1.5\-2e1\ 3 ") into numbers, as fast as the
/// characters allow. Returns false on a value that is not a number; NaN/Inf spellings parse.
[[nodiscard]] bool parse_decimal_string(const char* text, std::size_t length, std::vector<double>& out);

/// "Name (gggg,eeee)" for messages.
[[nodiscard]] std::string describe(const DcmTagKey& tag);
/// "Parent > BeamSequence[2] (300a,00b0)": one item of a sequence, as the writers name it.
[[nodiscard]] std::string item_name(const std::string& parent, const DcmTagKey& seq, unsigned long index);
/// "Parent > Name (gggg,eeee)": an element below an item path (just the element when `where` is empty).
[[nodiscard]] std::string at(const std::string& where, const DcmTagKey& tag);

}  // namespace rtaudit::dicom

#pragma once
// Escaping for every text that leaves rtaudit in a format a program interprets: HTML (and the SVG
// inside it) and CSV. Strings from DICOM (ROI names, labels, institution names) are data written by
// someone else's software; an ROI called `<script>alert(1)</script>` must show as those characters,
// and a planner called `=HYPERLINK(...)` must not become a spreadsheet formula.

#include <string>
#include <string_view>

namespace rtaudit::report {

/// Text for HTML/SVG element content and for double- or single-quoted attribute values: & < > " '
/// become character references; control characters other than tab and newline become U+FFFD, and
/// so does invalid UTF-8 (a browser would otherwise guess an encoding).
[[nodiscard]] std::string html_escape(std::string_view s);

/// One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF. A cell beginning with
/// =, +, -, @, tab or CR is prefixed with an apostrophe first (OWASP "CSV injection"), so a
/// spreadsheet shows it as text. Numbers are written by the caller, not through this function.
[[nodiscard]] std::string csv_cell(std::string_view s);

}  // namespace rtaudit::report

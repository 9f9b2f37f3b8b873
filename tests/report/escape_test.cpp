// Escaping of text from DICOM into HTML/SVG and CSV (issue 7, "Safety").
#include "rtaudit/report/escape.hpp"

#include <gtest/gtest.h>

using rtaudit::report::csv_cell;
using rtaudit::report::html_escape;

TEST(HtmlEscape, MarkupCharactersBecomeReferences) {
  EXPECT_EQ(html_escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(html_escape("a & b \"c\" 'd'"), "a &amp; b &quot;c&quot; &#39;d&#39;");
  EXPECT_EQ(html_escape("&amp;"), "&amp;amp;") << "already-escaped text is escaped again: it is data";
  EXPECT_EQ(html_escape("\" onmouseover=\"alert(1)"), "&quot; onmouseover=&quot;alert(1)");
}

TEST(HtmlEscape, PlainAndUnicodeTextIsKept) {
  EXPECT_EQ(html_escape("CTVn_IMN_L"), "CTVn_IMN_L");
  EXPECT_EQ(html_escape("Brustwand \xC3\xA4 \xE2\x80\x93 \xF0\x9F\x99\x82"), "Brustwand \xC3\xA4 \xE2\x80\x93 \xF0\x9F\x99\x82");
  EXPECT_EQ(html_escape("a\tb\nc"), "a\tb\nc");
}

TEST(HtmlEscape, ControlCharactersAndInvalidUtf8BecomeReplacementCharacters) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(html_escape(std::string("a\0b", 3)), "a" + r + "b");
  EXPECT_EQ(html_escape("a\x1b[31mb"), "a" + r + "[31mb");
  EXPECT_EQ(html_escape("Latin-1 \xE4"), "Latin-1 " + r) << "a lone ISO 8859-1 byte";
  EXPECT_EQ(html_escape("\xC0\xBC"), r + r) << "overlong encoding of '<' must not pass";
  EXPECT_EQ(html_escape("\xED\xA0\x80"), r + r + r) << "UTF-16 surrogate";
  EXPECT_EQ(html_escape("\xE2\x80"), r + r) << "truncated sequence";
}

TEST(CsvCell, FormulaPrefixesAreNeutralised) {
  EXPECT_EQ(csv_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_cell("+1"), "'+1");
  EXPECT_EQ(csv_cell("-2+3"), "'-2+3");
  EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_cell("\tx"), "'\tx");
  EXPECT_EQ(csv_cell("\rx"), "\"'\rx\"");
}

TEST(CsvCell, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_cell("CTVn_IMN"), "CTVn_IMN");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_cell(""), "");
}

"""Headless Chromium for the report and dashboard tests (Debian chromium, chromium-driver, python3-selenium)."""
import base64
import os
import shutil
import sys

SKIP = 77


def skip(why):
    print("SKIP:", why)
    sys.exit(SKIP)


try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError as e:  # pragma: no cover
    skip(f"missing Python module: {e}")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
    skip("chromium / chromedriver not installed (Debian packages chromium, chromium-driver)")


def make_driver(width=1200, height=1600):
    o = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"]:
        o.add_argument(a)
    o.binary_location = CHROMIUM
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=o)


# Every <figure data-figure>: its SVG, the shapes in it and how many of them are drawn with an area.
FIGURE_JS = """
return Array.from(document.querySelectorAll('figure[data-figure]')).map(function (f) {
  var svg = f.querySelector('svg');
  var shapes = svg ? svg.querySelectorAll('path, polyline, circle, rect.poi').length : 0;
  var drawn = 0;
  if (svg) svg.querySelectorAll('g.layers path, polyline.series, circle.marker').forEach(function (e) {
    var b = e.getBBox(); if (b.width > 0 || b.height > 0) drawn++; });
  var r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {id: f.dataset.figure, content: f.dataset.hasContent, shapes: shapes, drawn: drawn,
          width: r.width, height: r.height};
});
"""


def print_pdf(d):
    """The page printed by Chromium with its own @page size."""
    return base64.b64decode(d.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])


def is_a4_pdf(pdf):
    """A PDF whose pages are A4 (595 x 842 pt; Chromium rounds to 594 or 595)."""
    return pdf.startswith(b"%PDF") and (b"/MediaBox [0 0 595" in pdf or b"/MediaBox [0 0 594" in pdf)


def screenshot_full_page(d, path, max_height=8000):
    height = d.execute_script("return document.documentElement.scrollHeight")
    d.set_window_size(1200, min(int(height), max_height))
    d.save_screenshot(path)


class Checks:
    def __init__(self):
        self.failures = []

    def __call__(self, cond, what):
        if not cond:
            self.failures.append(what)
            print("FAIL:", what)

    def finish(self, ok_message):
        if self.failures:
            print(f"{len(self.failures)} check(s) failed")
            sys.exit(1)
        print(ok_message)

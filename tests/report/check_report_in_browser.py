#!/usr/bin/env python3
"""Opens rtaudit's report.html in a real headless Chromium (issue 7) and checks what a reader sees.

Usage: check_report_in_browser.py RTAUDIT SCRATCH_DIR [--screenshots DIR]

A phantom case is generated, its heart ROI renamed (with pydicom) to a hostile string that a careless
report would execute, and audited with that ROI bound by --role. The page must then: load with no
console message at all (an injected script would be blocked by the page's Content-Security-Policy and
logged), contain no <script> element, show the hostile name as text, have every figure present and
drawn (SVG elements with a non-empty bounding box), carry a verdict block equal to the statuses in
report.json (computed here independently of rtaudit's code), and print as A4 pages. Exit 77 (skip)
when Chromium, chromedriver, selenium or pydicom is missing.
"""
import json
import os
import shutil
import subprocess
import sys

HOSTILE = "<script>alert(1)</script>\"'&<img src=x onerror=alert(2)>"


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import FIGURE_JS, Checks, is_a4_pdf, make_driver, print_pdf, screenshot_full_page, skip  # noqa: E402

try:
    import pydicom
except ImportError as e:  # pragma: no cover
    skip(f"missing Python module: {e}")

check = Checks()


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stdout, p.stderr)
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(args)}")
    return p


def expected_verdict(report):
    """The verdict rows as docs/report-html.md defines them, from report.json alone."""
    rows = []
    for g in report.get("guidelines", []):
        gid = g["id"]
        rows.append((gid, "overall", g["overall"]))
        for c in g["checks"]["levels"]:
            rows.append((gid, c["border"] + " border", c["status"]))
        for c in g["checks"]["margins"]:
            rows.append((gid, c["direction"] + " margin", c["status"]))
        for c in g["checks"]["organ_overlaps"]:
            rows.append((gid, "overlap " + c["role"], c["status"]))
    for c in report.get("heart", {}).get("constraints", []):
        status = "not_evaluable" if c["status"] == "not evaluable" else c["status"]
        rows.append(("heart", f'{c["set"]}: {c["structure"]} {c["metric"]}', status))
    return rows


VERDICT_JS = """
return Array.from(document.querySelectorAll('#verdict-table tr.check')).map(function (t) {
  return [t.dataset.group, t.dataset.check, t.dataset.status, t.querySelector('.badge').textContent];
});
"""


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    rtaudit, scratch = sys.argv[1], sys.argv[2]
    shots = sys.argv[sys.argv.index("--screenshots") + 1] if "--screenshots" in sys.argv else None
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    case, out = os.path.join(scratch, "case"), os.path.join(scratch, "out")
    run(rtaudit, "phantom", "--out", case, "-q")
    renamed = 0
    for root, _, files in os.walk(case):
        for f in files:
            path = os.path.join(root, f)
            try:
                ds = pydicom.dcmread(path)
            except Exception:
                continue
            if ds.get("Modality") != "RTSTRUCT":
                continue
            for roi in ds.StructureSetROISequence:
                if roi.ROIName == "Heart":
                    roi.ROIName = HOSTILE
                    renamed += 1
            ds.save_as(path)
    check(renamed == 1, f"the phantom's Heart ROI renamed once (renamed {renamed})")
    run(rtaudit, "audit", case, "--out", out, "-q", "--role", f"{HOSTILE}=heart")
    report = json.load(open(os.path.join(out, "report.json"), encoding="utf-8"))
    html_path = os.path.join(out, "report.html")
    html = open(html_path, encoding="utf-8").read()
    check(HOSTILE not in html, "the hostile ROI name never appears unescaped in the HTML source")
    check(any(b.get("roi_name") == HOSTILE and b.get("role") == "heart" for b in report["roles"]["bindings"]),
          "the renamed ROI is bound as the heart (so its name reaches the page)")

    d = make_driver()
    try:
        d.get("file://" + os.path.abspath(html_path))
        logs = d.get_log("browser")
        check(logs == [], f"no console messages (got {logs})")
        check(d.execute_script("return document.scripts.length") == 0, "no <script> element in the page")
        body = d.execute_script("return document.body.innerText")
        check(HOSTILE in body, "the hostile ROI name is shown as text")
        check(d.execute_script("return typeof window.__xss") == "undefined", "nothing injected ran")

        figures = d.execute_script(FIGURE_JS)
        ids = [f["id"] for f in figures]
        ics = [i["number"] for i in report["landmarks"]["ics"]]
        want = [f"axial-ics{n}" for n in ics] + ["coronal", "sagittal", "recurrence-map", "dvh", "ovh"]
        check(ids == want, f"figures {ids} == {want}")
        for f in figures:
            check(f["content"] == "true", f"figure {f['id']} has content")
            check(f["drawn"] > 0 and f["shapes"] > 0, f"figure {f['id']} is not blank ({f['drawn']} drawn shapes)")
            check(f["width"] > 200 and f["height"] > 150, f"figure {f['id']} is laid out ({f['width']}x{f['height']})")

        rows = d.execute_script(VERDICT_JS)
        got = [tuple(r[:3]) for r in rows]
        want_rows = expected_verdict(report)
        check(got == want_rows, f"verdict block == report.json\n  page: {got}\n  json: {want_rows}")
        for r in rows:
            shown = "not evaluable" if r[2] == "not_evaluable" else r[2]
            check(r[3] == shown, f"badge text {r[3]!r} says the status {r[2]!r}")
        check(len(rows) >= 10, f"the verdict block lists every check ({len(rows)} rows)")

        pdf = print_pdf(d)
        check(is_a4_pdf(pdf), "the page prints to PDF with the print stylesheet's A4 pages")
        if shots:
            os.makedirs(shots, exist_ok=True)
            screenshot_full_page(d, os.path.join(shots, "report-example.png"), 6000)
            with open(os.path.join(shots, "report-example.pdf"), "wb") as f:
                f.write(pdf)
    finally:
        d.quit()

    if not check.failures:
        shutil.rmtree(scratch, ignore_errors=True)
    check.finish("report.html checked in Chromium: no console messages, every figure drawn, verdict equal to report.json, A4 print")


if __name__ == "__main__":
    main()

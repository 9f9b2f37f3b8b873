#!/usr/bin/env python3
"""Opens the department dashboard of `rtaudit cohort` in a real headless Chromium (issue 7).

Usage: check_dashboard_in_browser.py RTAUDIT SCRATCH_DIR [--screenshots DIR]

Six phantoms in two departments (one named with markup characters) and one corrupt case go through
`rtaudit cohort`. The page must load with no console message, hold no <script>, show every figure
drawn, give run counts equal to cohort.json, list the corrupt case as failed, show the department
compliance table with the same rows as its CSV, link every case's report (which must exist), and
print as A4, and find nothing written outside --out (the case folders untouched). Exit 77 (skip) without Chromium, chromedriver or selenium.
"""
import csv
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import FIGURE_JS, Checks, is_a4_pdf, make_driver, print_pdf, screenshot_full_page  # noqa: E402

check = Checks()
DEPARTMENTS = ["Breast <North> & Co", "Breast South"]
VARIANTS = ["estro", "rtog", "short-caudal"]


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stdout, p.stderr)
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(args)}")
    return p


TABLE_JS = """
var t = document.querySelector('table[data-table="' + arguments[0] + '"]');
if (!t) return null;
return Array.from(t.querySelectorAll('tr')).slice(1).map(function (r) {
  return Array.from(r.querySelectorAll('td')).map(function (c) { return c.textContent; }); });
"""


def main():
    rtaudit, scratch = sys.argv[1], sys.argv[2]
    shots = sys.argv[sys.argv.index("--screenshots") + 1] if "--screenshots" in sys.argv else None
    shutil.rmtree(scratch, ignore_errors=True)
    cases, out = os.path.join(scratch, "cases"), os.path.join(scratch, "out")
    os.makedirs(cases)
    for i in range(6):
        run(rtaudit, "phantom", "--out", os.path.join(cases, f"p{i}"), "-q", "--seed", str(i + 1), "--variant", VARIANTS[i % 3],
            "--department", DEPARTMENTS[i % 2], "--institution", "Test Hospital", "--planner", f"Planner^{'AB'[i // 3]}",
            "--date", f"2026{1 + i % 2:02d}15")
    os.makedirs(os.path.join(cases, "corrupt"))
    with open(os.path.join(cases, "corrupt", "RS.dcm"), "wb") as f:
        f.write(b"\0" * 128 + b"DICM" + b"\x02\x00" * 20)
    def listing(root):
        found = {}
        for d, _, files in os.walk(root):
            for f in files:
                p = os.path.join(d, f)
                found[p] = (os.path.getsize(p), os.path.getmtime(p))
        return found

    before = listing(scratch)
    run(rtaudit, "cohort", cases, "--out", out, "-q", "-j", "2")
    after = listing(scratch)
    outside = [p for p in after if not p.startswith(out + os.sep) and after[p] != before.get(p)]
    check(outside == [], f"nothing written outside --out (got {outside[:5]})")
    check(all(p.startswith(out + os.sep) for p in after if p not in before), "every new file lies inside --out")
    summary = json.load(open(os.path.join(out, "cohort.json")))
    check(summary["ok"] == 6 and summary["failed"] == 1, f"6 audited, 1 failed ({summary['ok']}, {summary['failed']})")

    d = make_driver()
    try:
        d.get("file://" + os.path.abspath(os.path.join(out, "dashboard.html")))
        logs = d.get_log("browser")
        check(logs == [], f"no console messages (got {logs})")
        check(d.execute_script("return document.scripts.length") == 0, "no <script> element")
        run_el = d.execute_script(
            "var e = document.getElementById('run-summary'); return [e.dataset.inputs, e.dataset.audited, e.dataset.unchanged, e.dataset.failed]")
        check(run_el == [str(summary[k]) for k in ("inputs", "audited", "unchanged", "failed")], f"run summary {run_el} == cohort.json")
        body = d.execute_script("return document.body.innerText")
        check(DEPARTMENTS[0] in body, "the department name with markup characters is shown as text")
        check("THORAX" not in body, "no patient name on the dashboard")

        figures = d.execute_script(FIGURE_JS)
        ids = [f["id"] for f in figures]
        guidelines = ["estro-2015", "radcomp-2016", "rtog-2009"]
        want = [f"{k}-{g}" for g in guidelines for k in ("borders", "margins")] + ["mean-heart-dose"] + [f"funnel-{g}" for g in guidelines]
        check(ids == want, f"figures {ids} == {want}")
        for f in figures:
            check(f["content"] == "true" and f["drawn"] > 0, f"figure {f['id']} is drawn ({f['drawn']} shapes)")
            check(f["width"] > 200 and f["height"] > 150, f"figure {f['id']} is laid out")

        failures = d.execute_script(TABLE_JS, "failures")
        check(failures is not None and len(failures) == 1 and failures[0][1].endswith("corrupt"), f"the corrupt case is listed: {failures}")
        shown = d.execute_script(TABLE_JS, "compliance_by_department_summary")
        with open(os.path.join(out, "tables", "compliance_by_department_summary.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))[1:]
        check(shown is not None and len(shown) == len(rows) == 6, f"compliance by department: {len(rows)} CSV rows, {len(shown or [])} shown")
        for a, b in zip(shown or [], rows):
            check([x.replace("\u2014", "") for x in a] == b, f"page row {a} == CSV row {b}")
        links = d.execute_script("return Array.from(document.querySelectorAll('table[data-table=\"cases\"] a')).map(a => a.getAttribute('href'))")
        check(len(links) == 6, f"every audited case links its report ({len(links)})")
        for href in links:
            check(os.path.exists(os.path.join(out, href)), f"{href} exists")
        check(is_a4_pdf(print_pdf(d)), "prints as A4")
        if shots:
            os.makedirs(shots, exist_ok=True)
            screenshot_full_page(d, os.path.join(shots, "dashboard-example.png"))
    finally:
        d.quit()
    if not check.failures:
        shutil.rmtree(scratch, ignore_errors=True)
    check.finish("dashboard.html checked in Chromium: no console messages, every figure drawn, counts equal to cohort.json and the CSV tables")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Validates real report.json documents of every phantom variant against docs/schema/report.schema.json.

Usage: validate_report_schema.py RTAUDIT_BINARY SCHEMA_FILE SCRATCH_DIR

For every variant `rtaudit phantom` offers (the list is read from the binary itself), on both sides, it
writes a phantom case under SCRATCH_DIR, runs `rtaudit audit CASE --out OUT -q` and validates OUT/report.json
with jsonschema's Draft202012Validator (with the format checker). The phantom plants recurrences and an IM
sentinel node in every case (recurrences.json / recurrences.csv), so every report has miss points. Extra runs,
so that the schema's optional branches meet real data: a contrast-enhanced phantom; a no-landmarks phantom whose CT
hides the IM vessels (estimated landmarks in `ct_landmarks` and every `landmark_basis`); the estro-left case
audited with --no-dose (the phantom always writes a plan and a dose; the audit can ignore them), with
--export-rtstruct (`export` an object), with a second structure set plus a --role override and a --guideline
filter (`case.other_structure_sets`, `rules.overrides`), and with patient facts (docs/patient-facts.md) and a
department heart model fitted by `rtaudit calibrate` on the phantoms (`heart.estimate`,
`heart.coronary_risk` with a baseline, `miss.imaging`, `miss.guideline_fit`).

Then negative checks prove the schema is not vacuous: mutations of one valid report (a required field
removed, the schema id changed, a string where a number belongs, an unknown field at the top and deep
inside, a status word that does not exist, ...) must each be rejected.

Every validation error is printed with its JSON path. Exit status: 0 all passed (SCRATCH_DIR is removed),
1 a failure (SCRATCH_DIR is kept for inspection), 2 bad usage, 77 the Python module jsonschema is missing
(CTest SKIP_RETURN_CODE; Debian package python3-jsonschema, scripts/install-deps.sh).
"""

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import time

SKIP = 77

try:
    import jsonschema
except ImportError:  # pragma: no cover - depends on the machine
    print("SKIP: the Python module jsonschema is not installed (apt-get install python3-jsonschema)")
    sys.exit(SKIP)

COMMAND_TIMEOUT_S = 300

# docs/patient-facts.md: every factor the heart and miss parts use, and imaging findings of each kind
# (a modality the imaging table does not know included).
PATIENT_FACTS = {
    "schema": "rtaudit-patient/1",
    "age_years": 50,
    "cardiac_risk_factors": False,
    "existing_heart_disease": False,
    "anthracycline": True,
    "trastuzumab": False,
    "tumour_quadrant": "upper-inner",
    "positive_axillary_nodes": 2,
    "tumour_size_mm": 22,
    "er_positive": False,
    "her2_positive": False,
    "lymphovascular_invasion": True,
    "n_stage": "pN1a",
    "t_stage": "T2",
    "stage_group": "IIB",
    "imn_imaging": [
        {"modality": "MRI", "finding": "negative", "date": "2024-03-01"},
        {"modality": "SPECT/CT", "finding": "positive"},
        {"modality": "PET/CT", "finding": "not_done"},
        {"modality": "thermography", "finding": "negative"},
    ],
}


def run(cmd, **kwargs):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=COMMAND_TIMEOUT_S, **kwargs)


def phantom_variants(binary, scratch):
    """The variant list as the binary knows it: an unknown variant is refused with 'known: a, b, ...'
    before anything is written."""
    probe = os.path.join(scratch, "variant-probe")
    p = run([binary, "phantom", "--out", probe, "--variant", "no-such-variant-for-listing", "-q"])
    m = re.search(r"known: (.+)", p.stderr)
    if p.returncode == 0 or m is None:
        raise RuntimeError("cannot read the phantom variants from `rtaudit phantom` (rc {}, stderr {!r})"
                           .format(p.returncode, p.stderr.strip()))
    if os.path.exists(probe):
        raise RuntimeError("`rtaudit phantom` with an unknown variant wrote " + probe)
    variants = [v.strip() for v in m.group(1).split(",") if v.strip()]
    if not variants:
        raise RuntimeError("empty variant list: " + p.stderr.strip())
    return variants


def json_path(error):
    path = getattr(error, "json_path", None)
    if path:
        return path
    out = "$"
    for part in error.absolute_path:
        out += "[{}]".format(part) if isinstance(part, int) else ".{}".format(part)
    return out


def errors_of(validator, document):
    return sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))


def describe(error, indent="    "):
    lines = ["{}{}: {}".format(indent, json_path(error), error.message[:400])]
    # anyOf / oneOf: say which branch came closest.
    for sub in sorted(error.context or [], key=lambda e: len(list(e.absolute_path)), reverse=True)[:4]:
        lines.append("{}  - {}: {}".format(indent, json_path(sub), sub.message[:300]))
    return "\n".join(lines)


def documented_rules(doc):
    """What docs/report-json.md says and a schema cannot express; a list of problems (the document has
    passed or failed the schema already, so every access is guarded)."""
    problems = []
    try:
        mirror = [{"guideline": g["id"], "status": g["overall"], "provisional": g["provisional"]}
                  for g in doc["guidelines"]]
        if doc["overall"] != mirror:
            problems.append("overall[] is not guidelines[].{id, overall, provisional} in order")
        if doc["non_finite_values"]:
            problems.append("non_finite_values is not empty on a phantom (a healthy run): {}".format(
                [v.get("path") for v in doc["non_finite_values"]]))
    except (KeyError, TypeError) as e:
        problems.append("cannot check the documented rules: {!r}".format(e))
    return problems


# ---------------------------------------------------------------------------------------------------
# Negative checks: each mutation of a valid report must be rejected.

def _first(lst, what):
    if not lst:
        raise LookupError("the sample report has no " + what)
    return lst[0]


def mutations():
    """(name, function mutating a report in place). A function raising LookupError is reported as a
    failure: the sample report does not exercise that part."""

    def remove_guidelines(d):
        del d["guidelines"]

    def schema_2(d):
        d["schema"] = "rtaudit-audit/2"

    def volume_string(d):
        d["clinical_ctv"]["volume_cc"] = str(d["clinical_ctv"]["volume_cc"])

    def unknown_top(d):
        d["unexpected_field"] = True

    def unknown_in_level_check(d):
        g = _first(d["guidelines"], "guideline")
        _first(g["checks"]["levels"], "level check")["extra"] = 1

    def bad_status_word(d):
        _first(d["guidelines"], "guideline")["overall"] = "passed"

    def bad_side(d):
        d["treated_side"]["side"] = "both"

    def remove_heart_member(d):
        _first(d["heart"]["dvhs"], "heart DVH").pop("organ")

    def bad_miss_class(d):
        p = _first(d["miss"]["points"], "miss point")
        _first(p["vs"], "point against a CTV")["class"] = "inside"

    def metric_without_reason(d):
        g = _first(d["guidelines"], "guideline")
        overlap = g["comparison"]["overlap"]
        if overlap is None:
            raise LookupError("the sample report's first guideline has no overlap metrics")
        overlap["dice"] = {"value": None, "convention": overlap["dice"]["convention"]}

    def integer_as_float(d):
        d["case"]["structure_set"]["rois"] = d["case"]["structure_set"]["rois"] + 0.5

    def unknown_landmark(d):
        d["landmarks"]["levels"]["sternum.cranial"] = copy.deepcopy(d["landmarks"]["levels"]["imv_junction"])

    def missing_rib_level(d):
        del d["landmarks"]["levels"]["rib3.medial.caudal"]

    def provisional_disagrees(d):
        g = _first(d["guidelines"], "guideline")
        g["provisional"] = not g["provisional"]

    def bad_outputs(d):
        d["outputs"] = {"json": "report.json", "pdf": "report.pdf"}

    def miss_point_unknown(d):
        _first(d["miss"]["points"], "miss point")["colour"] = "red"

    return [
        ("required field 'guidelines' removed", remove_guidelines),
        ("schema changed to rtaudit-audit/2", schema_2),
        ("clinical_ctv.volume_cc written as a string", volume_string),
        ("unknown top-level field", unknown_top),
        ("unknown field in guidelines[0].checks.levels[0]", unknown_in_level_check),
        ("guidelines[0].overall not a status word", bad_status_word),
        ("treated_side.side 'both'", bad_side),
        ("heart.dvhs[0].organ removed", remove_heart_member),
        ("miss.points[0].vs[0].class not a class word", bad_miss_class),
        ("a null metric without its reason", metric_without_reason),
        ("case.structure_set.rois not an integer", integer_as_float),
        ("landmarks.levels with a name outside the vocabulary", unknown_landmark),
        ("landmarks.levels without rib3.medial.caudal", missing_rib_level),
        ("guidelines[0].provisional disagreeing with its status", provisional_disagrees),
        ("outputs with an unknown member", bad_outputs),
        ("unknown field in miss.points[0]", miss_point_unknown),
    ]


# ---------------------------------------------------------------------------------------------------

def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary, schema_file, scratch = argv[1], argv[2], os.path.abspath(argv[3])
    started = time.monotonic()

    with open(schema_file, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.Draft202012Validator
    try:
        cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print("FAIL: {} is not a valid draft 2020-12 schema: {}".format(schema_file, e.message))
        return 1
    format_checker = getattr(cls, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    validator = cls(schema, format_checker=format_checker)

    if os.path.exists(scratch):
        shutil.rmtree(scratch)
    os.makedirs(scratch)

    failures = []

    try:
        variants = phantom_variants(binary, scratch)
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as e:
        print("FAIL: {}".format(e))
        return 1
    print("phantom variants: {}".format(", ".join(variants)))

    # (name, phantom options, audit options)
    reports = {}

    def audit(name, case, audit_opts, t0=None):
        """Audits `case` into SCRATCH/out/NAME and validates its report.json; the document or None."""
        t0 = time.monotonic() if t0 is None else t0
        out = os.path.join(scratch, "out", name)
        p = run([binary, "audit", case, "--out", out, "-q"] + audit_opts)
        if p.returncode != 0:
            failures.append(name)
            print("FAIL {}: rtaudit audit exited {}\n{}".format(name, p.returncode, p.stderr.strip()))
            return None
        try:
            with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            failures.append(name)
            print("FAIL {}: report.json cannot be read: {}".format(name, e))
            return None
        errs = errors_of(validator, doc)
        seconds = time.monotonic() - t0
        for problem in documented_rules(doc):
            errs.append(jsonschema.exceptions.ValidationError(problem))
        if errs:
            failures.append(name)
            print("FAIL {}: {} schema error(s) ({:.1f} s)".format(name, len(errs), seconds))
            for e in errs:
                print(describe(e))
        else:
            print("ok   {}: report.json validates ({:.1f} s; {} guideline(s), {} miss point(s), dose {})".format(
                name, seconds, len(doc["guidelines"]), len(doc["miss"]["points"]),
                "yes" if doc["heart"]["dose"] else "no"))
        reports[name] = doc
        return doc

    # 1. Every variant on both sides (right-side forces the right side), and a contrast phantom.
    phantoms = []
    for v in variants:
        for side in ("left", "right"):
            if v == "right-side" and side == "left":
                continue  # --side left would only repeat --side right
            phantoms.append(("{}-{}".format(v, side), ["--variant", v, "--side", side]))
    phantoms.append(("estro-left-contrast", ["--variant", "estro", "--side", "left", "--contrast"]))
    # Landmarks from the CT with the IM vessels invisible: estimated vessels, labelled (issue 8).
    phantoms.append(("no-landmarks-left-hidden-vessels", ["--variant", "no-landmarks", "--side", "left", "--hide-im-vessels"]))
    cases = {}
    for name, phantom_opts in phantoms:
        t0 = time.monotonic()
        case = os.path.join(scratch, "cases", name)
        p = run([binary, "phantom", "--out", case, "-q"] + phantom_opts)
        if p.returncode != 0:
            failures.append(name)
            print("FAIL {}: rtaudit phantom exited {}\n{}".format(name, p.returncode, p.stderr.strip()))
            continue
        cases[name] = case
        audit(name, case, [], t0)

    # 2. Audit options that change the document's shape, on the estro-left case.
    base = cases.get("estro-left")
    model = None
    if base is None:
        failures.append("derived runs")
        print("FAIL derived runs: no estro-left case")
    else:
        audit("estro-left-no-dose", base, ["--no-dose"])
        audit("estro-left-export", base, ["--export-rtstruct"])

        # Two structure sets (other_structure_sets), a role override, a --guideline filter.
        two = os.path.join(scratch, "derived", "two-sets")
        shutil.copytree(base, two)
        shutil.copyfile(os.path.join(two, "RS.dcm"), os.path.join(two, "RS_copy.dcm"))
        ids = [g["id"] for g in reports.get("estro-left", {}).get("rules", {}).get("guidelines", [])
               if g.get("has_ctvn_imn_target")]
        opts = ["--role", "CTVn_IMN_L=ctvn_imn:left"]
        for gid in ids[:2]:
            opts += ["--guideline", gid]
        audit("estro-left-two-sets-override", two, opts)

        # Patient facts (coronary baseline, IMN risk factors, imaging, stage) and a department heart model
        # fitted by `rtaudit calibrate` on the phantoms above, used without the dose (heart.estimate).
        patient = os.path.join(scratch, "derived", "patient.json")
        with open(patient, "w", encoding="utf-8") as f:
            json.dump(PATIENT_FACTS, f, indent=1)
        opts = ["--no-dose", "--patient", patient]
        model_dir = os.path.join(scratch, "derived", "model")
        p = run([binary, "calibrate", os.path.join(scratch, "cases"), "--out", model_dir, "-q"])
        model = os.path.join(model_dir, "heart-model.json")
        if p.returncode == 0 and os.path.isfile(model):
            opts += ["--heart-model", model]
        else:
            model = None
            print("note: rtaudit calibrate exited {} ({}); heart.estimate is not exercised".format(
                p.returncode, p.stderr.strip()[:300]))
        audit("estro-left-patient-model", base, opts)

    # The runs must exercise what they are meant to (else the schema's branches go untested).
    def expect(cond, what):
        if not cond:
            failures.append(what)
            print("FAIL coverage: " + what)

    if "estro-left" in reports:
        d = reports["estro-left"]
        expect(d["heart"]["dose"] is not None, "estro-left: the phantom's dose is used (heart.dose not null)")
        expect(len(d["miss"]["points"]) > 0, "estro-left: the planted recurrences are read (miss.points)")
        expect(any(p["kind"] == "sentinel_node" for p in d["miss"]["points"]),
               "estro-left: the planted sentinel node is read")
        expect(d["export"] is None, "estro-left: export is null without --export-rtstruct")
    if "estro-left-no-dose" in reports:
        d = reports["estro-left-no-dose"]
        expect(d["heart"]["dose"] is None and d["heart"]["dose_files"] == [],
               "estro-left-no-dose: --no-dose leaves heart.dose null")
    if "estro-left-export" in reports:
        d = reports["estro-left-export"]
        expect(d["export"] is not None and d["export"]["written"] and len(d["export"]["rois"]) > 0,
               "estro-left-export: export written with reference ROIs")
    if "estro-left-two-sets-override" in reports:
        d = reports["estro-left-two-sets-override"]
        expect(len(d["case"]["other_structure_sets"]) == 1, "two-sets: the copy is listed in other_structure_sets")
        expect(any(b["decided_by"] == "override" for b in d["roles"]["bindings"]) and d["rules"]["overrides"],
               "two-sets: the --role override is bound and listed")
        expect(len(d["rules"]["guideline_filter"]) > 0, "two-sets: the --guideline filter is listed")
    if "estro-left-patient-model" in reports:
        d = reports["estro-left-patient-model"]
        m = d["miss"]
        expect(m["imaging"] is not None and len(m["imaging"]["steps"]) == len(PATIENT_FACTS["imn_imaging"]),
               "patient: every imaging finding is a step of miss.imaging")
        expect(m["imn_risk"] is not None and m["guideline_fit"] is not None
               and m["guideline_fit"]["extent"] != "unknown", "patient: IMN risk and guideline fit evaluated")
        r = d["heart"]["coronary_risk"]
        expect(r is not None and r["absolute_excess_pct"] is not None,
               "patient: coronary risk with an absolute excess (baseline from age)")
        if model is not None:
            expect(d["heart"]["estimate"] is not None, "patient: heart.estimate from the department model")
    sides = {d["treated_side"]["side"] for d in reports.values()}
    expect({"left", "right"} <= sides, "reports of both treated sides (got {})".format(sorted(map(str, sides))))

    # Negative checks on one valid report.
    sample_name = next((n for n in ("estro-left-export", "estro-left") if n in reports and n not in failures), None)
    if sample_name is None:
        failures.append("negative checks")
        print("FAIL negative checks: no valid sample report")
    else:
        sample = reports[sample_name]
        for what, mutate in mutations():
            doc = copy.deepcopy(sample)
            try:
                mutate(doc)
            except LookupError as e:
                failures.append("mutation: " + what)
                print("FAIL mutation '{}': {}".format(what, e))
                continue
            errs = errors_of(validator, doc)
            if errs:
                print("ok   mutation rejected: {} ({} error(s), first at {})".format(what, len(errs),
                                                                                   json_path(errs[0])))
            else:
                failures.append("mutation: " + what)
                print("FAIL mutation accepted by the schema: {}".format(what))

    elapsed = time.monotonic() - started
    if failures:
        print("\nFAILED ({} problem(s), {:.1f} s): {}\nscratch kept in {}".format(
            len(failures), elapsed, "; ".join(failures), scratch))
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    print("\nall {} report(s) validate against {}; {} mutation(s) rejected ({:.1f} s)".format(
        len(reports), schema_file, len(mutations()), elapsed))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except subprocess.TimeoutExpired as e:
        print("FAIL: command timed out after {} s: {}".format(e.timeout, " ".join(map(str, e.cmd))))
        sys.exit(1)
    except OSError as e:
        print("FAIL: cannot run {}: {}".format(e.filename, e.strerror))
        sys.exit(1)

#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install dependencies, build, generate the demo patient
# (a synthetic thorax with known answers) and audit its CTVn_IMN against the ESTRO, RTOG and RADCOMP
# rules. Output goes to ./demo-output (or the folder given as the first argument).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DRTAUDIT_TESTS=OFF -DRTAUDIT_BENCHMARKS=OFF
out=${1:-demo-output}
# The demo patient's clinician drew the IMN CTV with a 2 mm instead of a 5 mm margin: the audit finds it.
./build/rtaudit/rtaudit phantom --out "$out/patient" --seed 1 --variant narrow-margin -q
# Patient facts no DICOM object holds: age and cardiac risk (coronary risk), tumour and nodal stage and
# the IMN imaging (IMN involvement, the expected geographic miss, which guideline fits); docs/patient-facts.md.
cat > "$out/patient/patient.json" <<'JSON'
{"schema": "rtaudit-patient/1", "age_years": 50, "cardiac_risk_factors": false,
 "tumour_quadrant": "upper-inner", "positive_axillary_nodes": 5, "n_stage": "pN2a", "tumour_size_mm": 24,
 "er_positive": true, "her2_positive": false, "lymphovascular_invasion": true,
 "imn_imaging": [{"modality": "MRI", "finding": "negative"}]}
JSON
./build/rtaudit/rtaudit inspect "$out/patient" > "$out/inspect.txt"
./build/rtaudit/rtaudit audit "$out/patient" --out "$out/audit" --export-rtstruct
echo
echo "demo patient in $out/patient (truth.json lists every planted fact; inventory in $out/inspect.txt)"
echo "audit: $out/audit/report.html (open in a browser), report.json (docs/report-json.md), summary.csv;"
echo "       reference CTVs as ROIs: $out/audit/RS_rtaudit_references.dcm"

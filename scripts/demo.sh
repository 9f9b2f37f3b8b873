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
# What the clinician knows that DICOM does not say (docs/patient-facts.md): age and cardiac risk factors
# give the baseline of the coronary risk estimate.
printf '{"schema": "rtaudit-patient/1", "age_years": 50, "cardiac_risk_factors": false}\n' > "$out/patient/patient.json"
./build/rtaudit/rtaudit inspect "$out/patient" > "$out/inspect.txt"
./build/rtaudit/rtaudit audit "$out/patient" --out "$out/audit" --export-rtstruct
echo
echo "demo patient in $out/patient (truth.json lists every planted fact; inventory in $out/inspect.txt)"
echo "audit: $out/audit/report.json (docs/report-json.md); reference CTVs as ROIs: $out/audit/RS_rtaudit_references.dcm"

#!/usr/bin/env bash
# Whole-command DVH of every ROI of the phantom (issue 6): `rtaudit dvh RS.dcm RD.dcm --json` (exact
# partial volumes, trilinear dose) against `plastimatch dvh --input DIR` (rasterises the structure set
# on its own voxel grid, voxel-centre membership, dose at the voxel) on the same RTSTRUCT and RTDOSE,
# with both results compared (heart, ipsilateral lung, LAD: mean dose and V20/V5 from plastimatch's
# 0.01 Gy histogram against rtaudit's metrics). Median wall time of N runs each, process start-up
# included.
#
# Usage: bench/dvh_vs_plastimatch.sh [RUNS]
#   RTAUDIT=path/to/rtaudit (default build-release/rtaudit/rtaudit, a -DCMAKE_BUILD_TYPE=Release build)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
rtaudit=${RTAUDIT:-$top/build-release/rtaudit/rtaudit}
python=/usr/bin/python3
command -v plastimatch > /dev/null || { echo "plastimatch not installed" >&2; exit 1; }
[ -x "$rtaudit" ] || { echo "no rtaudit at $rtaudit" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$rtaudit" phantom -q --variant heart-close --out "$work/phantom"
mkdir -p "$work/rtonly"
cp "$work/phantom/RS.dcm" "$work/phantom/RD.dcm" "$work/rtonly/"

rt_cmd="'$rtaudit' dvh --json '$work/rtonly/RS.dcm' '$work/rtonly/RD.dcm' > '$work/rt.json'"
pl_cmd="plastimatch dvh --input '$work/rtonly' --output-csv '$work/pl.csv' --bin-width 0.01 --num-bins 6000 --normalization vox > /dev/null 2>&1"

median_ms() {
  local times=() t0 t1
  bash -c "$1" > /dev/null 2>&1
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    bash -c "$1" > /dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f\n", m/1000}'
}

t_rt=$(median_ms "$rt_cmd")
t_pl=$(median_ms "$pl_cmd")
echo "phantom --variant heart-close: RS.dcm with $("$python" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["rois"]))' "$work/rt.json") ROIs, RD.dcm 2.5 mm grid"
echo "$runs runs each, median wall time"
printf '  %-52s %9s ms\n' "rtaudit dvh --json (every ROI)" "$t_rt"
printf '  %-52s %9s ms\n' "plastimatch dvh --input (every ROI, 0.01 Gy bins)" "$t_pl"
"$python" - "$work/rt.json" "$work/pl.csv" "$work/phantom/truth.json" <<'PY'
import csv, json, sys
rt = {r["roi_name"]: r for r in json.load(open(sys.argv[1]))["rois"]}
truth = json.load(open(sys.argv[3]))["heart"]["dose"]
rows = list(csv.reader(open(sys.argv[2])))
names = rows[0][1:]
dose = [float(r[0]) for r in rows[1:]]
cols = {n: [float(r[i + 1]) for r in rows[1:]] for i, n in enumerate(names)}
def pl_metrics(n):
    c = cols[n]            # cumulative voxel counts: voxels with dose >= dose[i]
    total = c[0]
    # mean from the cumulative histogram: sum of bin width x fraction above (bin centre convention)
    mean = sum((c[i] - (c[i + 1] if i + 1 < len(c) else 0)) * (dose[i] + 0.005) for i in range(len(c))) / total
    def v(gy):
        i = min(range(len(dose)), key=lambda k: abs(dose[k] - gy))
        return 100.0 * c[i] / total
    return mean, v(5), v(20)
print("  %-10s %-28s %-28s %-28s" % ("ROI", "Dmean Gy (rtaudit/plast/truth)", "V5 % (rtaudit/plast/truth)", "V20 % (rtaudit/plast/truth)"))
for roi, key in (("Heart", "heart"), ("A_LAD", "lad"), ("Lung_L", "lung_ipsilateral")):
    m = rt[roi]["dvh"]["metrics"]
    v = {round(x["dose_gy"]): x["volume_pct"] for x in m["v"]}
    pm, p5, p20 = pl_metrics(roi)
    t = truth.get(key) or {}
    print("  %-10s %8.3f / %6.3f / %6.3f      %6.2f / %6.2f / %6.2f       %6.2f / %6.2f / %6.2f" % (
        roi, m["mean_gy"], pm, t.get("mean_gy", float("nan")), v[5], p5, t.get("v5gy_pct", float("nan")),
        v[20], p20, t.get("v20gy_pct", float("nan"))))
print("  volumes cc (rtaudit plane model / plastimatch voxels): " + ", ".join(
    "%s %.2f / %s" % (roi, rt[roi]["dvh"]["structure_volume_cc"], int(cols[roi][0])) for roi in ("Heart", "A_LAD", "Lung_L")) + " voxels")
PY

#!/usr/bin/env bash
# Comparison metrics of one CTV/PTV pair of the phantom (issue 4): `rtaudit compare A B --json`
# (exact Dice, Jaccard, volumes, HD, HD95, MSD, surface Dice, added path length) against what
# plastimatch needs for Dice and Hausdorff distances: `plastimatch convert` rasterising the
# structure set onto a 0.5 mm grid + `plastimatch dice --all`. Median wall time of N runs each
# (hyperfine when installed, else a bash loop), whole commands including process start-up.
#
# The plastimatch grid is the one tests/cli/plastimatch_crosscheck_test.cpp uses: 0.5 mm in x and
# y over the two ROIs' bounding box plus 3 mm, the slice spacing in z with a slice on every contour
# plane (plastimatch puts each contour on the nearest slice), two slices beyond each end. That is
# the smallest grid that gives plastimatch's numbers: the most favourable case for plastimatch.
#
# Usage: bench/compare_vs_plastimatch.sh [RUNS] [ROI_A] [ROI_B]
#   RTAUDIT=path/to/rtaudit (default build-release/rtaudit/rtaudit, a -DCMAKE_BUILD_TYPE=Release build)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10}
roi_a=${2:-CTVn_IMN_L}
roi_b=${3:-PTVn_IMN_L}
rtaudit=${RTAUDIT:-$top/build-release/rtaudit/rtaudit}
python=/usr/bin/python3  # the system Python (json only here)
command -v plastimatch > /dev/null || { echo "plastimatch not installed" >&2; exit 1; }
[ -x "$rtaudit" ] || { echo "no rtaudit at $rtaudit (build it: see docs/benchmarks.md)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$rtaudit" phantom -q --variant narrow-margin --out "$work/phantom"
rs=$work/phantom/RS.dcm

# The grid from the two ROIs' bounding boxes, plane range and slab (rtaudit inspect --json).
read -r slab ox oy oz nx ny nz < <("$rtaudit" inspect --json "$rs" 2> /dev/null | "$python" -c '
import json, math, sys
a, b = sys.argv[1], sys.argv[2]
rois = [r for r in json.load(sys.stdin)["objects"][0]["rois"] if r["name"] in (a, b)]
assert len(rois) == 2, "ROIs not found"
lo = [min(r["bounding_box_mm"]["min"][i] for r in rois) for i in range(2)] + [min(r["z_min_mm"] for r in rois)]
hi = [max(r["bounding_box_mm"]["max"][i] for r in rois) for i in range(2)] + [max(r["z_max_mm"] for r in rois)]
slab = rois[0]["slab_mm"]
o = [math.floor((lo[i] - 3) / 0.5) * 0.5 + 0.25 for i in range(2)] + [lo[2] - 2 * slab]
n = [round(math.ceil((hi[i] + 3 - o[i]) / 0.5)) + 1 for i in range(2)] + [round((hi[2] - lo[2]) / slab) + 5]
print(slab, *o, *n)' "$roi_a" "$roi_b")

rt_cmd="'$rtaudit' compare --json '$rs:$roi_a' '$rs:$roi_b'"
pl_convert="rm -rf '$work/masks' && plastimatch convert --input '$rs' --output-prefix '$work/masks' --spacing '0.5 0.5 $slab' --origin '$ox $oy $oz' --dim '$nx $ny $nz'"
pl_dice="plastimatch dice --all '$work/masks/$roi_a.mha' '$work/masks/$roi_b.mha'"
pl_cmd="$pl_convert > /dev/null && $pl_dice"
floor_cmd="dcmdump '$rs'"

# One run of each for the numbers (and the masks the dice-only timing reads).
rt_json=$(bash -c "$rt_cmd" 2> /dev/null)
pl_out=$(bash -c "$pl_cmd" 2> /dev/null)

median_ms() {  # median wall time (ms) of `bash -c "$1"` over $runs runs, after one warm-up
  if command -v hyperfine > /dev/null; then
    hyperfine --runs "$runs" --warmup 1 --style none --export-json "$work/h.json" "$1" > /dev/null 2>&1
    "$python" -c 'import json, sys; print("%.1f" % (1000 * json.load(open(sys.argv[1]))["results"][0]["median"]))' "$work/h.json"
  else
    bash -c "$1" > /dev/null 2>&1
    local times=() t0 t1
    for _ in $(seq "$runs"); do
      t0=$(date +%s%N)
      bash -c "$1" > /dev/null 2>&1
      t1=$(date +%s%N)
      times+=($(((t1 - t0) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f\n", m/1000}'
  fi
}

t_rt=$(median_ms "$rt_cmd")
t_pl=$(median_ms "$pl_cmd")
t_convert=$(median_ms "$pl_convert")
t_dice=$(median_ms "$pl_dice")
t_floor=$(median_ms "$floor_cmd")

echo "pair: $roi_a (A) vs $roi_b (B) of rtaudit phantom --variant narrow-margin ($(stat -c %s "$rs") bytes, 34 ROIs)"
echo "plastimatch grid: 0.5 x 0.5 x $slab mm, $nx x $ny x $nz voxels, origin ($ox, $oy, $oz)"
echo "$runs runs each, median wall time ($(command -v hyperfine > /dev/null && echo hyperfine || echo 'bash loop'))"
printf '  %-48s %9s ms\n' "rtaudit compare --json" "$t_rt"
printf '  %-48s %9s ms\n' "plastimatch convert + dice --all" "$t_pl"
printf '  %-48s %9s ms\n' "  of which plastimatch convert" "$t_convert"
printf '  %-48s %9s ms\n' "  of which plastimatch dice --all" "$t_dice"
printf '  %-48s %9s ms\n' "dcmdump (parse floor)" "$t_floor"
awk -v r="$t_rt" -v p="$t_pl" 'BEGIN {printf "plastimatch / rtaudit = %.2fx\n", p / r}'
echo "$rt_json" | "$python" -c '
import json, re, sys
j = json.load(sys.stdin); o, s = j["overlap"], j["surface"]
pl = sys.argv[1]
def v(label):
    m = re.search(r"(?:^|\n)" + re.escape(label) + r"\s*[:=]\s*([-+0-9.eE]+)", pl)
    return float(m.group(1)) if m else float("nan")
print("values:   %-12s %10s %10s %14s" % ("", "Dice", "HD mm", "HD95(mean) mm"))
print("          %-12s %10.4f %10.3f %14.3f" % ("rtaudit", o["dice"], s["hausdorff_mm"], s["hd95_plastimatch_mm"]))
print("          %-12s %10.4f %10.3f %14.3f" % ("plastimatch", v("DICE"), v("Hausdorff distance (boundary)"),
                                               v("Percent (0.95) Hausdorff distance (boundary)")))' "$pl_out"

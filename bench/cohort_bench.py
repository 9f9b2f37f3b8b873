#!/usr/bin/env python3
"""Whole-command benchmark of `rtaudit cohort` (issue 7): N generated phantoms (with CT, RTPLAN and RTDOSE)
across three departments, audited with -j JOBS. Reports the wall time and the peak memory of the whole
process tree (the cohort process and its concurrent audits, RSS summed, sampled every 20 ms), plus the
largest single audit's peak RSS. Not a test: it never fails on a figure. Results go to docs/benchmarks.md.

Usage: cohort_bench.py RTAUDIT SCRATCH_DIR [N=200] [JOBS=2]
"""
import os
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def tree_rss_kib(root):
    children = {}
    rss = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss[int(pid)] = int(line.split()[1])
            children.setdefault(ppid, []).append(int(pid))
        except (OSError, ValueError, IndexError):
            continue
    total, stack = 0, [root]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def main():
    rtaudit, scratch = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    jobs = sys.argv[4] if len(sys.argv) > 4 else "2"
    cases, out = os.path.join(scratch, "cases"), os.path.join(scratch, "out")
    if not os.path.isdir(cases) or len(os.listdir(cases)) != n:
        shutil.rmtree(scratch, ignore_errors=True)
        os.makedirs(cases)
        variants = ["estro", "rtog", "short-caudal", "narrow-margin", "wide-medial", "heart-close", "right-side"]
        depts = ["Breast Unit North", "Breast Unit South", "Thorax"]

        def one(i):
            subprocess.run([rtaudit, "phantom", "--out", os.path.join(cases, f"p{i:03d}"), "-q", "--seed", str(i + 1),
                            "--variant", variants[i % 7], "--department", depts[i % 3], "--planner", f"P^{i % 6}",
                            "--date", f"20260{1 + i % 6}15"], check=True)
        t = time.time()
        with ThreadPoolExecutor(2) as ex:
            list(ex.map(one, range(n)))
        print(f"generated {n} phantoms in {time.time() - t:.1f} s")
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.time()
    p = subprocess.Popen([rtaudit, "cohort", cases, "--out", out, "-q", "-j", jobs])
    peak = 0
    while p.poll() is None:
        peak = max(peak, tree_rss_kib(p.pid))
        time.sleep(0.02)
    wall = time.time() - t0
    largest_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"cohort of {n} cases, -j {jobs}: wall {wall:.1f} s, exit {p.returncode}")
    print(f"peak memory of the process tree: {peak / 1024:.0f} MiB; largest single process: {largest_child / 1024:.0f} MiB")
    t0 = time.time()
    subprocess.run([rtaudit, "cohort", cases, "--out", out, "-q", "-j", jobs], check=True)
    print(f"re-run, every case unchanged: {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()

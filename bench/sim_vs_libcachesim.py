#!/usr/bin/env python3
"""`cdnlab sim` against libCacheSim's `cachesim`, side by side on the same files.

  bench/sim_vs_libcachesim.py [--cdnlab build/cdnlab] [--cachesim cachesim] [--policies lru,...]
                              [--sizes 0.001,0.01,0.1,0.4,100,1000] [--traces DIR] [--out F.csv]

For every trace encoding of the CloudPhysics sample (oracleGeneral, vscsi, csv, txt; the .zst
files in tests/data/cloudphysics are decompressed to a temporary folder), every policy, every
size (fractions of the working set as cachesim rounds them, or absolute: objects in object mode,
bytes in byte mode) and both modes, it runs both simulators with their default parameters and
compares the requests, misses and (byte mode) miss bytes. cachesim prints only ratios to four
decimals; when it also prints a line "exact: PATH ALGO SIZE n_req n_miss n_req_byte
n_miss_byte" (a reference build that counts exactly) those are compared instead. Without
cachesim on PATH the script says it is skipped and exits 0. Exit status 1 when a figure differs.
"""
import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

# cdnlab policy -> cachesim algorithm name
POLICIES = {
    "fifo": "fifo", "lru": "lru", "clock": "clock", "lfu": "lfu", "slru": "slru", "2q": "twoq",
    "arc": "arc", "s3fifo": "s3fifo", "sieve": "sieve", "wtinylfu": "wtinylfu", "lirs": "lirs",
    "gdsf": "gdsf", "belady": "belady", "belady-size": "beladySize",
}
# encoding -> (file, cachesim type, cachesim -t params, cdnlab --format and csv flags)
ENCODINGS = {
    "oracleGeneral": ("cloudPhysicsIO.oracleGeneral.bin", "oracleGeneral", None, ["--format", "oracleGeneral"]),
    "vscsi": ("cloudPhysicsIO.vscsi", "vscsi", None, ["--format", "vscsi"]),
    "csv": ("cloudPhysicsIO.csv", "csv",
            "time-col=2,obj-id-col=5,obj-size-col=4,delimiter=,,has-header=true,obj-id-is-num=true",
            ["--format", "csv", "--csv-time", "2", "--csv-id", "5", "--csv-size", "4", "--csv-header"]),
    "txt": ("cloudPhysicsIO.txt", "txt", None, ["--format", "txt"]),
}
OFFLINE = {"belady", "belady-size"}  # cachesim runs them on oracleGeneral only


def prepare_traces(src, tmp):
    out = {}
    for enc, (name, *_rest) in ENCODINGS.items():
        plain = os.path.join(src, name)
        if os.path.exists(plain):
            out[enc] = plain
            continue
        dst = os.path.join(tmp, name)
        subprocess.run(["zstd", "-q", "-d", "-f", plain + ".zst", "-o", dst], check=True)
        out[enc] = dst
    return out


def run_cdnlab(cdnlab, trace, enc, mode, policies, sizes, tmp):
    out = os.path.join(tmp, "cdnlab.csv")
    cmd = [cdnlab, "sim", "--trace", trace, *ENCODINGS[enc][3], "--policy", ",".join(policies), "--size",
           ",".join(sizes), "--mode", mode, "--out", out, "--no-progress", "--threads", "2"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    rows = {}
    with open(out) as f:
        for r in csv.DictReader(f):
            rows[(r["policy"], r["size"])] = (int(r["capacity"]), int(r["requests"]), int(r["misses"]),
                                              int(r["bytes"]), int(r["miss_bytes"]))
    return rows


LINE = re.compile(r" cache size +(\d+)\S*, +(\d+) req, miss ratio ([0-9.]+), byte miss ratio ([0-9.]+)")


def run_cachesim(cachesim, trace, enc, mode, algos, sizes):
    """One cachesim run over algos x sizes (algorithm-major, as cachesim prints them), on one
    thread; returns the results in that order."""
    cmd = [cachesim, trace, ENCODINGS[enc][1], ",".join(algos), ",".join(sizes), "--num-thread", "1"]
    if ENCODINGS[enc][2]:
        cmd += ["-t", ENCODINGS[enc][2]]
    if mode == "obj":
        cmd += ["--ignore-obj-size", "1"]
    if len(algos) * len(sizes) == 1:
        # one cache prints a different summary (no byte miss ratio): ask for the size twice
        cmd[4] = sizes[0] + "," + sizes[0]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    exact = [line.split() for line in p.stdout.splitlines() if line.startswith("exact:")]
    if exact:
        return [{"exact": True, "capacity": int(f[3]), "requests": int(f[4]), "misses": int(f[5]),
                 "bytes": int(f[6]), "miss_bytes": int(f[7])} for f in exact]
    out = []
    for line in p.stdout.splitlines():
        m = LINE.search(line)
        if m:
            out.append({"exact": False, "requests": int(m.group(2)), "miss_ratio": m.group(3),
                        "byte_miss_ratio": m.group(4)})
    if not out:
        raise RuntimeError("no result from: " + " ".join(cmd) + "\n" + p.stdout + p.stderr)
    return out


def reference(cachesim, trace, enc, mode, pols, sizes):
    """cachesim's result per (policy, size). belady-size runs one size at a time: its random
    draws are seeded from rand(), so each run gives its first cache the same seed."""
    res = {}
    batch = [p for p in pols if p != "belady-size"]
    if batch:
        got = run_cachesim(cachesim, trace, enc, mode, [POLICIES[p] for p in batch], sizes)
        for i, p in enumerate(batch):
            for j, s in enumerate(sizes):
                res[(p, s)] = got[i * len(sizes) + j]
    if "belady-size" in pols:
        for s in sizes:
            res[("belady-size", s)] = run_cachesim(cachesim, trace, enc, mode, ["beladySize"], [s])[0]
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cdnlab", default="build/cdnlab")
    ap.add_argument("--cachesim", default="cachesim")
    ap.add_argument("--policies", default=",".join(POLICIES))
    ap.add_argument("--sizes", default="0.001,0.01,0.1,0.4,100,1000",
                    help="fractions of the working set, or absolute (objects, or bytes in byte mode)")
    ap.add_argument("--byte-sizes", default="0.001,0.01,0.1,0.4,1048576,67108864")
    ap.add_argument("--encodings", default=",".join(ENCODINGS))
    ap.add_argument("--modes", default="obj,byte")
    ap.add_argument("--traces", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data", "cloudphysics"))
    ap.add_argument("--out", help="write every row as CSV")
    a = ap.parse_args()
    cachesim = shutil.which(a.cachesim)
    if cachesim is None:
        print(f"skipped: libCacheSim's cachesim ({a.cachesim}) is not on PATH")
        return 0
    policies = a.policies.split(",")
    tmp = tempfile.mkdtemp(prefix="cdnlab-vs-lcs-")
    try:
        traces = prepare_traces(a.traces, tmp)
        rows, diffs = [], 0
        for enc in a.encodings.split(","):
            for mode in a.modes.split(","):
                sizes = (a.sizes if mode == "obj" else a.byte_sizes).split(",")
                pols = [p for p in policies if enc == "oracleGeneral" or p not in OFFLINE]
                ours_sizes = [s if "." in s or mode == "byte" else s + "obj" for s in sizes]
                ours = run_cdnlab(a.cdnlab, traces[enc], enc, mode, pols, ours_sizes, tmp)
                theirs_all = reference(cachesim, traces[enc], enc, mode, pols, sizes)
                for p in pols:
                    for s, os_ in zip(sizes, ours_sizes):
                        cap, req, miss, byts, missb = ours[(p, os_)]
                        ref = theirs_all[(p, s)]
                        if ref["exact"]:
                            same = (ref["capacity"], ref["requests"], ref["misses"]) == (cap, req, miss) and (
                                mode == "obj" or (ref["bytes"], ref["miss_bytes"]) == (byts, missb))
                            theirs = f'{ref["misses"]} {ref["miss_bytes"]}'
                        else:
                            same = ref["requests"] == req and ref["miss_ratio"] == f"{miss / req:.4f}" and (
                                mode == "obj" or ref["byte_miss_ratio"] == f"{missb / byts:.4f}")
                            theirs = f'{ref["miss_ratio"]} {ref["byte_miss_ratio"]}'
                        diffs += not same
                        rows.append([enc, mode, p, s, cap, req, miss, missb, theirs, "same" if same else "DIFF"])
                        print(f"{enc:13} {mode:4} {p:11} {s:>9} {cap:>11} {req:>7} {miss:>7} {missb:>11}  "
                              f"cachesim {theirs:>22}  {'same' if same else 'DIFF'}", flush=True)
        if a.out:
            with open(a.out, "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["encoding", "mode", "policy", "size", "capacity", "requests", "misses", "miss_bytes",
                            "cachesim", "verdict"])
                w.writerows(rows)
        print(f"{len(rows)} comparisons, {diffs} differ")
        return 1 if diffs else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

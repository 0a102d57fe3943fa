#!/usr/bin/env python3
"""Renders BlasBenchmark (JMH JSON from run-backend-benchmarks.sh) as Markdown and a summarised JSON.

Usage: blas_report.py --out REPORT.md [--summary SUMMARY.json] [--doc docs/BENCHMARKS.md]
                      [--settings TEXT] [--note TEXT] [--openblas-env unset|kept] [--jvm-vars TEXT] RESULT.json ...

Per operation (gemm, gemv, ger) and n: each backend's median throughput over the measured iterations
in GFLOP/s (2n³ flops per gemm, 2n² per gemv and ger), its min–max, and its ratio to the best backend
of the same run. Later JSON files replace earlier rows with the same benchmark and parameters.
--summary writes the rows and the run's description (docs/benchmarks/blas-<date>.json, committed
beside the table); --doc replaces the text between <!-- blas-benchmarks:begin --> and
<!-- blas-benchmarks:end -->.
"""
import argparse

from bench_env import add_env_arguments, provenance, describe, publish, write_summary
from gradient_report import load

BEGIN, END = "<!-- blas-benchmarks:begin -->", "<!-- blas-benchmarks:end -->"
DEFAULT_SETTINGS = "-f 1 -wi 3 -w 1s -i 5 -r 1s"
PER_SECOND = {"ops/s": 1.0, "ops/ms": 1e3, "ops/us": 1e6, "ops/ns": 1e9}


def flops(op, n):
    return 2.0 * n ** 3 if op == "gemm" else 2.0 * n * n


def rows_of(jmh_rows):
    out = []
    for r in jmh_rows.values():
        if r["cls"] != "BlasBenchmark":
            continue
        if r["unit"] not in PER_SECOND:
            raise SystemExit(f"BlasBenchmark.{r['method']}: unit {r['unit']!r} is not a throughput (ops/s expected)")
        n = int(r["params"]["n"])
        g = flops(r["method"], n) * PER_SECOND[r["unit"]] / 1e9
        out.append(dict(op=r["method"], n=n, backend=r["params"]["backend"], r=r,
                        gflops=r["median"] * g, lo=r["lo"] * g, hi=r["hi"] * g))
    return out


def render(rows, prov, note, raw_line=""):
    out = [raw_line + describe(prov),
           f"JMH `{prov['settings']}` (`benchmarks/run-backend-benchmarks.sh`), forks with "
           "`--add-modules=jdk.incubator.vector` (so `netlib-java` is VectorBLAS); **GFLOP/s from the median of the "
           "measured iterations**, [min–max] over them; ratio to the best backend of the same run and n.\n"]
    if note:
        out.append(f"**{note}**\n")
    for op in sorted({r["op"] for r in rows}):
        out.append(f"#### {op} (GFLOP/s, median of iterations; ratio to the best backend)\n")
        out.append("| n | backend | GFLOP/s | min–max | ratio to best |")
        out.append("|---:|---|---:|---:|---:|")
        for n in sorted({r["n"] for r in rows if r["op"] == op}):
            group = sorted((r for r in rows if r["op"] == op and r["n"] == n), key=lambda r: -r["gflops"])
            best = group[0]["gflops"]
            for r in group:
                out.append(f"| {n} | {r['backend']} | {r['gflops']:.2f} | {r['lo']:.2f}–{r['hi']:.2f} | {r['gflops'] / best:.2f} |")
        out.append("")
    return "\n".join(out)


def summary(rows, prov, note):
    res = [dict(benchmark=f"BlasBenchmark.{r['op']}", params=r["r"]["params"], unit=r["r"]["unit"],
                median=round(r["r"]["median"], 4), min=round(r["r"]["lo"], 4), max=round(r["r"]["hi"], 4),
                iterations=r["r"]["n"], gflops=dict(median=round(r["gflops"], 3), min=round(r["lo"], 3), max=round(r["hi"], 3)))
           for r in sorted(rows, key=lambda r: (r["op"], r["n"], r["backend"]))]
    return dict(prov, note=note, flops="2n^3 per gemm, 2n^2 per gemv and ger; GFLOP/s = flops x ops/s / 1e9",
                statistic="median of the measured iterations, min and max over them", results=res)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--summary")
    ap.add_argument("--doc")
    ap.add_argument("--settings", default=DEFAULT_SETTINGS)
    ap.add_argument("--note", default="")
    add_env_arguments(ap)
    ap.add_argument("json", nargs="+")
    a = ap.parse_args()
    rows = rows_of(load(a.json))
    if not rows:
        raise SystemExit(f"no BlasBenchmark rows in {', '.join(a.json)}")
    prov = provenance(a.settings, a.openblas_env, a.jvm_vars)
    if a.summary:
        write_summary(a.summary, summary(rows, prov, a.note))
    publish(lambda raw: render(rows, prov, a.note, raw), a.out, a.doc, a.summary, BEGIN, END, "BLAS backends — results")


if __name__ == "__main__":
    main()

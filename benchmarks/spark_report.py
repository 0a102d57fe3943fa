#!/usr/bin/env python3
"""Renders SparkGradientBenchmark (JMH JSON from run-spark-benchmarks.sh) as Markdown and a summarised JSON.

Usage: spark_report.py --out REPORT.md [--summary SUMMARY.json] [--doc docs/BENCHMARKS.md] [--settings TEXT]
                       [--note TEXT] [--openblas-env unset|kept] [--jvm-vars TEXT] THREADS=RESULT.json ...

Each argument is OPENBLAS_NUM_THREADS=JMH result file ("default" when unset), one table per
setting. Times are medians of the measured iterations (ms per full-batch gradient), with their
min–max; samples/s = N / distributed time; distributed / batched is the ratio of medians within one
run. --summary writes every row with the run's description (docs/benchmarks/spark-<date>.json,
committed beside the tables); --doc replaces the text between <!-- spark-benchmarks:begin --> and
<!-- spark-benchmarks:end -->.
"""
import argparse

from bench_env import add_env_arguments, provenance, describe, publish, write_summary
from gradient_report import load

BEGIN, END = "<!-- spark-benchmarks:begin -->", "<!-- spark-benchmarks:end -->"
DEFAULT_SETTINGS = "-f 1 -wi 3 -w 3s -i 5 -r 3s"
TO_MS = {"ms/op": 1.0, "s/op": 1e3, "us/op": 1e-3, "ns/op": 1e-6}


def rows_of(threads, jmh_rows):
    out = []
    for r in jmh_rows.values():
        if r["cls"] != "SparkGradientBenchmark":
            continue
        if r["unit"] not in TO_MS:
            raise SystemExit(f"SparkGradientBenchmark.{r['method']}: unit {r['unit']!r} is not a time per operation")
        f = TO_MS[r["unit"]]
        out.append(dict(threads=threads, method=r["method"], params=r["params"], unit=r["unit"], n=r["n"],
                        median=r["median"] * f, lo=r["lo"] * f, hi=r["hi"] * f, raw=r))
    return out


def ms(r):
    return f"{r['median']:.1f} [{r['lo']:.1f}–{r['hi']:.1f}]"


def render(rows, prov, note, raw_line=""):
    out = [raw_line + describe(prov),
           f"JMH `{prov['settings']}` (`benchmarks/run-spark-benchmarks.sh`), backend `netlib-native` on driver and "
           "executors; **ms per full-batch gradient: median of the measured iterations [min–max]**; samples/s = N / "
           "distributed median; *distributed / batched* = ratio of medians in the same run.\n"]
    if note:
        out.append(f"**{note}**\n")
    for threads in sorted({r["threads"] for r in rows}, key=lambda t: (not t.isdigit(), int(t) if t.isdigit() else 0)):
        label = ("OpenBLAS with its default threads per call (`OPENBLAS_NUM_THREADS` unset)" if threads == "default"
                 else f"`OPENBLAS_NUM_THREADS={threads}`")
        out.append(f"**{label}**:\n")
        out.append("| width | N | master | distributed (ms) | samples/s | batched, 1 thread (ms) | one batch (ms) | distributed / batched |")
        out.append("|---:|---:|---|---:|---:|---:|---:|---:|")
        mine = [r for r in rows if r["threads"] == threads]

        def find(method, p):
            return next((r for r in mine if r["method"] == method and r["params"] == p), None)

        for r in sorted((r for r in mine if r["method"] == "distributed"),
                        key=lambda r: (int(r["params"]["width"]), int(r["params"]["samples"]), r["params"]["master"])):
            p = r["params"]
            n = int(p["samples"])
            b, one = find("singleMachineBatched", p), find("singleMachineOneBatch", p)
            ratio = f"{r['median'] / b['median']:.2f}" if b else "–"
            out.append(f"| {p['width']} | {n} | {p['master']} | {ms(r)} | {n / r['median'] * 1000:,.0f} | "
                       f"{ms(b) if b else '–'} | {ms(one) if one else '–'} | {ratio} |")
        out.append("")
    return "\n".join(out)


def summary(rows, prov, note):
    res = [dict(benchmark=f"SparkGradientBenchmark.{r['method']}", openblasNumThreads=r["threads"], params=r["params"],
                unit="ms/op", median=round(r["median"], 3), min=round(r["lo"], 3), max=round(r["hi"], 3),
                iterations=r["n"])
           for r in sorted(rows, key=lambda r: (r["threads"], r["method"], sorted(r["params"].items())))]
    return dict(prov, note=note, statistic="median of the measured iterations, min and max over them (ms per gradient)",
                results=res)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--summary")
    ap.add_argument("--doc")
    ap.add_argument("--settings", default=DEFAULT_SETTINGS)
    ap.add_argument("--note", default="")
    add_env_arguments(ap)
    ap.add_argument("runs", nargs="+", metavar="THREADS=RESULT.json")
    a = ap.parse_args()
    rows = []
    for run in a.runs:
        threads, sep, path = run.partition("=")
        if not sep or not path:
            raise SystemExit(f"argument {run!r}: expected THREADS=RESULT.json (THREADS a number or 'default')")
        rows += rows_of(threads, load([path]))
    if not rows:
        raise SystemExit(f"no SparkGradientBenchmark rows in {', '.join(a.runs)}")
    prov = provenance(a.settings, a.openblas_env, a.jvm_vars)
    prov["openblas"]["num_threads"] = "per table: " + ", ".join(sorted({r["threads"] for r in rows}))
    if a.summary:
        write_summary(a.summary, summary(rows, prov, a.note))
    publish(lambda raw: render(rows, prov, a.note, raw), a.out, a.doc, a.summary, BEGIN, END, "Spark — results")


if __name__ == "__main__":
    main()

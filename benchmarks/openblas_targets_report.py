#!/usr/bin/env python3
"""Checks the openblas-bundled targets on every fork and renders them (run-openblas-targets.sh).

Usage: openblas_targets_report.py --summary SUMMARY.json [--doc docs/BENCHMARKS.md] [--settings TEXT]
                                  [--openblas-env unset|kept] [--jvm-vars "A=1"] RESULT.json ...

RESULT.json are JMH results (-rf json) of LayerGradientBenchmark (sdkGradient, dgemm), GradientShareBenchmark
(interleaved) and BlasBenchmark.gemm. A fork's figure is the median of its measured iterations. The targets, each
required of every fork:
  * 1024/B=256: each openblas-bundled fork's gradient ≤ 1.05 × netlib-native's median over its forks;
  * 1024/B=256: the gradient at ≥ 85 % of openblas-bundled's dgemm rate, measured in one fork
    (GradientShareBenchmark: blocks of gradients and of dgemm pairs alternate; an iteration's share is
    dgemmNanos / gradientNanos, a fork's the median of its iterations');
  * the same share across forks (LayerGradientBenchmark: dgemm time, median over its forks, / gradient time
    of each fork) — forks minutes apart, so machine drift between them enters the figure;
  * 64/B=1: each openblas-bundled fork's gradient ≤ 1.2 × the fastest backend's median.
"""
import argparse, json, os, statistics, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_env import add_env_arguments, provenance, describe, replace_section, raw_results_line  # noqa: E402

BEGIN, END = "<!-- openblas-targets:begin -->", "<!-- openblas-targets:end -->"
HEADING = "openblas-bundled targets (3 forks, every fork)"


SHARE = "GradientShareBenchmark.interleaved"


def load(files):
    """{(method, backend, size, batch or n): dict(forks=[median per fork], unit)}; for GradientShareBenchmark
    the fork's figure is the median over its iterations of dgemmNanos / gradientNanos (unit "share")."""
    rows = {}
    for f in files:
        if not os.path.exists(f) or os.path.getsize(f) == 0:
            continue
        for e in json.load(open(f)):
            cls, method = e["benchmark"].rsplit(".", 2)[-2:]
            p = e.get("params", {})
            key = (f"{cls}.{method}", p.get("backend"), int(p.get("size", p.get("n", 0))), int(p.get("batch", 0)))
            if key[0] == SHARE:
                sm = e["secondaryMetrics"]
                forks = [statistics.median(d / g for g, d in zip(gf, df))
                         for gf, df in zip(sm["gradientNanos"]["rawData"], sm["dgemmNanos"]["rawData"])]
                rows[key] = dict(forks=forks, unit="share")
                continue
            forks = [statistics.median(it) for it in e["primaryMetric"]["rawData"]]
            rows[key] = dict(forks=forks, unit=e["primaryMetric"]["scoreUnit"])
    return rows


def to_ms(v, unit):
    return v * {"ms/op": 1.0, "us/op": 1e-3, "ns/op": 1e-6, "s/op": 1e3}[unit]


def check(rows):
    """The targets, with every fork's value; a target with missing rows is reported as not measured."""
    def ms(method, backend, size, batch):
        r = rows.get((f"LayerGradientBenchmark.{method}", backend, size, batch))
        return None if r is None else [to_ms(v, r["unit"]) for v in r["forks"]]

    targets = []
    b = ms("sdkGradient", "openblas-bundled", 1024, 256)
    n = ms("sdkGradient", "netlib-native", 1024, 256)
    if b and n:
        ref = statistics.median(n)
        ratios = [x / ref for x in b]
        targets.append(dict(name="1024/B=256 gradient: openblas-bundled ÷ netlib-native (median)", limit="≤ 1.05",
                            per_fork=ratios, met=all(r <= 1.05 for r in ratios)))
    share = rows.get((SHARE, "openblas-bundled", 1024, 256))
    if share:
        targets.append(dict(name="1024/B=256 gradient: share of openblas-bundled's dgemm rate, in one fork (interleaved)",
                            limit="≥ 0.85", per_fork=share["forks"], met=all(f >= 0.85 for f in share["forks"])))
    d = ms("dgemm", "openblas-bundled", 1024, 256)
    if b and d:
        ref = statistics.median(d)
        fractions = [ref / x for x in b]
        targets.append(dict(name="1024/B=256 gradient: share of openblas-bundled's dgemm rate, across forks", limit="≥ 0.85",
                            per_fork=fractions, met=all(f >= 0.85 for f in fractions)))
    small = {be: ms("sdkGradient", be, 64, 1) for be in ("openblas-bundled", "netlib-native", "netlib-java")}
    if small["openblas-bundled"] and all(small.values()):
        fastest = min(statistics.median(v) for v in small.values())
        ratios = [x / fastest for x in small["openblas-bundled"]]
        targets.append(dict(name="64/B=1 gradient: openblas-bundled ÷ fastest backend (median)", limit="≤ 1.2",
                            per_fork=ratios, met=all(r <= 1.2 for r in ratios)))
    return targets


def fmt_ms(v):
    return f"{v * 1000:.3g} µs" if v < 1 else f"{v:.3g} ms"


def render(rows, targets, prov, summary_path, doc_path):
    out = [raw_results_line(summary_path, doc_path), describe(prov), f" JMH `{prov['settings']}`; a fork's figure is the median of its iterations.\n\n"]
    out.append("| target | limit | fork values | met on every fork |\n|---|---|---|---|\n")
    for t in targets:
        out.append(f"| {t['name']} | {t['limit']} | {', '.join(f'{v:.3f}' for v in t['per_fork'])} | {'yes' if t['met'] else '**no**'} |\n")
    out.append("\n| benchmark | size | B | openblas-bundled | netlib-native | netlib-java |\n|---|---:|---:|---:|---:|---:|\n")
    keys = sorted({(k[0], k[2], k[3]) for k in rows})
    for method, size, batch in keys:
        cells = []
        for be in ("openblas-bundled", "netlib-native", "netlib-java"):
            r = rows.get((method, be, size, batch))
            if r is None:
                cells.append("—")
            elif r["unit"] == "share":  # GradientShareBenchmark: dgemm time / gradient time in the same fork
                cells.append(f"share {statistics.median(r['forks']):.3f} [{min(r['forks']):.3f}–{max(r['forks']):.3f}]")
            elif r["unit"] == "ops/s":  # BlasBenchmark.gemm: GFLOP/s from operations per second
                g = [v * 2.0 * size ** 3 / 1e9 for v in r["forks"]]
                cells.append(f"{statistics.median(g):.1f} GFLOP/s [{min(g):.1f}–{max(g):.1f}]")
            else:
                v = [to_ms(x, r["unit"]) for x in r["forks"]]
                cells.append(f"{fmt_ms(statistics.median(v))} [{fmt_ms(min(v))}–{fmt_ms(max(v))}]")
        out.append(f"| {method} | {size} | {batch if batch else '—'} | " + " | ".join(cells) + " |\n")
    out.append("\nBrackets: min–max over the forks' medians.\n\n")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--summary", required=True)
    ap.add_argument("--doc")
    ap.add_argument("--settings", default="-f 3 -wi 8 -w 1s -i 5 -r 1s")
    add_env_arguments(ap)
    ap.add_argument("results", nargs="+")
    a = ap.parse_args()
    rows = load(a.results)
    if not rows:
        sys.exit("no JMH results in " + ", ".join(a.results))
    targets = check(rows)
    prov = provenance(a.settings, a.openblas_env, a.jvm_vars)
    json.dump(dict(provenance=prov, targets=targets,
                   rows=[dict(benchmark=k[0], backend=k[1], size=k[2], batch=k[3], **v) for k, v in sorted(rows.items())]),
              open(a.summary, "w"), indent=1)
    if a.doc:
        replace_section(a.doc, BEGIN, END, render(rows, targets, prov, a.summary, a.doc), HEADING)
    for t in targets:
        print(f"{t['name']}: {', '.join(f'{v:.3f}' for v in t['per_fork'])} ({t['limit']}) -> {'met' if t['met'] else 'NOT met'}")


if __name__ == "__main__":
    main()

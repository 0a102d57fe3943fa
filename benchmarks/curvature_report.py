#!/usr/bin/env python3
"""Renders the curvature benchmarks (run-curvature-benchmarks.sh) as Markdown and a small summarised JSON.

Usage: curvature_report.py --out REPORT.md [--summary SUMMARY.json] [--doc docs/BENCHMARKS.md]
                           [--stats HUTCHINSON.json] [--settings TEXT] [--note TEXT] RESULT.json ...

RESULT.json are JMH results (-rf json) of CurvatureStatisticsBenchmark, LayerDiagonalBenchmark and LaplaceBenchmark;
HUTCHINSON.json is HutchinsonError's output. Every time is the median of the measured iterations,
with their min–max; B/op is JMH's gc.alloc.rate.norm (-prof gc). Later JSON files replace earlier
rows with the same benchmark and parameters. --summary writes the rows and the error statistics
(a few KB, meant to be committed beside the table, docs/benchmarks/curvature-<date>.json). With
--doc, the text between <!-- curvature-benchmarks:begin --> and <!-- curvature-benchmarks:end -->
is replaced (or appended as a new section).
"""
import argparse, datetime, json, os

from gradient_report import load, get
from bench_env import add_env_arguments, provenance, describe, replace_section, raw_results_line

BEGIN, END = "<!-- curvature-benchmarks:begin -->", "<!-- curvature-benchmarks:end -->"
DEFAULT_SETTINGS = "-f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc"


def ms(us_or_ms, unit):
    """A time in the row's unit as µs (gradient_report's fmt_us works in µs)."""
    return us_or_ms * {"ms/op": 1000.0, "us/op": 1.0, "s/op": 1e6, "ns/op": 1e-3}[unit]


def fmt(us):
    """µs as s, ms or µs with three significant digits."""
    for unit, f in (("s", 1e6), ("ms", 1e3)):
        if us >= f:
            return f"{us / f:.3g} {unit}"
    return f"{us:.3g} µs"


def t(r):
    return f"{fmt(ms(r['median'], r['unit']))} [{fmt(ms(r['lo'], r['unit']))}–{fmt(ms(r['hi'], r['unit']))}]"


def size(b):
    for unit, f in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= f:
            return f"{b / f:.3g} {unit}"
    return f"{b:.0f} B"


def ratio(a, b):
    return a["median"] * {"ms/op": 1000.0, "us/op": 1.0}[a["unit"]] / (b["median"] * {"ms/op": 1000.0, "us/op": 1.0}[b["unit"]])


def pct(x):
    return f"{100 * x:.2g} %"


def render(rows, stats, settings, note, prov, raw_line=""):
    out = []
    w = out.append
    w(raw_line + describe(prov) + " Forks run with `--add-modules=jdk.incubator.vector` (netlib-java = VectorBLAS).")
    w(f"JMH `{settings}` (`benchmarks/run-curvature-benchmarks.sh`); **medians of the measured iterations, "
      "[min–max]**; B/op is JMH's `gc.alloc.rate.norm`. One exact statistic or one Hutchinson estimate takes "
      "longer than the 1 s iteration, so each iteration is one call.\n")
    if note:
        w(f"**{note}**\n")

    stat_rows = [r for r in rows.values() if r["cls"] == "CurvatureStatisticsBenchmark" and r["method"] == "gradient"]
    if stat_rows:
        p0 = stat_rows[0]["params"]
        w(f"### Exact diagonal and trace vs one gradient and vs Hutchinson (3 × {p0['width']} tanh, B = {p0['batch']})\n")
        w(f"`inputs({p0['width']})`, three `layer({p0['width']}, \"tanh\")`, squared error, P = "
          f"{3 * int(p0['width']) * (int(p0['width']) + 1):,} parameters. `Curvature.at(net, x, loss, y)` is built in setup; "
          "*diagonal* = `.hessian()`/`.ggn()` `.diagonal()` (length P), *trace* = `.trace()` (each one back-propagation "
          "of the per-sample m×m blocks, O(B Σ m³) flops), *Hutchinson 100* = `TraceEstimator.hutchinson(op, 100, seed)` "
          "(100 whole-network curvature-vector products); *gradient* = `Network.gradient` of the same network and batch "
          "into caller buffers. Ratios are of medians.\n")
        w("| curvature | gradient | exact diagonal | ÷ gradient | exact trace | ÷ gradient | Hutchinson 100 | ÷ gradient | Hutchinson ÷ exact trace | diagonal B/op | trace B/op | Hutchinson B/op |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for c in ("hessian", "ggn"):
            g = get(rows, "CurvatureStatisticsBenchmark", "gradient", curvature=c)
            d = get(rows, "CurvatureStatisticsBenchmark", "exactDiagonal", curvature=c)
            tr = get(rows, "CurvatureStatisticsBenchmark", "exactTrace", curvature=c)
            h = get(rows, "CurvatureStatisticsBenchmark", "hutchinson100", curvature=c)
            if not (g and d and tr and h):
                continue
            w(f"| {c} | {t(g)} | {t(d)} | {ratio(d, g):.0f}× | {t(tr)} | {ratio(tr, g):.0f}× | {t(h)} | {ratio(h, g):.0f}× | "
              f"{ratio(h, tr):.2f}× | {size(d['alloc'])} | {size(tr['alloc'])} | {size(h['alloc'])} |")

    if stats:
        w("\n### At equal error: what Hutchinson's 100 probes buy\n")
        w("From `HutchinsonError` (same network, batch and data; nothing timed). With C the exact matrix, d its diagonal "
          "and t its trace, one Rademacher probe's term has variance σ² = 2(‖C‖_F² − ‖d‖²) (closed forms, "
          "`frobeniusNorm()`), so Hutchinson with m probes has relative standard error √(σ²/m)/|t| and needs "
          "m(ε) = σ²/(ε t)² probes for a relative standard error ε. *Observed* = |estimate − t|/|t| over seeds 1…"
          f"{len(stats['curvatures'][0]['observedRelativeErrors'])}. The exact path's error is rounding: "
          "the relative differences between `trace()` and Σ `diagonal()`, and between backends, are shown; it is "
          f"tested ≤ {stats['exactTolerance']:g} against the dense matrix, and *probes to match exact* uses the larger of "
          "that bound and the observed differences.\n")
        w("| curvature | exact trace t | exact path: trace vs Σ diag | vs " + stats['curvatures'][0]['exactCrossBackend']
          + " | Hutchinson 100: rel. std. error | observed (min–max) | probes for 1 % | probes for 1e-6 | probes to match exact |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for c in stats["curvatures"]:
            obs = c["observedRelativeErrors"]
            cross = c["exactCrossBackendRelativeDifference"]
            w(f"| {c['curvature']} | {c['trace']:.6g} | {c.get('traceVsDiagonalSumRelativeDifference', float('nan')):.1e} | "
              f"{'–' if cross is None else f'{cross:.1e}'} | {pct(c['relativeStandardError'])} | "
              f"{pct(min(obs))}–{pct(max(obs))} | {c['probesFor1Percent']:.0f} | {c['probesFor1e-6']:.2g} | "
              f"{c['probesForExactError']:.2g} |")
        for c in stats["curvatures"]:
            h = get(rows, "CurvatureStatisticsBenchmark", "hutchinson100", curvature=c["curvature"])
            tr = get(rows, "CurvatureStatisticsBenchmark", "exactTrace", curvature=c["curvature"])
            if h and tr:
                w(f"\n* **{c['curvature']}**: the exact trace is exact (to rounding, {max(c.get('traceVsDiagonalSumRelativeDifference') or 0, c['exactCrossBackendRelativeDifference'] or 0):.0e} "
                  f"observed); Hutchinson with 100 probes has {pct(c['relativeStandardError'])} relative standard error at "
                  f"{ratio(h, tr):.2f}× the exact trace's time, and would need ≈ {c['probesForExactError']:.1g} probes "
                  f"(≈ {c['probesForExactError'] / 100 * ratio(h, tr):.1g}× the exact trace's time) to match it. "
                  f"For a 1 % standard error it needs {c['probesFor1Percent']:.0f} probes, "
                  f"≈ {c['probesFor1Percent'] / 100 * ratio(h, tr):.2g}× the exact trace's time.")

    layer = [r for r in rows.values() if r["cls"] == "LayerDiagonalBenchmark" and r["method"] == "layerDiagonal"]
    if layer:
        w("\n### One large layer's exact diagonal in O(mn + B m²) memory\n")
        w("`Curvature.at(…).hessian().layerDiagonal(0)` of one tanh layer, squared error, Curvature built in setup. "
          "*Expected* = (B m² + m(n+1)) × 8 bytes: the B per-sample m×m blocks and the result. *Dense* = the "
          "(m(n+1))² × 8 bytes the dense layer Hessian would take.\n")
        w("| m = n | B | curvature | layer diagonal | gradient | ÷ gradient | B/op (measured) | expected | dense Hessian | dense ÷ measured |")
        w("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in sorted(layer, key=lambda r: (int(r["params"]["size"]), int(r["params"]["batch"]), r["params"]["curvature"])):
            p = r["params"]
            m, b = int(p["size"]), int(p["batch"])
            g = get(rows, "LayerDiagonalBenchmark", "gradient", **p)
            expected = (b * m * m + m * (m + 1)) * 8
            dense = (m * (m + 1)) ** 2 * 8
            w(f"| {m} | {b} | {p['curvature']} | {t(r)} | {t(g) if g else '–'} | {f'{ratio(r, g):.0f}×' if g else '–'} | "
              f"{size(r['alloc'])} | {size(expected)} | {size(dense)} | {dense / r['alloc']:.1e} |")
    lap = [r for r in rows.values() if r["cls"] == "LaplaceBenchmark" and r["method"] == "fit"]
    if lap:
        wd = int(lap[0]["params"]["width"])
        p = 8 * wd + wd + wd * wd + wd + 2 * wd + 2
        w(f"\n### Laplace: `kron` vs `full` on a small network (P = {p:,})\n")
        w(f"8 inputs, two `layer({wd}, \"tanh\")`, `layer(2, \"identity\")`, squared error (σ = 0.5), B = 64, δ = 1. "
          "*fit* = `Laplace.builder(…).structure(s).build().logMarginalLikelihood()` (curvature, factorisation, log Z); "
          "*predictive* = `laplace.predictive(x*)` at 16 new inputs (f(x*) and diag(J* Λ⁻¹ J*ᵀ)), Laplace built in setup. "
          "`kron` approximates the GGN by Kronecker factors, `full` is the dense P × P GGN with a Cholesky factorisation.\n")
        w("| structure | fit | predictive | fit B/op | predictive B/op |")
        w("|---|---:|---:|---:|---:|")
        for st in ("kron", "full"):
            f = get(rows, "LaplaceBenchmark", "fit", structure=st)
            pr = get(rows, "LaplaceBenchmark", "predictive", structure=st)
            if f:
                w(f"| {st} | {t(f)} | {t(pr) if pr else '–'} | {size(f['alloc'])} | {size(pr['alloc']) if pr else '–'} |")
        k, fu = get(rows, "LaplaceBenchmark", "fit", structure="kron"), get(rows, "LaplaceBenchmark", "fit", structure="full")
        kp, fp = get(rows, "LaplaceBenchmark", "predictive", structure="kron"), get(rows, "LaplaceBenchmark", "predictive", structure="full")
        if k and fu and kp and fp:
            w(f"\n`full` ÷ `kron`: fit {ratio(fu, k):.0f}×, predictive {ratio(fp, kp):.0f}×.")
    return "\n".join(out) + "\n"


def summary(rows, stats, prov, note):
    keep = [dict(benchmark=f"{r['cls']}.{r['method']}", params=r["params"], unit=r["unit"], median=round(r["median"], 4),
                 min=round(r["lo"], 4), max=round(r["hi"], 4), iterations=r["n"],
                 allocBytesPerOp=None if r["alloc"] is None else round(r["alloc"]))
            for r in sorted(rows.values(), key=lambda r: (r["cls"], r["method"], sorted(r["params"].items())))]
    return dict(prov, note=note, statistic="median of the measured iterations, min and max over them; "
                "allocBytesPerOp = JMH gc.alloc.rate.norm", results=keep, hutchinson=stats)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--summary")
    ap.add_argument("--doc")
    ap.add_argument("--stats")
    ap.add_argument("--settings", default=DEFAULT_SETTINGS)
    ap.add_argument("--note", default="")
    add_env_arguments(ap)
    ap.add_argument("json", nargs="+")
    a = ap.parse_args()
    rows = load(a.json)
    stats = json.load(open(a.stats)) if a.stats and os.path.exists(a.stats) and os.path.getsize(a.stats) else None
    prov = provenance(a.settings, a.openblas_env, a.jvm_vars)
    md = render(rows, stats, a.settings, a.note, prov)
    open(a.out, "w").write(md)
    print(md)
    if a.summary:
        os.makedirs(os.path.dirname(os.path.abspath(a.summary)), exist_ok=True)
        with open(a.summary, "w") as f:
            json.dump(summary(rows, stats, prov, a.note), f, indent=1, ensure_ascii=False)
            f.write("\n")
    if a.doc:
        raw = raw_results_line(a.summary, a.doc) if a.summary else ""
        replace_section(a.doc, BEGIN, END, render(rows, stats, a.settings, a.note, prov, raw),
                        "Curvature benchmarks — results")


if __name__ == "__main__":
    main()

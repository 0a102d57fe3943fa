#!/usr/bin/env python3
"""Renders the gradient benchmarks (JMH JSON from run-gradient-benchmarks.sh) as Markdown.

Usage: gradient_report.py --out REPORT.md [--summary SUMMARY.json] [--doc docs/BENCHMARKS.md] [--numpy NUMPY.txt]
                          [--settings TEXT] [--note TEXT] [--openblas-env unset|kept] [--jvm-vars TEXT] RESULT.json ...

Every figure is the median of the measured iterations (JMH's own score, a mean, is shown next to
it where useful). Later JSON files replace earlier rows with the same benchmark and parameters, so
a re-run of a few rows can be layered over a full run. --summary writes every row (median of the
measured iterations, min–max, unit, B/op) and the numpy timings with the run's description
(docs/benchmarks/gradient-<date>.json, committed beside the tables). With --doc, the text between
<!-- gradient-benchmarks:begin --> and <!-- gradient-benchmarks:end --> is replaced (or appended).
"""
import argparse, json, os, re, statistics, subprocess, datetime

BEGIN, END = "<!-- gradient-benchmarks:begin -->", "<!-- gradient-benchmarks:end -->"
BACKENDS = ["netlib-native", "netlib-java", "ejml"]
DEFAULT_SETTINGS = "-f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc"


def load(files):
    rows = {}
    for f in files:
        if os.path.getsize(f) == 0:  # a run still writing, or one that failed before its results
            continue
        for e in json.load(open(f)):
            bench = e["benchmark"].rsplit(".", 2)
            key = (bench[-2], bench[-1], tuple(sorted(e.get("params", {}).items())))
            raw = [v for fork in e["primaryMetric"]["rawData"] for v in fork]
            alloc = e.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
            rows[key] = dict(cls=bench[-2], method=bench[-1], params=e.get("params", {}), median=statistics.median(raw),
                             mean=e["primaryMetric"]["score"], lo=min(raw), hi=max(raw), alloc=alloc,
                             unit=e["primaryMetric"]["scoreUnit"], n=len(raw), source=os.path.basename(f))
    return rows


def get(rows, cls, method, **params):
    want = {k: str(v) for k, v in params.items()}
    for r in rows.values():
        if r["cls"] == cls and r["method"] == method and all(r["params"].get(k) == v for k, v in want.items()):
            return r
    return None


def machine():
    def sh(cmd):
        try:
            r = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20)
            return r.stdout + r.stderr
        except Exception:
            return ""
    model = re.search(r"Model name:\s*(.*)", sh("lscpu"))
    cores = re.search(r"^CPU\(s\):\s*(\d+)", sh("lscpu"), re.M)
    jvm = sh("java -version 2>&1").strip().splitlines()
    env = ", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("OPENBLAS_")) or "no OPENBLAS_* set"
    return (f"{model.group(1).strip() if model else 'unknown CPU'}, {cores.group(1) if cores else '?'} cores; "
            f"{jvm[-1] if jvm else 'unknown JVM'}; forks with --add-modules=jdk.incubator.vector (netlib-java = VectorBLAS); "
            f"{env}; load average at report time {os.getloadavg()[0]:.1f}")


def fmt_us(us):
    return f"{us / 1000:.2f} ms" if us >= 10000 else f"{us:.2f} µs" if us < 100 else f"{us:.0f} µs"


def fmt_b(b):
    return "–" if b is None else f"{b:.0f}"


def render(rows, numpy, settings=DEFAULT_SETTINGS, prov=None, note="", raw_line=""):
    out = []
    w = out.append
    if prov is None:
        w(f"Measured {datetime.date.today()} on {machine()}.")
    else:
        from bench_env import describe
        w(raw_line + describe(prov) + " Forks run with `--add-modules=jdk.incubator.vector` (netlib-java = VectorBLAS).")
    w(f"JMH `{settings}` (`benchmarks/run-gradient-benchmarks.sh`); **medians of the measured "
      "iterations** (JMH's score, a mean, in brackets where shown); B/op is JMH's `gc.alloc.rate.norm`. One fork on a "
      "shared 2-core machine: expect ±20 % between runs.\n")
    if note:
        w(f"**{note}**\n")

    w("### One layer: SDK gradient vs hand-written backprop vs dgemm\n")
    w("tanh, float64, squared error, m = n. *SDK* = `Network.gradient(X, loss, Y, ws, gradOut)`; *hand* = the same "
      "maths in direct `LinearAlgebra` calls; *dgemm* = the backend's raw gemm at the gradient's two shapes "
      "(W·X and Δ·Xᵀ, 4·m·n·B flops); *SDK GF/s* = 4·m·n·B / SDK time; *of dgemm* = dgemm time / SDK time.\n")
    w("| m=n | B | backend | SDK (mean) | hand | SDK/hand | dgemm | dgemm GF/s | SDK GF/s | of dgemm | SDK B/op | hand B/op |")
    w("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (64, 256, 1024, 2048):
        for batch in (1, 32, 256):
            for be in BACKENDS:
                s = get(rows, "LayerGradientBenchmark", "sdkGradient", backend=be, size=size, batch=batch)
                if not s:
                    continue
                h = get(rows, "LayerGradientBenchmark", "handWritten", backend=be, size=size, batch=batch)
                g = get(rows, "LayerGradientBenchmark", "dgemm", backend=be, size=size, batch=batch)
                flops = 4.0 * size * size * batch
                w(f"| {size} | {batch} | {be} | {fmt_us(s['median'])} ({fmt_us(s['mean'])}) | "
                  f"{fmt_us(h['median']) if h else '–'} | {s['median'] / h['median']:.2f} | " if h else
                  f"| {size} | {batch} | {be} | {fmt_us(s['median'])} ({fmt_us(s['mean'])}) | – | – | ")
                out[-1] += (f"{fmt_us(g['median'])} | {flops / g['median'] / 1e3:.1f} | " if g else "– | – | ")
                out[-1] += f"{flops / s['median'] / 1e3:.1f} | " + (f"{g['median'] / s['median']:.2f} | " if g else "– | ")
                out[-1] += f"{fmt_b(s['alloc'])} | {fmt_b(h['alloc']) if h else '–'} |"
    missing = [be for be in BACKENDS if not get(rows, "LayerGradientBenchmark", "sdkGradient", backend=be, size=2048)]
    if missing:
        w(f"\nm = n = 2048 is measured on netlib-native only; {', '.join(missing)} skipped there to keep the run "
          "short (their gemm runs at 3–20 GFLOP/s; `--all-2048` includes them).")

    bw = get(rows, "MemoryBandwidthBenchmark", "copy")
    if bw:
        n = int(bw["params"].get("size", 2048))
        gbs = 2 * 8 * n * n / bw["median"] / 1e3
        w(f"\n### Memory bandwidth and the B = 1 bound\n")
        w(f"`System.arraycopy` of a {n}×{n} double array: {fmt_us(bw['median'])}, i.e. **{gbs:.1f} GB/s** (read + write). "
          f"A B = 1 gradient at m = n = {n} must read W and write dW once (8·m·n bytes each): the same traffic as that "
          f"copy, so its bound is ≈ {fmt_us(bw['median'])}.\n")
        w("| backend | SDK 2048/B=1 | hand 2048/B=1 | SDK / copy bound |")
        w("|---|---:|---:|---:|")
        for be in BACKENDS:
            s = get(rows, "LayerGradientBenchmark", "sdkGradient", backend=be, size=n, batch=1)
            h = get(rows, "LayerGradientBenchmark", "handWritten", backend=be, size=n, batch=1)
            if s:
                w(f"| {be} | {fmt_us(s['median'])} | {fmt_us(h['median']) if h else '–'} | {s['median'] / bw['median']:.2f} |")

    dense = [r for r in rows.values() if r["cls"] == "DenseJacobianBenchmark"]
    if dense:
        w("\n### Dense Jacobian (toDense() then matrix–vector) vs the structured gradient\n")
        w("| m=n | B | backend | dense-Jacobian gradient | SDK gradient | dense / SDK | dense B/op |")
        w("|---:|---:|---|---:|---:|---:|---:|")
        for r in sorted(dense, key=lambda r: (int(r["params"]["size"]), int(r["params"]["batch"]))):
            p = r["params"]
            s = get(rows, "LayerGradientBenchmark", "sdkGradient", backend=p["backend"], size=p["size"], batch=p["batch"])
            w(f"| {p['size']} | {p['batch']} | {p['backend']} | {fmt_us(r['median'])} | {fmt_us(s['median']) if s else '–'} | "
              f"{r['median'] / s['median']:.0f}× | {fmt_b(r['alloc'])} |" if s else
              f"| {p['size']} | {p['batch']} | {p['backend']} | {fmt_us(r['median'])} | – | – | {fmt_b(r['alloc'])} |")

    net = [r for r in rows.values() if r["cls"] == "NetworkGradientBenchmark" and r["method"] == "networkGradient"]
    if net:
        w("\n### Network: 3 tanh layers of 1024, B = 256\n")
        w("Gradient flops 16·w²·B (8 products of 2·w²·B: 3 forward, 3 dW, 2 input cotangents).\n")
        w("| backend | gradient (mean) | GF/s | + per-sample norms | norms overhead | gradient B/op | norms B/op |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        for be in BACKENDS:
            g = get(rows, "NetworkGradientBenchmark", "networkGradient", backend=be)
            p = get(rows, "NetworkGradientBenchmark", "perSampleNorms", backend=be)
            if g:
                wd, b = int(g["params"]["width"]), int(g["params"]["batch"])
                w(f"| {be} | {fmt_us(g['median'])} ({fmt_us(g['mean'])}) | {16.0 * wd * wd * b / g['median'] / 1e3:.1f} | "
                  + (f"{fmt_us(p['median'])} | {p['median'] / g['median'] - 1:+.1%} | {fmt_b(g['alloc'])} | {fmt_b(p['alloc'])} |" if p else "– | – | – | – |"))

    hvp = [r for r in rows.values() if r["cls"] == "CurvatureBenchmark" and r["method"] == "hessianVectorProduct"]
    if hvp:
        w("\n### Curvature: layer Hessian-vector product vs gradient (target ≤ 3)\n")
        w("`Curvature.at(…).hessian().layer(0).apply(v, out)`, Curvature built in setup; gradient as above, same fork.\n")
        w("| m=n | B | backend | HVP | gradient | HVP / gradient | HVP B/op |")
        w("|---:|---:|---|---:|---:|---:|---:|")
        for r in sorted(hvp, key=lambda r: (int(r["params"]["size"]), int(r["params"]["batch"]))):
            p = r["params"]
            g = get(rows, "CurvatureBenchmark", "gradient", **p)
            w(f"| {p['size']} | {p['batch']} | {p['backend']} | {fmt_us(r['median'])} | {fmt_us(g['median'])} | "
              f"{r['median'] / g['median']:.2f} | {fmt_b(r['alloc'])} |")

    if numpy:
        w("\n### numpy in the same session\n")
        w("`python3 ../shared/bench/numpy_layer_grad.py M N B` (median of up to 200 calls; run with OPENBLAS_CORETYPE and "
          "OPENBLAS_L2_SIZE unset). Ratio = SDK (netlib-native) / numpy.\n")
        w("| m=n | B | numpy | SDK netlib-native | SDK / numpy |")
        w("|---:|---:|---:|---:|---:|")
        for (m, n, b), ms in numpy:
            s = get(rows, "LayerGradientBenchmark", "sdkGradient", backend="netlib-native", size=m, batch=b)
            w(f"| {m} | {b} | {fmt_us(ms * 1000)} | {fmt_us(s['median']) if s else '–'} | "
              + (f"{s['median'] / (ms * 1000):.2f} |" if s else "– |"))
    return "\n".join(out) + "\n"


def summary(rows, numpy, prov, note):
    keep = [dict(benchmark=f"{r['cls']}.{r['method']}", params=r["params"], unit=r["unit"], median=round(r["median"], 4),
                 min=round(r["lo"], 4), max=round(r["hi"], 4), mean=round(r["mean"], 4), iterations=r["n"],
                 allocBytesPerOp=None if r["alloc"] is None else round(r["alloc"]))
            for r in sorted(rows.values(), key=lambda r: (r["cls"], r["method"], sorted(r["params"].items())))]
    np_rows = [dict(m=m, n=n, batch=b, median_ms=ms, script="../shared/bench/numpy_layer_grad.py",
                    statistic="median of up to 200 calls after 0.5 s warm-up",
                    env="OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset") for (m, n, b), ms in numpy]
    return dict(prov, note=note, statistic="median of the measured iterations, min and max over them; "
                "allocBytesPerOp = JMH gc.alloc.rate.norm", results=keep, numpy=np_rows)


def main():
    from bench_env import add_env_arguments, provenance, replace_section, raw_results_line
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--summary")
    ap.add_argument("--doc")
    ap.add_argument("--numpy")
    ap.add_argument("--settings", default=DEFAULT_SETTINGS)
    ap.add_argument("--note", default="")
    add_env_arguments(ap)
    ap.add_argument("json", nargs="+")
    a = ap.parse_args()
    rows = load(a.json)
    numpy = []
    if a.numpy and os.path.exists(a.numpy):
        for line in open(a.numpy):
            parts = line.split()
            if len(parts) == 4:
                numpy.append(((int(parts[0]), int(parts[1]), int(parts[2])), float(parts[3])))
    prov = provenance(a.settings, a.openblas_env, a.jvm_vars)
    md = render(rows, numpy, a.settings, prov, a.note)
    open(a.out, "w").write(md)
    print(md)
    if a.summary:
        os.makedirs(os.path.dirname(os.path.abspath(a.summary)), exist_ok=True)
        with open(a.summary, "w") as f:
            json.dump(summary(rows, numpy, prov, a.note), f, indent=1, ensure_ascii=False)
            f.write("\n")
    if a.doc:
        raw = raw_results_line(a.summary, a.doc) if a.summary else ""
        replace_section(a.doc, BEGIN, END, render(rows, numpy, a.settings, prov, a.note, raw),
                        "Gradient benchmarks — results")


if __name__ == "__main__":
    main()

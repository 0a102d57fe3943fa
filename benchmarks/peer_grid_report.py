#!/usr/bin/env python3
"""Summarises a run of run-peer-grid.sh: Kronograd's `bench` per backend beside numpy and DJL, per round.

Usage: peer_grid_report.py --dir benchmarks/results/peers-<time>/ [--summary SUMMARY.json] [--doc docs/BENCHMARKS.md]
                           [--out REPORT.md] [--note TEXT]

The folder holds settings.txt, kronograd-round<R>.jsonl (one `kronograd bench --compact` object per
line: backend, m, batch, median_ms, …) and peers-round<R>.csv/.log (the peers' bench.sh output). Per
cell (m = n, B) and library: each round's median ms, the median over rounds and the min–max over
rounds. The table shows, per library, median [min–max over rounds]; *best Kronograd / best peer* is
the ratio of the medians over rounds of the fastest Kronograd backend and the fastest peer; the
verdict compares their min–max ranges over rounds: "ahead" or "behind" when they do not overlap,
"within noise" when they do (with one round there is no range, and the verdict says so).
--summary writes the JSON (docs/benchmarks/peers-<date>.json); --doc replaces the text between
<!-- peer-grid:begin --> and <!-- peer-grid:end --> (or appends a section).
"""
import argparse, collections, csv, glob, json, os, re, statistics, sys

from bench_env import provenance, describe, replace_section, raw_results_line, sh

BEGIN, END = "<!-- peer-grid:begin -->", "<!-- peer-grid:end -->"
PEER_NAMES = {"numpy": "numpy", "djl": "DJL", "nd4j": "ND4J"}


def round_of(path):
    m = re.search(r"round(\d+)", os.path.basename(path))
    if not m:
        raise SystemExit(f"{path}: no round number in the file name (expected …round<R>…)")
    return int(m.group(1))


def read_settings(folder):
    path = os.path.join(folder, "settings.txt")
    if not os.path.exists(path):
        raise SystemExit(f"{path} is missing: not a run-peer-grid.sh results folder")
    return dict(line.rstrip("\n").split("=", 1) for line in open(path) if "=" in line)


def read(folder):
    """{(library, m, batch): {round: median_ms}}, the Kronograd backends and peer libraries in order, extras."""
    cells = collections.defaultdict(dict)
    backends, peers, java = [], [], set()
    for path in sorted(glob.glob(os.path.join(folder, "kronograd-round*.jsonl"))):
        r = round_of(path)
        for n, line in enumerate(open(path), 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                key = (d["backend"], int(d["m"]), int(d["batch"]))
                if int(d["m"]) != int(d["n"]):
                    raise SystemExit(f"{path}:{n}: m = {d['m']} ≠ n = {d['n']}; the grid is square")
                cells[key][r] = float(d["median_ms"])
            except (ValueError, KeyError) as e:
                raise SystemExit(f"{path}:{n}: not a `kronograd bench --compact` object ({e})")
            java.add(d.get("java", "?"))
            if d["backend"] not in backends:
                backends.append(d["backend"])
    engines = set()
    for path in sorted(glob.glob(os.path.join(folder, "peers-round*.csv"))):
        r = round_of(path)
        for row in csv.DictReader(open(path, encoding="utf-8")):
            lib = row["library"]
            if lib in ("djl", "nd4j") and row.get("copy_out") != "true":
                lib += " (no copy-out)"
            cells[(lib, int(row["m"]), int(row["batch"]))][r] = float(row["median_ms"])
            if lib not in peers:
                peers.append(lib)
        log = path[:-4] + ".log"
        if os.path.exists(log):
            engines.update(l.strip() for l in open(log) if l.startswith(("engine:", "machine:", "java:")))
    if not cells:
        raise SystemExit(f"{folder}: no kronograd-round*.jsonl or peers-round*.csv")
    return cells, backends, peers, sorted(java), sorted(engines)


def stats(rounds):
    v = [rounds[k] for k in sorted(rounds)]
    return dict(rounds=v, median=statistics.median(v), min=min(v), max=max(v))


def g(x):
    return f"{x:.3g}"


def cell_text(s):
    if s is None:
        return "–"
    return g(s["median"]) if len(s["rounds"]) == 1 else f"{g(s['median'])} [{g(s['min'])}–{g(s['max'])}]"


def verdict(k, p):
    if k is None or p is None:
        return "–"
    single = len(k["rounds"]) == 1 or len(p["rounds"]) == 1
    if k["max"] < p["min"]:
        v = "ahead"
    elif k["min"] > p["max"]:
        v = "behind"
    else:
        v = "within noise"
    return v + (" (one round: no spread)" if single else "")


def analyse(cells, backends, peers):
    grid = sorted({(m, b) for (_, m, b) in cells})
    rows = []
    for m, b in grid:
        per = {lib: stats(cells[(lib, m, b)]) for lib in backends + peers if (lib, m, b) in cells}
        ks = [(per[x]["median"], x) for x in backends if x in per]
        ps = [(per[x]["median"], x) for x in peers if x in per]
        bk, bp = (min(ks)[1] if ks else None), (min(ps)[1] if ps else None)
        k, p = per.get(bk), per.get(bp)
        rows.append(dict(m=m, batch=b, libraries=per, best_kronograd=bk, best_peer=bp,
                         ratio=(k["median"] / p["median"]) if k and p else None, verdict=verdict(k, p)))
    return rows


def render(rows, backends, peers, settings, prov, note, raw_line=""):
    n_rounds = int(settings.get("rounds", "0"))
    out = [raw_line + describe(prov)]
    out.append(
        f"Median ms per tanh-layer gradient (m = n, batch B, float64, squared error), **median over {n_rounds} "
        f"round{'s' if n_rounds != 1 else ''} [min–max over rounds]**; each round runs every cell of every library "
        "once, all in this run (`benchmarks/run-peer-grid.sh`). Kronograd: `kronograd bench --backend X "
        f"--warmup-ms {settings.get('warmup_ms', '?')} --compact`, one JVM per cell, `--add-modules=jdk.incubator.vector`, "
        "each backend's default OpenBLAS threads. Peers: `bench.sh 2` of ../shared/peers with "
        f"`LIBS=\"{settings.get('libs', '?')}\" COPY_OUT=1 WAIT_IDLE=0` (2 threads; DJL's gradients copied to "
        "`double[]`). *best K / best peer* = the fastest Kronograd backend's median ÷ the fastest peer's; the verdict "
        "compares their min–max over rounds: *ahead*/*behind* when the ranges do not overlap, *within noise* when "
        "they do.\n")
    if note:
        out.append(f"**{note}**\n")
    peer_cols = [PEER_NAMES.get(p, p) for p in peers]
    out.append("| m = n | B | " + " | ".join(peer_cols + backends) + " | best K / best peer | verdict |")
    out.append("|---:|---:|" + "---:|" * (len(peers) + len(backends) + 1) + "---|")
    for r in rows:
        libs = r["libraries"]
        ratio = "–" if r["ratio"] is None else f"{r['ratio']:.2f} ({r['best_kronograd']} ÷ {PEER_NAMES.get(r['best_peer'], r['best_peer'])})"
        out.append(f"| {r['m']} | {r['batch']} | " + " | ".join(cell_text(libs.get(x)) for x in peers + backends)
                   + f" | {ratio} | {r['verdict']} |")
    return "\n".join(out) + "\n"


def summary(rows, settings, prov, note, java, engines):
    prov = dict(prov)
    prov["openblas"] = dict(prov["openblas"], peers_env="OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (bench.sh); "
                            "OPENBLAS_NUM_THREADS=2 for the peers")
    numpy = sh("python3 -c \"import numpy, json; c = numpy.show_config(mode='dicts'); "
               "b = c['Build Dependencies']['blas']; print(numpy.__version__, b.get('name'), b.get('version'))\"")
    return dict(prov, note=note,
                versions=dict(kronograd_java=java, kronograd_jar_sha256=settings.get("kronograd_jar_sha256"),
                              numpy_at_report=numpy, python=sys.version.split()[0], peers_log=engines),
                run=dict(started=settings.get("started"), finished=settings.get("finished")),
                statistic="per round: each library's own median over its repetitions (Kronograd bench median_ms, "
                          "bench.sh median_ms); then the median and min–max over rounds",
                cells=[dict(m=r["m"], n=r["m"], batch=r["batch"],
                            libraries={lib: dict(round_medians_ms=s["rounds"], median_ms=s["median"], min_ms=s["min"],
                                                 max_ms=s["max"]) for lib, s in r["libraries"].items()},
                            best_kronograd=r["best_kronograd"], best_peer=r["best_peer"],
                            best_kronograd_over_best_peer=None if r["ratio"] is None else round(r["ratio"], 4),
                            verdict=r["verdict"]) for r in rows])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--summary")
    ap.add_argument("--doc")
    ap.add_argument("--out")
    ap.add_argument("--note", default="")
    a = ap.parse_args()
    settings = read_settings(a.dir)
    cells, backends, peers, java, engines = read(a.dir)
    rows = analyse(cells, backends, peers)
    described = (f"ROUNDS={settings.get('rounds')} BACKENDS=\"{settings.get('backends')}\" SIZES={settings.get('sizes')} "
                 f"BATCHES={settings.get('batches')} LIBS=\"{settings.get('libs')}\" WARMUP_MS={settings.get('warmup_ms')}")
    prov = provenance(described, settings.get("openblas_env"), settings.get("jvm_openblas_vars"))
    md = render(rows, backends, peers, settings, prov, a.note)
    open(a.out or os.path.join(a.dir, "report.md"), "w").write(md)
    print(md)
    if a.summary:
        os.makedirs(os.path.dirname(os.path.abspath(a.summary)), exist_ok=True)
        with open(a.summary, "w") as f:
            json.dump(summary(rows, settings, prov, a.note, java, engines), f, indent=1, ensure_ascii=False)
            f.write("\n")
    if a.doc:
        raw = raw_results_line(a.summary, a.doc, "summarised output of this run: every round's median per cell") if a.summary else ""
        replace_section(a.doc, BEGIN, END, render(rows, backends, peers, settings, prov, a.note, raw),
                        "Peers: numpy and DJL/PyTorch beside Kronograd's backends, in rounds (spread over rounds)")


if __name__ == "__main__":
    main()

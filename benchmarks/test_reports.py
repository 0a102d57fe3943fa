#!/usr/bin/env python3
"""Tests of the report scripts against hand-computed figures: python3 -m unittest benchmarks/test_reports.py"""
import json, os, subprocess, sys, tempfile, unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import blas_report, openblas_targets_report, peer_grid_report, spark_report  # noqa: E402
from gradient_report import load  # noqa: E402


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f)


def read_text(path):
    with open(path) as f:
        return f.read()


def jmh_row(cls, method, params, unit, iterations):
    return dict(benchmark=f"dev.kronograd.benchmarks.{cls}.{method}", params=params,
                primaryMetric=dict(score=sum(iterations) / len(iterations), scoreUnit=unit, rawData=[iterations]))


class PeerGridTest(unittest.TestCase):
    def folder(self, tmp):
        with open(os.path.join(tmp, "settings.txt"), "w") as f:
            f.write("rounds=3\nbackends=netlib-native openblas-bundled\nsizes=64\nbatches=1,32\nlibs=numpy djl\n"
                    "warmup_ms=4000\nopenblas_env=unset\njvm_openblas_vars=\n")
        # Kronograd medians per round: (backend, B) -> three rounds
        k = {("netlib-native", 1): [1.0, 1.2, 1.1], ("openblas-bundled", 1): [2.0, 2.0, 2.0],
             ("netlib-native", 32): [5.0, 6.0, 7.0], ("openblas-bundled", 32): [4.0, 9.0, 8.0]}
        # peers: (library, B) -> three rounds
        p = {("numpy", 1): [3.0, 3.5, 4.0], ("djl", 1): [10.0, 10.0, 10.0],
             ("numpy", 32): [6.5, 5.5, 8.0], ("djl", 32): [20.0, 21.0, 22.0]}
        for r in range(3):
            with open(os.path.join(tmp, f"kronograd-round{r + 1}.jsonl"), "w") as f:
                for (be, b), v in k.items():
                    f.write(json.dumps(dict(backend=be, m=64, n=64, batch=b, median_ms=v[r], java="JVM")) + "\n")
            with open(os.path.join(tmp, f"peers-round{r + 1}.csv"), "w") as f:
                f.write("library,m,n,batch,activation,copy_out,reps,median_ms,p10_ms,p90_ms,min_ms\n")
                for (lib, b), v in p.items():
                    f.write(f"{lib},64,64,{b},tanh,{'true' if lib == 'djl' else 'false'},10,{v[r]},0,0,0\n")

    def test_medians_ranges_and_verdicts(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.folder(tmp)
            cells, backends, peers, _, _ = peer_grid_report.read(tmp)
            self.assertEqual(backends, ["netlib-native", "openblas-bundled"])
            self.assertEqual(peers, ["numpy", "djl"])
            rows = {r["batch"]: r for r in peer_grid_report.analyse(cells, backends, peers)}
            b1, b32 = rows[1], rows[32]
            # B = 1: netlib-native median 1.1 [1.0–1.2] vs numpy 3.5 [3.0–4.0]: ranges apart, ahead
            self.assertEqual(b1["best_kronograd"], "netlib-native")
            self.assertEqual(b1["best_peer"], "numpy")
            self.assertAlmostEqual(b1["libraries"]["netlib-native"]["median"], 1.1)
            self.assertAlmostEqual(b1["ratio"], 1.1 / 3.5)
            self.assertEqual(b1["verdict"], "ahead")
            # B = 32: netlib-native 6.0 [5–7], openblas-bundled 8.0 [4–9] -> best is netlib-native;
            # numpy 6.5 [5.5–8.0] overlaps [5–7]: within noise
            self.assertEqual(b32["best_kronograd"], "netlib-native")
            self.assertAlmostEqual(b32["libraries"]["openblas-bundled"]["median"], 8.0)
            self.assertEqual(b32["libraries"]["numpy"]["rounds"], [6.5, 5.5, 8.0])
            self.assertAlmostEqual(b32["ratio"], 6.0 / 6.5)
            self.assertEqual(b32["verdict"], "within noise")

    def test_behind_and_single_round(self):
        k = dict(rounds=[5.0, 6.0], median=5.5, min=5.0, max=6.0)
        p = dict(rounds=[3.0, 4.0], median=3.5, min=3.0, max=4.0)
        self.assertEqual(peer_grid_report.verdict(k, p), "behind")
        one = dict(rounds=[1.0], median=1.0, min=1.0, max=1.0)
        self.assertEqual(peer_grid_report.verdict(one, p), "ahead (one round: no spread)")

    def test_summary_and_section(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.folder(tmp)
            doc = os.path.join(tmp, "DOC.md")
            with open(doc, "w") as f:
                f.write("# Doc\n\n<!-- peer-grid:begin -->\nold\n<!-- peer-grid:end -->\n\ntail\n")
            summary = os.path.join(tmp, "peers.json")
            subprocess.run([sys.executable, os.path.join(HERE, "peer_grid_report.py"), "--dir", tmp, "--summary", summary,
                            "--doc", doc], check=True, capture_output=True)
            with open(summary) as f:
                s = json.load(f)
            self.assertEqual(s["openblas"]["jvm_env"], "unset")
            cell = next(c for c in s["cells"] if c["batch"] == 1)
            self.assertEqual(cell["libraries"]["djl"]["round_medians_ms"], [10.0, 10.0, 10.0])
            text = read_text(doc)
            self.assertNotIn("old", text)
            self.assertTrue(text.endswith("<!-- peer-grid:end -->\n\ntail\n"))
            self.assertIn("| 64 | 1 | 3.5 [3–4] | 10 [10–10] | 1.1 [1–1.2] | 2 [2–2] | 0.31 (netlib-native ÷ numpy) | ahead |", text)
            self.assertIn("Raw results: [`" + summary + "`](peers.json)", text)


class BlasTest(unittest.TestCase):
    def test_gflops_from_throughput(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "blas.json")
            write_json(path, [jmh_row("BlasBenchmark", "gemm", {"backend": "a", "n": "64"}, "ops/s", [1000.0, 3000.0, 2000.0]),
                              jmh_row("BlasBenchmark", "gemm", {"backend": "b", "n": "64"}, "ops/s", [4000.0, 4000.0, 4000.0]),
                              jmh_row("BlasBenchmark", "ger", {"backend": "a", "n": "8"}, "ops/ms", [1.0])])
            rows = {(r["op"], r["backend"]): r for r in blas_report.rows_of(load([path]))}
            self.assertAlmostEqual(rows[("gemm", "a")]["gflops"], 2 * 64 ** 3 * 2000 / 1e9)
            self.assertAlmostEqual(rows[("gemm", "a")]["lo"], 2 * 64 ** 3 * 1000 / 1e9)
            self.assertAlmostEqual(rows[("ger", "a")]["gflops"], 2 * 8 * 8 * 1000 / 1e9)
            md = blas_report.render(list(rows.values()), dict(settings="S", **_prov()), "")
            self.assertIn("| 64 | b | 2.10 | 2.10–2.10 | 1.00 |", md)
            self.assertIn("| 64 | a | 1.05 | 0.52–1.57 | 0.50 |", md)


class SparkTest(unittest.TestCase):
    def test_ratios(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "spark.json")
            p = {"master": "local[2]", "partitions": "8", "samples": "65536", "width": "64"}
            write_json(path, [jmh_row("SparkGradientBenchmark", "distributed", p, "ms/op", [300.0, 200.0, 250.0]),
                              jmh_row("SparkGradientBenchmark", "singleMachineBatched", p, "ms/op", [100.0]),
                              jmh_row("SparkGradientBenchmark", "singleMachineOneBatch", p, "s/op", [0.5])])
            rows = spark_report.rows_of("1", load([path]))
            md = spark_report.render(rows, dict(settings="S", **_prov()), "")
            self.assertIn("| 64 | 65536 | local[2] | 250.0 [200.0–300.0] | 262,144 | 100.0 [100.0–100.0] | "
                          "500.0 [500.0–500.0] | 2.50 |", md)


def _prov():
    return dict(date="D", machine=dict(cpu="C", cores=2, memory_gib=1, load_average_at_report=0),
                jdk="J", openblas=dict(system_library="L", bundled="B", jvm_env="unset", jvm_vars=[], num_threads="1"),
                git=dict(commit="abc", dirty=False))



class OpenBlasTargetsTest(unittest.TestCase):
    def rows(self, bundled_1024):
        """JMH rows with several forks: gradients in µs/op, gemm in ops/s."""
        def row(cls, method, params, unit, forks):
            return dict(benchmark=f"dev.kronograd.benchmarks.{cls}.{method}", params=params,
                        primaryMetric=dict(score=0, scoreUnit=unit, rawData=forks))
        layer = lambda m, be, s, b, forks: row("LayerGradientBenchmark", m, dict(backend=be, size=str(s), batch=str(b)), "us/op", forks)
        return [
            layer("sdkGradient", "openblas-bundled", 1024, 256, bundled_1024),
            layer("sdkGradient", "netlib-native", 1024, 256, [[10000, 10100, 9900], [10000, 10000, 10000]]),
            layer("dgemm", "openblas-bundled", 1024, 256, [[9000, 9000, 9000], [9000, 9100, 8900]]),
            layer("sdkGradient", "openblas-bundled", 64, 1, [[2.0, 2.0, 2.0], [2.5, 2.5, 2.5]]),
            layer("sdkGradient", "netlib-native", 64, 1, [[2.2, 2.2, 2.2]]),
            layer("sdkGradient", "netlib-java", 64, 1, [[2.0, 2.1, 2.2]]),
            row("BlasBenchmark", "gemm", dict(backend="openblas-bundled", n="1024"), "ops/s", [[50.0, 50.0, 50.0]]),
        ]

    @staticmethod
    def share_row(gradient_nanos, dgemm_nanos):
        """GradientShareBenchmark.interleaved with its two counters, per fork and iteration."""
        counter = lambda forks: dict(score=0, scoreUnit="#", rawData=forks)
        return dict(benchmark="dev.kronograd.benchmarks.GradientShareBenchmark.interleaved",
                    params=dict(backend="openblas-bundled", size="1024", batch="256"),
                    primaryMetric=dict(score=0, scoreUnit="ms/op", rawData=[[1.0]] * len(gradient_nanos)),
                    secondaryMetrics=dict(gradientNanos=counter(gradient_nanos), dgemmNanos=counter(dgemm_nanos)))

    # the targets by the start of their names
    KEYS = {"≤ 1.05": "1024/B=256 gradient: openblas-bundled ÷", "≥ 0.85": "1024/B=256 gradient: share of openblas-bundled's dgemm rate, across",
            "in one fork": "1024/B=256 gradient: share of openblas-bundled's dgemm rate, in one fork", "≤ 1.2": "64/B=1"}

    def check(self, bundled_1024, extra=()):
        with tempfile.TemporaryDirectory() as tmp:
            f = os.path.join(tmp, "r.json")
            write_json(f, self.rows(bundled_1024) + list(extra))
            targets = openblas_targets_report.check(openblas_targets_report.load([f]))
            return {k: t for k, prefix in self.KEYS.items() for t in targets if t["name"].startswith(prefix)}

    def test_every_fork_must_meet_each_target(self):
        # forks' medians 10,400 and 10,600 µs: ratios 1.04 and 1.06 to netlib-native's 10,000 -> one fork misses
        t = self.check([[10400, 10400, 10400], [10600, 10600, 10600]])
        self.assertEqual([round(v, 3) for v in t["≤ 1.05"]["per_fork"]], [1.04, 1.06])
        self.assertFalse(t["≤ 1.05"]["met"])
        # dgemm median 9,000 µs: shares 9000/10400 = 0.865 and 9000/10600 = 0.849 -> missed on the second fork
        self.assertEqual([round(v, 3) for v in t["≥ 0.85"]["per_fork"]], [0.865, 0.849])
        self.assertFalse(t["≥ 0.85"]["met"])
        # 64/B=1: medians bundled 2.25 (forks 2.0, 2.5), netlib-native 2.2, netlib-java 2.1 -> fastest 2.1;
        # bundled's forks 2.0/2.1 = 0.952 and 2.5/2.1 = 1.19 -> met
        self.assertEqual([round(v, 3) for v in t["≤ 1.2"]["per_fork"]], [0.952, 1.19])
        self.assertTrue(t["≤ 1.2"]["met"])

    def test_met_when_every_fork_is_inside(self):
        t = self.check([[10300, 10300, 10300], [10400, 10500, 10400]])
        self.assertTrue(t["≤ 1.05"]["met"])
        self.assertTrue(t["≥ 0.85"]["met"])
        self.assertNotIn("in one fork", t)  # no GradientShareBenchmark rows: that target is not reported

    def test_share_in_one_fork_is_the_median_of_iteration_ratios(self):
        # fork 1: iteration shares 0.90, 0.80, 0.95 -> median 0.90; fork 2: 0.86, 0.84, 0.88 -> 0.86; fork 3: 0.84, 0.83, 0.90 -> 0.84
        share = self.share_row([[100, 100, 100], [50, 100, 25], [100, 100, 10]],
                               [[90, 80, 95], [43, 84, 22], [84, 83, 9]])
        t = self.check([[10300, 10300, 10300]], [share])
        self.assertEqual([round(v, 3) for v in t["in one fork"]["per_fork"]], [0.9, 0.86, 0.84])
        self.assertFalse(t["in one fork"]["met"])
        t = self.check([[10300, 10300, 10300]], [self.share_row([[100, 100]], [[86, 91]])])
        self.assertEqual([round(v, 3) for v in t["in one fork"]["per_fork"]], [0.885])
        self.assertTrue(t["in one fork"]["met"])

if __name__ == "__main__":
    unittest.main()

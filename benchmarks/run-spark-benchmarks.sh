#!/usr/bin/env bash
# Runs SparkGradientBenchmark (JMH, in kronograd-spark's test sources): the full-batch gradient of
# N samples through Spark local[1] and local[2] against the same gradient on one machine, in one
# run, and prints samples/s and the ratios. Raw JMH JSON: benchmarks/results/spark-<time>.json.
#
#   benchmarks/run-spark-benchmarks.sh                         # ≈ 7 min on 2 cores
#   benchmarks/run-spark-benchmarks.sh -p width=64             # extra JMH options (parameters, profilers…)
#   JMH_RUN="-f 1 -wi 0 -i 1 -r 1s" benchmarks/run-spark-benchmarks.sh   # other run settings (a smoke run)
#
# Settings (JMH_RUN): 1 fork, 3 warm-up + 5 measured iterations of ≥ 3 s; figures are medians over iterations.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

cp_file="$out/spark-classpath-$stamp.txt"
# One reactor build: Kronograd's own modules come from their target/ folders, not from ~/.m2
# (the class path of the last module built, kronograd-spark, is the one left in the file).
(cd "$root" && mvn -q -B -pl spark -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file")
classpath="$root/spark/target/test-classes:$root/spark/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
opens="$(cd "$root" && mvn -q -B help:evaluate -Dexpression=spark.jvm.options -DforceStdout -N | sed 's/\x1b\[[0-9;]*m//g')"

json="$out/spark-$stamp.json"
# shellcheck disable=SC2086
SPARK_LOCAL_IP=127.0.0.1 java $opens -cp "$classpath" org.openjdk.jmh.Main SparkGradientBenchmark \
  ${JMH_RUN:--f 1 -wi 3 -w 3s -i 5 -r 3s} -jvmArgsAppend "$opens -Xmx6g" -rf json -rff "$json" "$@"

python3 - "$json" <<'PY'
import json, statistics, sys
rows = json.load(open(sys.argv[1]))
res = {}
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[1]
    p = r["params"]
    med = statistics.median(x for it in r["primaryMetric"]["rawData"] for x in it)  # ms per gradient
    res[(p["width"], int(p["samples"]), p["master"], name)] = med
print("| width | N | master | distributed ms | samples/s | single machine, batches of 256 (ms) | one batch (ms) | distributed / batched |")
print("|---:|---:|---|---:|---:|---:|---:|---:|")
for (w, n, master, name), ms in sorted(res.items()):
    if name != "distributed":
        continue
    batched = res.get((w, n, master, "singleMachineBatched"))
    one = res.get((w, n, master, "singleMachineOneBatch"))
    print(f"| {w} | {n} | {master} | {ms:.1f} | {n / ms * 1000:,.0f} | {batched:.1f} | {one:.1f} | {ms / batched:.2f} |")
PY

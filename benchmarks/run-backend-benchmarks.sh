#!/usr/bin/env bash
# Runs the BLAS backend benchmarks (JMH) and writes a Markdown report with GFLOP/s and the ratio
# to the best backend, plus the raw JMH JSON, into benchmarks/results/.
#
#   benchmarks/run-backend-benchmarks.sh              # BlasBenchmark: gemm, gemv, ger × 4 backends × n ∈ {8, 64, 256, 1024}
#   benchmarks/run-backend-benchmarks.sh --routing    # also the routing-threshold benchmarks (small sizes)
#
# Short but honest settings: 1 fork, 3 warm-up and 5 measured iterations of 1 s each (≈ 8 minutes;
# --routing adds ≈ 8). For netlib-native install a system BLAS first: apt-get install libopenblas0-pthread.
# OPENBLAS_NUM_THREADS is passed through (unset: OpenBLAS uses every core).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/benchmarks.jar"
out="$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"

if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -q -pl benchmarks -am package -DskipTests)
fi
mkdir -p "$out"

if [[ "${1:-}" == "--routing" ]]; then
  java -jar "$jar" 'NativeRoutingBenchmark|EjmlRoutingBenchmark' -rf json -rff "$out/routing-$stamp.json" | tee "$out/routing-$stamp.txt"
fi

java -cp "$jar" dev.kronograd.benchmarks.BlasBenchmarkReport "$out/blas-$stamp.md" -f 1 -wi 3 -w 1s -i 5 -r 1s
echo "Wrote $out/blas-$stamp.md"

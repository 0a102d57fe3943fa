#!/usr/bin/env bash
# Runs the gradient benchmarks (JMH: LayerGradientBenchmark, DenseJacobianBenchmark,
# NetworkGradientBenchmark, CurvatureBenchmark, MemoryBandwidthBenchmark) with -prof gc, times
# numpy's hand-written layer gradient in the same session, and writes the Markdown tables
# (medians of the measured iterations, ratios, GFLOP/s, fraction of the dgemm rate, B/op) into
# benchmarks/results/gradient-<time>.md and the "Gradient" section of docs/BENCHMARKS.md.
#
#   benchmarks/run-gradient-benchmarks.sh                 # full grid, ≈ 20 min on 2 cores
#   benchmarks/run-gradient-benchmarks.sh --all-2048      # also ejml and netlib-java at m = n = 2048 (slow)
#   benchmarks/run-gradient-benchmarks.sh --report A.json B.json …   # re-render only (later files win per row)
#
# Settings: 1 fork, 2 warm-up + 5 measured iterations of 1 s (short but honest: medians over 5).
# The jar is copied first, so a rebuild during the run cannot change the code being measured.
# OPENBLAS_* variables are passed through to the JVM as set; the numpy runs unset
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (numpy's own OpenBLAS mis-sizes its kernels with them).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"
numpy_script="${NUMPY_LAYER_GRAD:-$root/../shared/bench/numpy_layer_grad.py}"
mkdir -p "$out"

if [[ "${1:-}" == "--report" ]]; then
  shift
  python3 "$here/gradient_report.py" --out "$out/gradient-$stamp.md" --doc "$root/docs/BENCHMARKS.md" "$@"
  exit 0
fi

all2048=false
[[ "${1:-}" == "--all-2048" ]] && all2048=true

source_jar="${BENCHMARKS_JAR:-$here/target/benchmarks.jar}"   # BENCHMARKS_JAR: measure another build
if [[ ! -f "$source_jar" ]]; then
  (cd "$root" && mvn -q -pl benchmarks -am package -DskipTests)
fi
jar="$out/gradient-$stamp.jar"
cp "$source_jar" "$jar"
trap 'rm -f "$jar"' EXIT

jmh=(-f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc -rf json)
run() { # name, JMH arguments…
  local name="$1"; shift
  java -jar "$jar" "$@" "${jmh[@]}" -rff "$out/gradient-$stamp-$name.json" | tee -a "$out/gradient-$stamp.log" | grep -E '^(# Benchmark:|# Parameters:)' || true
}

run bandwidth 'MemoryBandwidthBenchmark'
run layer 'LayerGradientBenchmark' -p size=64,256,1024
if $all2048; then
  run layer2048 'LayerGradientBenchmark' -p size=2048
else
  run layer2048 'LayerGradientBenchmark' -p size=2048 -p backend=netlib-native
fi
run dense 'DenseJacobianBenchmark'
run network 'NetworkGradientBenchmark'
run curvature 'CurvatureBenchmark'

numpy_out="$out/gradient-$stamp-numpy.txt"
: > "$numpy_out"
if [[ -f "$numpy_script" ]]; then
  for args in "64 64 1" "1024 1024 256"; do
    # shellcheck disable=SC2086
    ms="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$numpy_script" $args)"
    echo "$args $ms" | tee -a "$numpy_out"
  done
else
  echo "numpy benchmark $numpy_script not found: skipping the numpy comparison" >&2
fi

python3 "$here/gradient_report.py" --out "$out/gradient-$stamp.md" --doc "$root/docs/BENCHMARKS.md" \
  --numpy "$numpy_out" "$out"/gradient-"$stamp"-*.json
echo "Wrote $out/gradient-$stamp.md and the Gradient section of docs/BENCHMARKS.md"

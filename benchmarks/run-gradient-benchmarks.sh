#!/usr/bin/env bash
# Runs the gradient benchmarks (JMH: LayerGradientBenchmark, DenseJacobianBenchmark,
# NetworkGradientBenchmark, CurvatureBenchmark, MemoryBandwidthBenchmark) with -prof gc, times
# numpy's hand-written layer gradient in the same session, and writes
#   benchmarks/results/gradient-<time>.md and -*.json   the Markdown tables, raw JMH JSON and log (git-ignored)
#   docs/benchmarks/gradient-<date>.json                the summarised results (JMH rows + numpy rows), a few KB:
#                                                       commit it with the tables
#   docs/BENCHMARKS.md                                  its "Gradient benchmarks — results" section
#
#   benchmarks/run-gradient-benchmarks.sh                 # full grid, ≈ 20 min on 2 cores
#   benchmarks/run-gradient-benchmarks.sh --all-2048      # also ejml and netlib-java at m = n = 2048 (slow)
#   benchmarks/run-gradient-benchmarks.sh --smoke         # one layer row set (64, B = 1, netlib-native), -wi 0 -i 1 -r 200ms,
#                                                         # numpy at 64/1, into a scratch folder (≈ 1 min)
#   benchmarks/run-gradient-benchmarks.sh --report A.json B.json …   # re-render only (later files win per row)
#     (--report: SETTINGS="JMH settings of that run", RUN_OPENBLAS_ENV=unset|kept as that run had it;
#      without RUN_OPENBLAS_ENV the summary records the OpenBLAS environment as unknown)
#
# Settings: 1 fork, 2 warm-up + 5 measured iterations of 1 s (short but honest: medians over 5).
# The jar is copied first, so a rebuild during the run cannot change the code being measured
# (BENCHMARKS_JAR: measure another build). The numpy runs, and the JVMs unless KEEP_OPENBLAS_ENV=1,
# run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (bench_env.sh; recorded in the JSON); other
# OPENBLAS_* variables (OPENBLAS_NUM_THREADS) are passed through. --smoke writes to SCRATCH (default
# benchmarks/results/smoke-<time>/), including a copy of BENCHMARKS.md, and leaves docs/ alone.
# NOTE (env): a line printed in bold above the tables.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"
numpy_script="${NUMPY_LAYER_GRAD:-$root/../shared/bench/numpy_layer_grad.py}"
mkdir -p "$out"
source "$here/bench_env.sh"
summary="$root/docs/benchmarks/gradient-$(date +%Y-%m-%d).json"
doc="$root/docs/BENCHMARKS.md"

if [[ "${1:-}" == "--report" ]]; then
  shift
  python3 "$here/gradient_report.py" --out "$out/gradient-$stamp.md" --summary "$summary" --doc "$doc" \
    --note "${NOTE:-}" ${RUN_OPENBLAS_ENV:+--openblas-env "$RUN_OPENBLAS_ENV"} ${SETTINGS:+--settings "$SETTINGS"} "$@"
  exit 0
fi

jmh=(-f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc)
mode=full
case "${1:-}" in
  --all-2048) mode=all2048 ;;
  --smoke)
    mode=smoke
    jmh=(-f 1 -wi 0 -i 1 -r 200ms -prof gc)
    scratch="${SCRATCH:-$out/smoke-$stamp}"
    mkdir -p "$scratch"
    cp "$doc" "$scratch/BENCHMARKS.md"
    doc="$scratch/BENCHMARKS.md"
    summary="$scratch/gradient-$(date +%Y-%m-%d).json" ;;
  "") ;;
  *) echo "unknown option $1 (--all-2048, --smoke, --report)" >&2; exit 2 ;;
esac

source_jar="${BENCHMARKS_JAR:-$here/target/benchmarks.jar}"
if [[ ! -f "$source_jar" ]]; then
  (cd "$root" && mvn -o -q -pl benchmarks -am package -DskipTests)
fi
jar="$out/gradient-$stamp.jar"
cp "$source_jar" "$jar"
trap 'rm -f "$jar"; drop_jar_cache "$jar"' EXIT

run() { # name, JMH arguments…
  local name="$1"; shift
  "${jvm_env[@]}" java -jar "$jar" "$@" "${jmh[@]}" -rf json -rff "$out/gradient-$stamp-$name.json" \
    | tee -a "$out/gradient-$stamp.log" | grep -E '^(# Benchmark:|# Parameters:)' || true
}

numpy_cells=("64 64 1" "1024 1024 256")
if [[ "$mode" == smoke ]]; then
  run layer 'LayerGradientBenchmark' -p size=64 -p batch=1 -p backend=netlib-native
  numpy_cells=("64 64 1")
else
  run bandwidth 'MemoryBandwidthBenchmark'
  run layer 'LayerGradientBenchmark' -p size=64,256,1024
  if [[ "$mode" == all2048 ]]; then
    run layer2048 'LayerGradientBenchmark' -p size=2048
  else
    run layer2048 'LayerGradientBenchmark' -p size=2048 -p backend=netlib-native
  fi
  run dense 'DenseJacobianBenchmark'
  run network 'NetworkGradientBenchmark'
  run curvature 'CurvatureBenchmark'
fi

numpy_out="$out/gradient-$stamp-numpy.txt"
: > "$numpy_out"
if [[ -f "$numpy_script" ]]; then
  for args in "${numpy_cells[@]}"; do
    # shellcheck disable=SC2086
    ms="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$numpy_script" $args)"
    echo "$args $ms" | tee -a "$numpy_out"
  done
else
  echo "numpy benchmark $numpy_script not found: skipping the numpy comparison" >&2
fi

python3 "$here/gradient_report.py" --out "$out/gradient-$stamp.md" --summary "$summary" --doc "$doc" \
  --numpy "$numpy_out" --settings "${jmh[*]}" --note "${NOTE:-}" "${env_args[@]}" "$out"/gradient-"$stamp"-*.json
echo "Wrote $out/gradient-$stamp.md, $summary and the Gradient section of $doc"

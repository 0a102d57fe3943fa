#!/usr/bin/env bash
# Runs the curvature benchmarks of issue 19 (JMH: CurvatureStatisticsBenchmark — exact diagonal and
# trace of a 3 × 256 tanh network, B = 128, vs one gradient and vs Hutchinson with 100 probes;
# LayerDiagonalBenchmark — a 2048×2048 layer's exact diagonal, B ∈ {8, 32}; LaplaceBenchmark —
# kron vs full Laplace fit and predictive on a small network) with -prof gc, then
# HutchinsonError (Hutchinson's error at 100 probes and the probes it needs to match the exact
# path; nothing timed), and writes
#   benchmarks/results/curvature-<time>.md       the Markdown tables (raw JMH JSON and log beside it; git-ignored)
#   docs/benchmarks/curvature-<date>.json        the summarised results, a few KB: commit it with the table
#   docs/BENCHMARKS.md                           its "Curvature benchmarks — results" section
#
#   benchmarks/run-curvature-benchmarks.sh                     # ≈ 10 min on 2 cores
#   benchmarks/run-curvature-benchmarks.sh --smoke             # 1 warm-up + 3 iterations, B = 8 only (≈ 5 min)
#   benchmarks/run-curvature-benchmarks.sh --report [--stats H.json] A.json B.json …   # re-render only
#     (--report: SETTINGS="JMH settings of that run", RUN_OPENBLAS_ENV=unset|kept as that run had it;
#      without RUN_OPENBLAS_ENV the summary records the OpenBLAS environment as unknown)
#
# Settings: 1 fork, 2 warm-up + 5 measured iterations of 1 s; every exact statistic and Hutchinson
# estimate takes more than 1 s, so each iteration is one call. NOTE (env) sets the note printed in
# bold above the tables (e.g. "smoke run on a shared machine; to be re-measured").
# The jar is copied first, so a rebuild during the run cannot change the code being measured.
# The JVMs run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset unless KEEP_OPENBLAS_ENV=1
# (bench_env.sh; recorded in the JSON). --smoke writes to SCRATCH (default
# benchmarks/results/smoke-<time>/), including a copy of BENCHMARKS.md, and leaves docs/ alone.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"
summary="$root/docs/benchmarks/curvature-$(date +%Y-%m-%d).json"
doc="$root/docs/BENCHMARKS.md"
mkdir -p "$out"
source "$here/bench_env.sh"

if [[ "${1:-}" == "--report" ]]; then
  shift
  python3 "$here/curvature_report.py" --out "$out/curvature-$stamp.md" --summary "$summary" \
    --doc "$doc" --note "${NOTE:-}" ${RUN_OPENBLAS_ENV:+--openblas-env "$RUN_OPENBLAS_ENV"} ${SETTINGS:+--settings "$SETTINGS"} "$@"
  exit 0
fi

jmh=(-f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc -rf json)
batches=8,32
if [[ "${1:-}" == "--smoke" ]]; then
  jmh=(-f 1 -wi 1 -w 1s -i 3 -r 1s -prof gc -rf json)
  batches=8
  scratch="${SCRATCH:-$out/smoke-$stamp}"
  mkdir -p "$scratch"
  cp "$doc" "$scratch/BENCHMARKS.md"
  doc="$scratch/BENCHMARKS.md"
  summary="$scratch/curvature-$(date +%Y-%m-%d).json"
fi
settings="${jmh[*]:0:${#jmh[@]}-2}"

source_jar="${BENCHMARKS_JAR:-$here/target/benchmarks.jar}"   # BENCHMARKS_JAR: measure another build
if [[ ! -f "$source_jar" ]]; then
  (cd "$root" && mvn -q -pl benchmarks -am package -DskipTests)
fi
jar="$out/curvature-$stamp.jar"
cp "$source_jar" "$jar"
trap 'rm -f "$jar"; drop_jar_cache "$jar"' EXIT

run() { # name, JMH arguments…
  local name="$1"; shift
  "${jvm_env[@]}" java -jar "$jar" "$@" "${jmh[@]}" -rff "$out/curvature-$stamp-$name.json" | tee -a "$out/curvature-$stamp.log" | grep -E '^(# Benchmark:|# Parameters:)' || true
}

run statistics 'CurvatureStatisticsBenchmark'
run layer 'LayerDiagonalBenchmark' -p batch="$batches"
run laplace 'LaplaceBenchmark'

stats="$out/curvature-$stamp-hutchinson.json"
"${jvm_env[@]}" java --add-modules=jdk.incubator.vector -cp "$jar" dev.kronograd.benchmarks.HutchinsonError "$stats" netlib-native netlib-java 5 \
  >> "$out/curvature-$stamp.log" 2>&1

python3 "$here/curvature_report.py" --out "$out/curvature-$stamp.md" --summary "$summary" --doc "$doc" \
  --stats "$stats" --settings "$settings" --note "${NOTE:-}" "${env_args[@]}" "$out"/curvature-"$stamp"-statistics.json "$out"/curvature-"$stamp"-layer.json "$out"/curvature-"$stamp"-laplace.json
echo "Wrote $out/curvature-$stamp.md, $summary and the Curvature section of $doc"

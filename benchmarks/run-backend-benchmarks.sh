#!/usr/bin/env bash
# Runs the BLAS backend benchmarks (JMH BlasBenchmark: gemm, gemv, ger × backends × n ∈ {8, 64, 256, 1024})
# and writes
#   benchmarks/results/blas-<time>.md and .json   the Markdown tables and the raw JMH JSON (git-ignored)
#   docs/benchmarks/blas-<date>.json              the summarised results, a few KB: commit it with the table
#   docs/BENCHMARKS.md                            the tables of its "BLAS backends — results" section
#
#   benchmarks/run-backend-benchmarks.sh              # ≈ 10 min on 2 cores (5 backends × 4 sizes × 3 ops × 8 s)
#   benchmarks/run-backend-benchmarks.sh --routing    # first the routing-threshold benchmarks (≈ 8 min more; raw JSON only)
#   benchmarks/run-backend-benchmarks.sh --smoke      # n = 64 only, -wi 0 -i 1 -r 200ms, into a scratch folder (≈ 1 min)
#   benchmarks/run-backend-benchmarks.sh --report A.json …   # re-render only
#     (--report: SETTINGS="JMH settings of that run", RUN_OPENBLAS_ENV=unset|kept as that run had it;
#      without RUN_OPENBLAS_ENV the summary records the OpenBLAS environment as unknown)
#
# Settings: 1 fork, 3 warm-up and 5 measured iterations of 1 s; figures are medians of the iterations.
# For netlib-native install a system BLAS first: apt-get install libopenblas0-pthread.
# OPENBLAS_NUM_THREADS is passed through (unset: OpenBLAS uses every core). OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE are unset for the JVMs unless KEEP_OPENBLAS_ENV=1 (bench_env.sh; recorded in the JSON).
# --smoke writes to SCRATCH (default benchmarks/results/smoke-<time>/), including a copy of
# BENCHMARKS.md, and leaves docs/ alone. NOTE (env): a line printed in bold above the tables.
# BENCHMARKS_JAR: measure another build; the jar is copied first, so a rebuild cannot change it mid-run.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
source "$here/bench_env.sh"
summary="$root/docs/benchmarks/blas-$(date +%Y-%m-%d).json"
doc="$root/docs/BENCHMARKS.md"

if [[ "${1:-}" == "--report" ]]; then
  shift
  python3 "$here/blas_report.py" --out "$out/blas-$stamp.md" --summary "$summary" --doc "$doc" \
    --note "${NOTE:-}" ${RUN_OPENBLAS_ENV:+--openblas-env "$RUN_OPENBLAS_ENV"} ${SETTINGS:+--settings "$SETTINGS"} "$@"
  exit 0
fi

jmh=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
params=()
routing=false
case "${1:-}" in
  --routing) routing=true ;;
  --smoke)
    jmh=(-f 1 -wi 0 -i 1 -r 200ms)
    params=(-p n=64)
    scratch="${SCRATCH:-$out/smoke-$stamp}"
    mkdir -p "$scratch"
    cp "$doc" "$scratch/BENCHMARKS.md"
    doc="$scratch/BENCHMARKS.md"
    summary="$scratch/blas-$(date +%Y-%m-%d).json" ;;
  "") ;;
  *) echo "unknown option $1 (--routing, --smoke, --report)" >&2; exit 2 ;;
esac

source_jar="${BENCHMARKS_JAR:-$here/target/benchmarks.jar}"
if [[ ! -f "$source_jar" ]]; then
  (cd "$root" && mvn -o -q -pl benchmarks -am package -DskipTests)
fi
jar="$out/blas-$stamp.jar"
cp "$source_jar" "$jar"
trap 'rm -f "$jar"; drop_jar_cache "$jar"' EXIT

if $routing; then
  "${jvm_env[@]}" java -jar "$jar" 'NativeRoutingBenchmark|EjmlRoutingBenchmark' -rf json -rff "$out/routing-$stamp.json" | tee "$out/routing-$stamp.txt"
fi

"${jvm_env[@]}" java -jar "$jar" 'BlasBenchmark\.' "${jmh[@]}" "${params[@]}" -rf json -rff "$out/blas-$stamp.json" \
  | tee "$out/blas-$stamp.log" | grep -E '^(# Benchmark:|# Parameters:)' || true

python3 "$here/blas_report.py" --out "$out/blas-$stamp.md" --summary "$summary" --doc "$doc" \
  --settings "${jmh[*]}" --note "${NOTE:-}" "${env_args[@]}" "$out/blas-$stamp.json"
echo "Wrote $out/blas-$stamp.md, $summary and the BLAS section of $doc"

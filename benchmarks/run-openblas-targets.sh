#!/usr/bin/env bash
# The openblas-bundled targets, in one run with 3 forks (JMH):
#   * the 1024×1024, B = 256 layer gradient on openblas-bundled within 1.05× of netlib-native's;
#   * that gradient at ≥ 85 % of openblas-bundled's own dgemm rate (its two GEMMs), measured in one fork with the
#     two interleaved (GradientShareBenchmark) and, for reference, across forks (LayerGradientBenchmark.dgemm);
#   * the 64×64, B = 1 gradient on openblas-bundled within 1.2× of the fastest backend;
# each checked on every fork; plus the 2048, B = 1 gradient and dgemm GFLOP/s at n = 1024
# (BlasBenchmark.gemm) on openblas-bundled, netlib-native and netlib-java.
#
#   benchmarks/run-openblas-targets.sh            # ≈ 17 min on 2 cores; writes docs/benchmarks/openblas-targets-<date>.json
#                                                 # and the "openblas-bundled targets" section of docs/BENCHMARKS.md
#   benchmarks/run-openblas-targets.sh --smoke    # 1 fork, 1 short iteration, into SCRATCH (default benchmarks/results/smoke-<time>/)
#   benchmarks/run-openblas-targets.sh --report A.json …   # re-render saved JMH results
#
# Settings: -f 3 -wi 8 -w 1s -i 5 -r 1s; a fork's figure is the median of its 5 iterations. The 8 s of warm-up are
# needed: at 1024/B=256 the methods called once per gradient (≈ 120 calls a second) reach C2 only after 10–14 s,
# and with 3 s of warm-up the first measured iterations still ran ≈ 10 % slower.
# The JVMs run with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset (bench_env.sh; KEEP_OPENBLAS_ENV=1 keeps them).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
source "$here/bench_env.sh"
summary="$root/docs/benchmarks/openblas-targets-$(date +%Y-%m-%d).json"
doc="$root/docs/BENCHMARKS.md"
jmh=(-f 3 -wi 8 -w 1s -i 5 -r 1s)

case "${1:-}" in
  --report)
    shift
    python3 "$here/openblas_targets_report.py" --summary "$summary" --doc "$doc" \
      ${RUN_OPENBLAS_ENV:+--openblas-env "$RUN_OPENBLAS_ENV"} --settings "${SETTINGS:-${jmh[*]}}" "$@"
    exit 0 ;;
  --smoke)
    jmh=(-f 1 -wi 0 -i 1 -r 200ms)
    scratch="${SCRATCH:-$out/smoke-$stamp}"
    mkdir -p "$scratch"
    cp "$doc" "$scratch/BENCHMARKS.md"
    doc="$scratch/BENCHMARKS.md"
    summary="$scratch/openblas-targets-$(date +%Y-%m-%d).json" ;;
  "") ;;
  *) echo "unknown option $1 (--smoke, --report)" >&2; exit 2 ;;
esac

source_jar="${BENCHMARKS_JAR:-$here/target/benchmarks.jar}"
if [[ ! -f "$source_jar" ]]; then
  (cd "$root" && mvn -o -q -B -pl benchmarks -am package -DskipTests)
fi
jar="$out/openblas-targets-$stamp.jar"
cp "$source_jar" "$jar"   # a rebuild during the run cannot change the code measured
trap 'rm -f "$jar"; drop_jar_cache "$jar"' EXIT

backends=openblas-bundled,netlib-native,netlib-java
files=()
run() { # name, JMH arguments…
  local name="$1"; shift
  local f="$out/openblas-targets-$stamp-$name.json"
  "${jvm_env[@]}" java -jar "$jar" "$@" "${jmh[@]}" -rf json -rff "$f" > "$out/openblas-targets-$stamp-$name.log"
  files+=("$f")
}
run layer64 'LayerGradientBenchmark.(sdkGradient|dgemm)$' -p backend=$backends -p size=64 -p batch=1
run layer1024 'LayerGradientBenchmark.(sdkGradient|dgemm)$' -p backend=$backends -p size=1024 -p batch=256
run share1024 'GradientShareBenchmark.interleaved$' -p backend=openblas-bundled -p size=1024 -p batch=256
run layer2048 'LayerGradientBenchmark.(sdkGradient|dgemm)$' -p backend=$backends -p size=2048 -p batch=1
run gemm 'BlasBenchmark.gemm$' -p backend=$backends -p n=1024

python3 "$here/openblas_targets_report.py" --summary "$summary" --doc "$doc" "${env_args[@]}" --settings "${jmh[*]}" "${files[@]}"
echo "wrote $summary and the section of $doc"

#!/usr/bin/env bash
# Runs SparkGradientBenchmark (JMH, in kronograd-spark's test sources): the full-batch gradient of
# N samples through Spark local[1] and local[2] against the same gradient on one machine, once per
# OpenBLAS thread setting, and writes
#   benchmarks/results/spark-<time>-t<threads>.json and .md   raw JMH JSON and the tables (git-ignored)
#   docs/benchmarks/spark-<date>.json                        the summarised results, a few KB: commit it with the tables
#   docs/BENCHMARKS.md                                       the tables of its "Spark" section
#
#   benchmarks/run-spark-benchmarks.sh                         # OPENBLAS_NUM_THREADS=1, then unset: ≈ 14 min on 2 cores
#   THREADS_LIST=1 benchmarks/run-spark-benchmarks.sh          # one setting only (≈ 7 min)
#   benchmarks/run-spark-benchmarks.sh -p width=64             # extra JMH options (parameters, profilers…)
#   benchmarks/run-spark-benchmarks.sh --smoke                 # width 64, local[1], -wi 0 -i 1 -r 200ms, one setting,
#                                                              # into a scratch folder (≈ 1 min after the build)
#   benchmarks/run-spark-benchmarks.sh --report 1=A.json default=B.json   # re-render only
#     (--report: SETTINGS="JMH settings of that run", RUN_OPENBLAS_ENV=unset|kept as that run had it;
#      without RUN_OPENBLAS_ENV the summary records the OpenBLAS environment as unknown)
#
# Settings (JMH_RUN): 1 fork, 3 warm-up + 5 measured iterations of ≥ 3 s; figures are medians over
# iterations. THREADS_LIST (default "1 default"): the OPENBLAS_NUM_THREADS of each run, "default"
# meaning unset (OpenBLAS uses every core). The JVMs run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
# unset unless KEEP_OPENBLAS_ENV=1 (bench_env.sh; recorded in the JSON). --smoke writes to SCRATCH
# (default benchmarks/results/smoke-<time>/), including a copy of BENCHMARKS.md, and leaves docs/
# alone. NOTE (env): a line printed in bold above the tables.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
source "$here/bench_env.sh"
summary="$root/docs/benchmarks/spark-$(date +%Y-%m-%d).json"
doc="$root/docs/BENCHMARKS.md"
settings="${JMH_RUN:--f 1 -wi 3 -w 3s -i 5 -r 3s}"
threads_list="${THREADS_LIST:-1 default}"

if [[ "${1:-}" == "--report" ]]; then
  shift
  python3 "$here/spark_report.py" --out "$out/spark-$stamp.md" --summary "$summary" --doc "$doc" \
    --note "${NOTE:-}" ${RUN_OPENBLAS_ENV:+--openblas-env "$RUN_OPENBLAS_ENV"} ${SETTINGS:+--settings "$SETTINGS"} "$@"
  exit 0
fi

extra=("$@")
if [[ "${1:-}" == "--smoke" ]]; then
  settings="${JMH_RUN:--f 1 -wi 0 -i 1 -r 200ms}"
  threads_list="${THREADS_LIST:-1}"
  extra=(-p width=64 -p 'master=local[1]')
  scratch="${SCRATCH:-$out/smoke-$stamp}"
  mkdir -p "$scratch"
  cp "$doc" "$scratch/BENCHMARKS.md"
  doc="$scratch/BENCHMARKS.md"
  summary="$scratch/spark-$(date +%Y-%m-%d).json"
fi

cp_file="$out/spark-classpath-$stamp.txt"
# One reactor build: Kronograd's own modules come from their target/ folders, not from ~/.m2
# (the class path of the last module built, kronograd-spark, is the one left in the file).
(cd "$root" && mvn -o -q -B -pl spark -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file")
classpath="$root/spark/target/test-classes:$root/spark/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
# Spark's JVM options (--add-opens …), from the root pom's spark.jvm.options property.
opens="$(python3 -c 'import re, sys; m = re.search(r"<spark\.jvm\.options>([^<]*)</spark\.jvm\.options>", open(sys.argv[1]).read()); print(" ".join(m.group(1).split())) if m else sys.exit("no <spark.jvm.options> in " + sys.argv[1])' "$root/pom.xml")"

runs=()
for threads in $threads_list; do
  json="$out/spark-$stamp-t$threads.json"
  if [[ "$threads" == default ]]; then
    threads_env=(-u OPENBLAS_NUM_THREADS)
  else
    threads_env=(OPENBLAS_NUM_THREADS="$threads")
  fi
  echo "# OPENBLAS_NUM_THREADS=$threads"
  # shellcheck disable=SC2086
  "${jvm_env[@]}" "${threads_env[@]}" SPARK_LOCAL_IP=127.0.0.1 java $opens -cp "$classpath" org.openjdk.jmh.Main \
    SparkGradientBenchmark $settings -jvmArgsAppend "$opens -Xmx6g" -rf json -rff "$json" "${extra[@]}" \
    | tee -a "$out/spark-$stamp.log" | grep -E '^(# Benchmark:|# Parameters:)' || true
  runs+=("$threads=$json")
done

python3 "$here/spark_report.py" --out "$out/spark-$stamp.md" --summary "$summary" --doc "$doc" \
  --settings "$settings" --note "${NOTE:-}" "${env_args[@]}" "${runs[@]}"
echo "Wrote $out/spark-$stamp.md, $summary and the Spark section of $doc"

#!/usr/bin/env bash
# Kronograd's `bench` beside its peers (numpy, DJL/PyTorch) on one grid, measured in the same run,
# ROUNDS times, so that each cell carries the spread over rounds:
#
#   for each round: Kronograd `bench` for each backend in BACKENDS over SIZES × BATCHES (one JVM per cell,
#                   WARMUP_MS of warm-up, --compact JSON), then the peers' bench.sh (LIBS, COPY_OUT=1,
#                   WAIT_IDLE=0, 2 threads) over the same grid
#
# and writes
#   benchmarks/results/peers-<time>/                  every round's raw output (Kronograd JSON lines, peers' CSV and log)
#   docs/benchmarks/peers-<date>.json                 the summarised results: per cell and library each round's median,
#                                                     the median over rounds and the min–max over rounds; machine,
#                                                     versions, OpenBLAS environment, commit, settings
#   docs/BENCHMARKS.md                                the table between <!-- peer-grid:begin --> and <!-- peer-grid:end -->
#
#   benchmarks/run-peer-grid.sh                 # 3 rounds × (2 backends × 12 cells + numpy + DJL): ≈ 15 min on 2 cores
#                                               # (a Kronograd cell ≈ 5–8 s: JVM start, 4 s warm-up, 50 timed calls)
#   benchmarks/run-peer-grid.sh --smoke         # SIZES=64 BATCHES=1,32 ROUNDS=2, netlib-native, numpy only, into a scratch folder (≈ 1 min)
#   benchmarks/run-peer-grid.sh --report DIR    # re-render from a saved benchmarks/results/peers-<time>/
#
# Environment (defaults): ROUNDS=3  BACKENDS="netlib-native openblas-bundled"  SIZES=64,256,1024,2048
#   BATCHES=1,32,256  LIBS="numpy djl"  WARMUP_MS=4000
#   KRONOGRAD_JAR=app/cli/target/kronograd.jar (copied first, so a rebuild cannot change it mid-run)
#   PEERS_DIR=../shared/peers (copied to a temporary folder, it may be read-only)
#   PEERS_JAVA_TARGET: an already built peers java/target, with DJL's PyTorch cache (e.g. /tmp/peers/java/target);
#     unset: PEERS_DIR/java/target if built, else the copy's java part is built (`mvn -o -q package -DskipTests`)
#   SCRATCH: write the summary and a copy of BENCHMARKS.md there instead of docs/ (set by --smoke)
#   NOTE: a line printed in bold above the table
# The peers run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (bench.sh does it); Kronograd's JVMs too,
# unless KEEP_OPENBLAS_ENV=1 (bench_env.sh; recorded in the JSON). OPENBLAS_NUM_THREADS is left to each
# library's default for Kronograd (netlib-native: OpenBLAS's own; openblas-bundled: its thread policy);
# bench.sh sets 2 threads for the peers.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
source "$here/bench_env.sh"
summary="$root/docs/benchmarks/peers-$(date +%Y-%m-%d).json"
doc="$root/docs/BENCHMARKS.md"

if [[ "${1:-}" == "--report" ]]; then
  [[ -d "${2:-}" ]] || { echo "--report needs a results folder (benchmarks/results/peers-<time>/)" >&2; exit 2; }
  if [[ -n "${SCRATCH:-}" ]]; then
    mkdir -p "$SCRATCH"; cp "$doc" "$SCRATCH/BENCHMARKS.md"; doc="$SCRATCH/BENCHMARKS.md"
    summary="$SCRATCH/peers-$(date +%Y-%m-%d).json"
  fi
  python3 "$here/peer_grid_report.py" --dir "$2" --summary "$summary" --doc "$doc" --note "${NOTE:-}"
  exit 0
fi

if [[ "${1:-}" == "--smoke" ]]; then
  SIZES=64 BATCHES=1,32 ROUNDS=2 BACKENDS=netlib-native LIBS=numpy
  SCRATCH="${SCRATCH:-$out/smoke-$stamp}"
elif [[ -n "${1:-}" ]]; then
  echo "unknown option $1 (--smoke, --report DIR)" >&2; exit 2
fi
rounds="${ROUNDS:-3}"
backends="${BACKENDS:-netlib-native openblas-bundled}"
sizes="${SIZES:-64,256,1024,2048}"
batches="${BATCHES:-1,32,256}"
libs="${LIBS:-numpy djl}"
warmup_ms="${WARMUP_MS:-4000}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer, got '$rounds'" >&2; exit 2; }
if [[ -n "${SCRATCH:-}" ]]; then
  mkdir -p "$SCRATCH"
  cp "$doc" "$SCRATCH/BENCHMARKS.md"
  doc="$SCRATCH/BENCHMARKS.md"
  summary="$SCRATCH/peers-$(date +%Y-%m-%d).json"
fi

work="$out/peers-$stamp"
mkdir -p "$work"
source_jar="${KRONOGRAD_JAR:-$root/app/cli/target/kronograd.jar}"
[[ -f "$source_jar" ]] || { echo "no Kronograd CLI jar at $source_jar: build it (mvn -o -q -pl app/cli -am package -DskipTests) or set KRONOGRAD_JAR" >&2; exit 2; }
jar="$work/kronograd.jar"
cp "$source_jar" "$jar"
peers_src="${PEERS_DIR:-$root/../shared/peers}"
[[ -f "$peers_src/bench.sh" ]] || { echo "no peers' bench.sh in $peers_src: set PEERS_DIR" >&2; exit 2; }
peers="$(mktemp -d "${TMPDIR:-/tmp}/kronograd-peers.XXXXXX")"
trap 'rm -rf "$peers" "$jar"' EXIT
(cd "$peers_src" && tar --exclude=./results --exclude=./java/target -cf - .) | (cd "$peers" && tar -xf -)
if [[ " $libs " == *" djl "* || " $libs " == *" nd4j "* ]]; then
  if [[ -n "${PEERS_JAVA_TARGET:-}" ]]; then
    [[ -f "$PEERS_JAVA_TARGET/classpath.txt" ]] || { echo "PEERS_JAVA_TARGET=$PEERS_JAVA_TARGET is not a built peers java/target (no classpath.txt)" >&2; exit 2; }
    ln -s "$PEERS_JAVA_TARGET" "$peers/java/target"
  elif [[ -f "$peers_src/java/target/classpath.txt" ]]; then
    ln -s "$peers_src/java/target" "$peers/java/target"
  else
    # A fresh build: DJL then needs its PyTorch native cache (java/target/djl-cache), downloaded on a first online run.
    (cd "$peers/java" && mvn -o -q package -DskipTests)
  fi
fi

{ echo "rounds=$rounds"; echo "backends=$backends"; echo "sizes=$sizes"; echo "batches=$batches"; echo "libs=$libs"
  echo "warmup_ms=$warmup_ms"; echo "openblas_env=$openblas_env"; echo "jvm_openblas_vars=$jvm_openblas_vars"
  echo "kronograd_jar=$source_jar"; echo "kronograd_jar_sha256=$(sha256sum "$jar" | cut -d' ' -f1)"
  echo "peers_dir=$peers_src"; echo "started=$(date -u +%FT%TZ)"; } > "$work/settings.txt"

for ((round = 1; round <= rounds; round++)); do
  echo "# round $round of $rounds: Kronograd ($backends)"
  for backend in $backends; do
    for s in ${sizes//,/ }; do
      for b in ${batches//,/ }; do
        line="$("${jvm_env[@]}" java --add-modules=jdk.incubator.vector -jar "$jar" bench --m "$s" --n "$s" --batch "$b" \
          --backend "$backend" --warmup-ms "$warmup_ms" --compact 2>>"$work/kronograd-round$round.log")" \
          || { echo "kronograd bench failed for $backend m=$s B=$b (see $work/kronograd-round$round.log)" >&2; exit 1; }
        echo "$line" >> "$work/kronograd-round$round.jsonl"
        echo "  $backend m=$s B=$b: $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["median_ms"], "ms")' "$line")"
      done
    done
  done
  echo "# round $round of $rounds: peers ($libs)"
  (cd "$peers" && env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LIBS="$libs" COPY_OUT=1 WAIT_IDLE=0 \
     SIZES="$sizes" BATCHES="$batches" ./bench.sh 2 "-round$round" > /dev/null)
  cp "$peers/results/timing-2t-round$round.csv" "$work/peers-round$round.csv"
  cp "$peers/results/timing-2t-round$round.log" "$work/peers-round$round.log"
done
echo "finished=$(date -u +%FT%TZ)" >> "$work/settings.txt"

python3 "$here/peer_grid_report.py" --dir "$work" --summary "$summary" --doc "$doc" --note "${NOTE:-}"
echo "Wrote $work/, $summary and the peer-grid section of $doc"

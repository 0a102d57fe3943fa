#!/usr/bin/env bash
# Throughput and p50/p99 latency of `kronograd serve` (POST /v1/gradient) at 1, 8, 64 and 256
# concurrent clients, for a 64×64, B = 8 gradient and a 1024×1024, B = 256 one, with a closed-loop
# load generator (benchmarks/service/LoadGen.java, each client its own HTTP/1.1 connection) on
# 127.0.0.1. Each jar given is measured in turn, in the same session: e.g. the Jetty service and the
# previous JDK-server one, built from an earlier commit, for a before/after table.
#
#   benchmarks/run-service-benchmarks.sh                               # app/cli/target/kronograd.jar
#   benchmarks/run-service-benchmarks.sh new.jar old.jar               # before/after
#   SECONDS_PER_POINT=10 WARMUP=3 CASES=64x64x8 CLIENTS=1,8 benchmarks/run-service-benchmarks.sh
#   SERVER_OPTS="-Dkronograd.backend=openblas-bundled -Dkronograd.openblasThreads=1" benchmarks/run-service-benchmarks.sh
#                                                                      # JVM options for the server (recorded in the report)
#
# The server gets the limits the large case needs (its body is ≈ 25 MB of JSON, P ≈ 1.05 M) and
# OPENBLAS_NUM_THREADS=1 (computations already run on every core). Writes the tables to stdout and
# to benchmarks/results/service-<time>.md. Run it on a quiet machine: it saturates the cores.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out="$here/results"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
source "$here/bench_env.sh" # drop_jar_cache (the server keeps OPENBLAS_CORETYPE/L2_SIZE as set, as before)
measure="${SECONDS_PER_POINT:-10}"
warmup="${WARMUP:-3}"
cases="${CASES:-64x64x8,1024x1024x256}"
clients="${CLIENTS:-1,8,64,256}"
jars=("$@")
if [[ ${#jars[@]} -eq 0 ]]; then
  jars=("$root/app/cli/target/kronograd.jar")
fi

report="$out/service-$stamp.md"
{
  echo "# kronograd serve under load, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
  echo
  echo "Closed loop (a client waits Retry-After after a 503, 1 s after a dropped connection), ${warmup} s warm-up and ${measure} s measured per point (requests that end in it); POST /v1/gradient on 127.0.0.1."
} > "$report"

for jar in "${jars[@]}"; do
  copy="$(mktemp --suffix=.jar)"
  cp "$jar" "$copy" # a rebuild during the run cannot change what is measured
  log="$(mktemp)"
  # shellcheck disable=SC2086 # SERVER_OPTS is a list of JVM options
  OPENBLAS_NUM_THREADS=1 java ${SERVER_OPTS:-} -Dsun.net.httpserver.nodelay=true -jar "$copy" serve --port 0 \
      --max-body-bytes 67108864 --max-parameters 2000000 --max-activations 4000000 --max-batch-size 4096 \
      >"$log" 2>"$log.err" &
  server=$!
  for _ in $(seq 1 300); do
    grep -q "listening on" "$log" && break
    sleep 0.1
  done
  url="$(sed -n 's/^listening on //p' "$log")"
  if [[ -z "$url" ]]; then
    echo "the server of $jar did not start:" >&2
    cat "$log.err" >&2
    kill "$server" 2>/dev/null || true
    exit 1
  fi
  {
    echo
    echo "## $(basename "$jar") ($(unzip -p "$copy" META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: //p' | tr -d '\r'))"
    echo
    echo "Server: OPENBLAS_NUM_THREADS=1${SERVER_OPTS:+, JVM options \`$SERVER_OPTS\`}; backend $(curl -s "$url/v1/backends" | python3 -c 'import json,sys; print(json.load(sys.stdin)["selected"])' 2>/dev/null || echo unknown)."
    echo
    java "$here/service/LoadGen.java" "$url" "$measure" "$warmup" "$cases" "$clients"
  } | tee -a "$report"
  kill -TERM "$server"
  wait "$server" || true
  rm -f "$copy" "$log" "$log.err"
  drop_jar_cache "$copy"
done
echo
echo "written: $report"

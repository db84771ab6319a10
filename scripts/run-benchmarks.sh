#!/usr/bin/env bash
# make bench: every benchmark of a build, each figure beside its ceiling, in one run.
#   1. Google Benchmark binaries (engine, core, store), 5 repetitions, medians and spread.
#   2. vitals serve on loopback: durable batched ingest for 60 s (ceiling: the store's own append
#      rate, from step 1), detection latency, agent health reads at 100,000 agents.
#   3. The PostgreSQL store's batched ingest (COPY and pipelined INSERT) beside psql's \copy of
#      the same rows, and its agent read latency.
#   4. Single-event POSTs under wrk beside nginx `return 204`.
# Usage: run-benchmarks.sh BUILD_DIR [INGEST_SECONDS]
set -euo pipefail
build=${1:-build}
ingest_seconds=${2:-60}
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
for bench in $(find "$build/src" -name '*_benchmark' -type f -executable ! -name serve_benchmark | sort); do
  echo
  echo "== $(basename "$bench")"
  "$bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_display_aggregates_only=true 2>&1 | grep -Ev '^\*\*\*|^$' | grep -Ev '_(mean|cv)( |$)'
done
echo
echo "== serve_benchmark (the real binary on loopback)"
"$build/src/server/app/serve_benchmark" ingest --seconds "$ingest_seconds"
"$build/src/server/app/serve_benchmark" detect
"$build/src/server/app/serve_benchmark" read --seconds 20
echo
echo "== PostgreSQL store (issue 16): durable ingest beside psql's \\copy, server fsync on"
VITALS_TEST_PG_FSYNC=on bash "$(dirname "$0")/../src/collect/testing/with_databases.sh" \
  "$build/src/store/postgres/postgres_ingest_bench" 300000 3
echo
echo "== cluster (issue 16): durable ingest through 1, 2, 3 nodes sharing PostgreSQL + Redis"
for nodes in 1 2 3; do  # each in fresh servers: a node joining restores from the log
  VITALS_TEST_PG_FSYNC=on bash "$(dirname "$0")/../src/collect/testing/with_databases.sh" \
    "$build/src/server/app/serve_cluster_bench" --seconds 15 --nodes "$nodes"
done
echo
echo "== single-event POSTs vs nginx (wrk, 64 connections, keep-alive)"
bash "$(dirname "$0")/bench/http-vs-nginx.sh" "$build" 10 5

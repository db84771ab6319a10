#!/usr/bin/env bash
# Runs every benchmark binary of a build (make bench), each with repetitions, and prints the
# median of each figure beside its spread. Usage: run-benchmarks.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
for bench in $(find "$build/src" -name '*_benchmark' -type f -executable | sort); do
  echo
  echo "== $(basename "$bench")"
  "$bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_display_aggregates_only=true 2>&1 | grep -Ev '^\*\*\*|^$' | grep -Ev '_(mean|cv)( |$)'
done

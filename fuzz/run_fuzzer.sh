#!/usr/bin/env bash
# Runs one libFuzzer harness for a bounded time: run_fuzzer.sh HARNESS SEEDS WORKDIR SECONDS
# (FUZZ_SECONDS in the environment overrides SECONDS). Fails on a finding; the input that found
# it is saved in WORKDIR as crash-*, leak-* or timeout-*, to replay with `HARNESS FILE`.
set -euo pipefail
harness=$1 seeds=$2 work=$3
seconds=${FUZZ_SECONDS:-$4}
mkdir -p "$work/corpus"
# The first directory receives what the run discovers; the committed seeds are only read.
exec "$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/" -print_final_stats=1 "$work/corpus" "$seeds"

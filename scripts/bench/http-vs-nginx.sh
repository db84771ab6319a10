#!/usr/bin/env bash
# Single-event POSTs to `vitals serve` (keep-alive, wrk, 64 connections) beside the ceiling: nginx
# answering `return 204` on the same machine, in the same run. Both servers stay up; each round
# measures nginx and then vitals, so a drift in the machine's speed hits both alike. Prints each
# round's rates, p99s and ratio, then the medians. A 5 s warm-up of each precedes the rounds.
# Usage: http-vs-nginx.sh BUILD_DIR [SECONDS_PER_RUN] [ROUNDS]
set -euo pipefail
build=$(realpath "${1:-build}")
seconds=${2:-15}
rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/vitals-wrk.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
rate() { awk '/Requests\/sec/{print $2}' "$1"; }
p99() { awk '$1=="99%"{print $2}' "$1"; }

# nginx: as fast as this machine answers HTTP at all.
nginx_port=$(free_port)
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; location / { return 204; } }
}
CONF
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
wait_port "$nginx_port"

# vitals: the same requests, each event durable before its 200.
vitals_port=$(free_port)
"$build/vitals" serve --listen "127.0.0.1:$vitals_port" --db "$work/vitals.db" --log-level ERROR \
  > /dev/null &
pids+=($!)
wait_port "$vitals_port"

# Warm-up, not counted: a new database's first seconds grow its WAL file to its working size
# (extending writes cost about twice as much as overwrites on this disk); a running server is
# past that.
for port_path in "$nginx_port/" "$vitals_port/api/v1/executions"; do
  wrk -t2 -c64 -d5s -s "$here/post_execution.lua" "http://127.0.0.1:$port_path" > /dev/null
done

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
: > "$work/rounds"
for r in $(seq "$rounds"); do
  wrk -t2 -c64 -d"${seconds}s" --latency -s "$here/post_execution.lua" \
    "http://127.0.0.1:$nginx_port/" > "$work/nginx.txt"
  wrk -t2 -c64 -d"${seconds}s" --latency -s "$here/post_execution.lua" \
    "http://127.0.0.1:$vitals_port/api/v1/executions" > "$work/vitals.txt"
  grep -E "Non-2xx|Socket errors" "$work/vitals.txt" || true
  n=$(rate "$work/nginx.txt"); v=$(rate "$work/vitals.txt")
  echo "$n $v $(awk -v v="$v" -v n="$n" 'BEGIN{printf "%.3f", v/n}')" >> "$work/rounds"
  printf 'round %d  nginx_return_204 requests_per_s=%s p99=%s  vitals_post_execution requests_per_s=%s p99=%s  ratio=%.2f\n' \
    "$r" "$n" "$(p99 "$work/nginx.txt")" "$v" "$(p99 "$work/vitals.txt")" \
    "$(awk -v v="$v" -v n="$n" 'BEGIN{print v/n}')"
done
accepted=$(curl -s "http://127.0.0.1:$vitals_port/metrics" |
  awk '/^vitals_ingest_executions_total\{result="accepted"\}/{print $2}')

printf 'nginx_return_204        median_requests_per_s=%.0f\n' "$(awk '{print $1}' "$work/rounds" | median)"
printf 'vitals_post_execution   median_requests_per_s=%.0f  events_accepted=%s\n' \
  "$(awk '{print $2}' "$work/rounds" | median)" "${accepted:-?}"
printf 'ratio_vitals_to_nginx   median %.2f of %d rounds  (target >= 0.50)\n' \
  "$(awk '{print $3}' "$work/rounds" | median)" "$rounds"

#!/usr/bin/env bash
# Runs a test binary against a real Prometheus Alertmanager: starts Debian's
# /usr/bin/prometheus-alertmanager on a free loopback port (no clustering, state in a temporary
# directory), waits until /-/ready answers 200, runs "$@" with ALERTMANAGER_URL set, and always
# stops Alertmanager and removes its directory.
set -uo pipefail

AM=${ALERTMANAGER_BIN:-/usr/bin/prometheus-alertmanager}
if [ ! -x "$AM" ]; then
  echo "run_with_alertmanager: $AM not found (install prometheus-alertmanager)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/vitals-am-XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

cat >"$dir/alertmanager.yml" <<'YAML'
route:
  receiver: blackhole
  group_wait: 1s
receivers:
  - name: blackhole
YAML

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# 200 when GET /-/ready on $1 answers 200.
ready() {
  local reply
  exec 4<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null || return 1
  printf 'GET /-/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&4
  read -r -t 2 reply <&4
  exec 4>&-
  [[ "$reply" == *" 200 "* ]]
}

for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  port_in_use "$port" && continue
  "$AM" --config.file="$dir/alertmanager.yml" --storage.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" --cluster.listen-address= \
    --log.level=warn >"$dir/alertmanager.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    ready "$port" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if ready "$port"; then
    ALERTMANAGER_URL="http://127.0.0.1:$port" "$@"
    exit $?
  fi
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=""
done
echo "run_with_alertmanager: Alertmanager did not become ready; its log:" >&2
cat "$dir/alertmanager.log" >&2
exit 1

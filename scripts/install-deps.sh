#!/usr/bin/env bash
# Installs every package vitals needs to build and test, from Debian's archive.
# Idempotent and quiet when everything is present, so `make` can call it every time.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git clang-format
  libboost1.81-dev libsimdjson-dev libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev libssl-dev libpq-dev libhiredis-dev
  # make fuzz (and the bounded fuzz runs of make test): clang with libFuzzer and its sanitizers.
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  # Real servers the integration tests start on loopback.
  prometheus-alertmanager postgresql redis-server
)
# The dashboard (web/): node and npm build it (Debian's, unless one is installed already);
# chromium runs its browser tests.
packages+=(chromium)
command -v npm > /dev/null || packages+=(nodejs npm)
# `install-deps.sh bench` adds what make bench compares against: wrk, and nginx as the ceiling.
if [ "${1:-}" = bench ]; then
  packages+=(wrk nginx-light curl)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# No service starts during installation (nginx, redis, postgresql): make bench and the
# (Tests start their own servers on loopback.)
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}"

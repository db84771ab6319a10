#!/usr/bin/env bash
# Runs a test binary against a throwaway redis-server (with a password) and a throwaway
# PostgreSQL cluster (scram-sha-256 password auth), on free loopback ports, and always stops both.
# Exports VITALS_TEST_REDIS_URL, VITALS_TEST_REDIS_BAD_URL, VITALS_TEST_POSTGRES_URL and
# VITALS_TEST_POSTGRES_BAD_URL (wrong passwords), VITALS_TEST_POSTGRES_STOP and
# VITALS_TEST_POSTGRES_START (commands that stop and start the PostgreSQL server, for outage
# tests), VITALS_TEST_REDIS_STOP and VITALS_TEST_REDIS_START (the same for redis-server, which
# comes back empty: it keeps nothing on disk), then runs "$@". PostgreSQL runs with fsync off
# (tests), on with VITALS_TEST_PG_FSYNC=on (benchmarks).
set -euo pipefail
PG_BIN=/usr/lib/postgresql/15/bin
command -v redis-server >/dev/null || { echo "with_databases: redis-server missing" >&2; exit 1; }
[ -x "$PG_BIN/initdb" ] || { echo "with_databases: PostgreSQL 15 missing" >&2; exit 1; }

work=$(mktemp -d /tmp/vitals-dbs.XXXXXX)
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port)
pg_port=$(free_port)
redis_pid=""
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  [ -f "$work/pg/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  --requirepass redispw --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!

mkdir -p "$work/pg" "$work/sock"
[ "$(id -u)" -eq 0 ] && chown postgres "$work/pg" "$work/sock"
echo pgpw >"$work/pwfile"
chmod 644 "$work/pwfile"
as_postgres "$PG_BIN/initdb" -D "$work/pg" -U postgres --pwfile="$work/pwfile" \
  --auth=scram-sha-256 >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
as_postgres "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/sock/pg.log" -w -t 30 \
  -o "-k $work/sock -p $pg_port -c listen_addresses=127.0.0.1 -c fsync=${VITALS_TEST_PG_FSYNC:-off}" start >/dev/null ||
  { cat "$work/sock/pg.log" >&2; exit 1; }

for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break
  sleep 0.05
done

export VITALS_TEST_REDIS_URL="redis://:redispw@127.0.0.1:$redis_port/0"
export VITALS_TEST_REDIS_BAD_URL="redis://:wrong@127.0.0.1:$redis_port"
cat >"$work/redis-stop.sh" <<STOP
redis-cli -p $redis_port -a redispw --no-auth-warning shutdown nosave >/dev/null 2>&1
while (exec 3<>/dev/tcp/127.0.0.1/$redis_port) 2>/dev/null; do sleep 0.05; done
STOP
cat >"$work/redis-start.sh" <<START
redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \\
  --pidfile $work/redis.pid --requirepass redispw --dir $work --logfile $work/redis.log || exit 1
for _ in \$(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$redis_port) 2>/dev/null && exit 0; sleep 0.05; done
exit 1
START
export VITALS_TEST_REDIS_STOP="bash $work/redis-stop.sh"
export VITALS_TEST_REDIS_START="bash $work/redis-start.sh"
export VITALS_TEST_POSTGRES_URL="postgresql://postgres:pgpw@127.0.0.1:$pg_port/postgres"
export VITALS_TEST_POSTGRES_BAD_URL="postgresql://postgres:wrong@127.0.0.1:$pg_port/postgres"
pg_ctl_as="$PG_BIN/pg_ctl"
[ "$(id -u)" -eq 0 ] && pg_ctl_as="runuser -u postgres -- $PG_BIN/pg_ctl"
export VITALS_TEST_POSTGRES_STOP="$pg_ctl_as -D $work/pg -m fast -w stop >/dev/null"
export VITALS_TEST_POSTGRES_START="$pg_ctl_as -D $work/pg -l $work/sock/pg.log -w -t 30 -o '-k $work/sock -p $pg_port -c listen_addresses=127.0.0.1 -c fsync=${VITALS_TEST_PG_FSYNC:-off}' start >/dev/null"
"$@"

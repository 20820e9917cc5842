#!/usr/bin/env bash
# Measures the server's heap per active user and checks that a run over many distinct users stays
# within a bounded heap, against the local PostgreSQL.
#
# For each user count: a fresh database and server; the live heap after a full GC at rest; load
# that touches every user in turn (--skew cyclic) until each was touched at least once; the live
# heap after a full GC again, the number of active user entities (the pulse_user_entities_active
# gauge), whether the server logged an OutOfMemoryError, and the journal check (event rows against
# acknowledged events). Heap per active user = (live heap after - live heap at rest) / active users.
# The server runs with a random admin key; the load goes through a key whose limits never throttle
# it (bench-keys.sh).
#
#   USER_COUNTS      user counts, space separated                   [100000 1000000]
#   PULSE_HEAP       server heap                                    [4g]
#   CONNECTIONS      closed-model connections                       [16]
#   BATCH            events per request                             [500]
#   DURATION         seconds of load; long enough that events sent >= users     [90]
#   AUDIENCES        audiences defined before the load (0-10, bench-keys.sh)   [0]
#   PGHOST PGPORT PGUSER PGPASSWORD                                 [127.0.0.1 5432 postgres ""]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=loadtest/bench-keys.sh
. loadtest/bench-keys.sh

USER_COUNTS="${USER_COUNTS:-100000 1000000}"
PULSE_HEAP="${PULSE_HEAP:-4g}"
CONNECTIONS="${CONNECTIONS:-16}"
BATCH="${BATCH:-500}"
DURATION="${DURATION:-90}"
AUDIENCES="${AUDIENCES:-0}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGPASSWORD="${PGPASSWORD:-}"
PORT="${PORT:-18779}"
RESULTS="${RESULTS:-loadtest/results/memory-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$RESULTS"

log() { printf '[memory-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qAt "$@"; }
[[ -f api/target/pulse.jar && -f loadtest/target/pulse-loadtest.jar ]] \
  || mvn -B -q -DskipTests package

DB=""
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [[ -z "$DB" ]] || psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  bench_keys_cleanup
}
trap cleanup EXIT
bench_keys_init

# Live heap in bytes after a full collection.
live_heap() {
  jcmd "$SERVER_PID" GC.run >/dev/null
  sleep 1
  # awk reads to the end (no early exit), so the producer never sees a closed pipe.
  jcmd "$SERVER_PID" GC.heap_info | awk '!found && / used /{for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?$/, "", v); print v * 1024; found = 1; break}}'
}

active_users() {
  pulse_curl -s "http://127.0.0.1:$PORT/metrics" | awk '!found && /^pulse_user_entities_active[ {]/{print int($NF); found = 1}'
}

printf 'Audiences defined: %s\n\n' "$AUDIENCES"
printf '| users | heap | events sent (>= users: all touched) | accepted | events/s | active users | live heap at rest MiB | live heap after MiB | heap per active user, bytes | OutOfMemoryError | journal check |\n'
printf '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n'
for users in $USER_COUNTS; do
  DB="pulse_memory_$(date +%s)_$users"
  psql_admin -c "CREATE DATABASE $DB"
  server_log="$RESULTS/server-$users.log"
  PULSE_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" PULSE_DB_USER="$PGUSER" \
    PULSE_DB_PASSWORD="$PGPASSWORD" PULSE_DB_MIGRATE=auto PULSE_HTTP_PORT="$PORT" \
    PULSE_ADMIN_KEY="$BENCH_ADMIN_KEY" \
    PULSE_LOG_LEVEL=WARN java "-Xmx$PULSE_HEAP" -XX:+HeapDumpOnOutOfMemoryError \
    "-XX:HeapDumpPath=$RESULTS" -jar api/target/pulse.jar >"$server_log" 2>&1 &
  SERVER_PID=$!
  until [[ "$(pulse_curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready")" == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited; see $server_log"; exit 1; }
    sleep 0.5
  done
  load_key="$(bench_create_load_key "http://127.0.0.1:$PORT")"
  if (( AUDIENCES > 0 )); then
    bench_define_audiences "http://127.0.0.1:$PORT" "$AUDIENCES"
  fi
  at_rest="$(live_heap)"
  log "$users users: $DURATION s of load, every user in turn"
  PULSE_KEY="$load_key" java -Xmx512m -jar loadtest/target/pulse-loadtest.jar \
    --url "http://127.0.0.1:$PORT" --users "$users" --skew cyclic --events-per-request "$BATCH" --connections "$CONNECTIONS" \
    --warmup 0 --duration "$DURATION" --progress 10 \
    --label "memory-$users" --report "$RESULTS/load-$users.json" >"$RESULTS/load-$users.txt" 2>&1 || true
  read -r sent accepted rate < <(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); t=r['total']; print(t['events'], t['accepted'], r['measured']['eventsPerSecond'])" "$RESULTS/load-$users.json")
  active="$(active_users)"
  after="$(live_heap)"
  per_user="$(awk -v a="$after" -v b="$at_rest" -v n="$active" 'BEGIN {printf "%.0f", (n > 0) ? (a - b) / n : 0}')"
  oom="no"
  grep -q "OutOfMemoryError" "$server_log" && oom="YES"
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  rows="$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -qAt -c \
    "SELECT count(*) FROM event_journal WHERE event_ser_manifest = 'event-recorded'")"
  check="OK ($rows rows)"
  (( rows >= accepted )) || check="MISSING $((accepted - rows)) of $accepted"
  printf '| %s | %s | %s | %s | %.0f | %s | %.0f | %.0f | %s | %s | %s |\n' "$users" "$PULSE_HEAP" \
    "$sent" "$accepted" "$rate" "$active" "$(awk -v v="$at_rest" 'BEGIN {print v / 1048576}')" \
    "$(awk -v v="$after" 'BEGIN {print v / 1048576}')" "$per_user" "$oom" "$check"
  psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  DB=""
done

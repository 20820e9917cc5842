#!/usr/bin/env bash
# Measures re-scoring after a model change against the local PostgreSQL: users/s and events/s
# replayed, and what ingestion achieves while it runs compared with before.
#
#   USERS            users given a history                        [20000]
#   FILL_SECONDS     seconds of load that builds the history      [30]
#   LOAD_SECONDS     seconds of each ingestion measurement        [20]
#
# The server runs with a random admin key; the load goes through a key whose limits never throttle
# it (bench-keys.sh).
#
#   PULSE_HEAP       server heap                                  [2g]
#   PGHOST PGPORT PGUSER PGPASSWORD                               [127.0.0.1 5432 postgres ""]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=loadtest/bench-keys.sh
. loadtest/bench-keys.sh

USERS="${USERS:-20000}"
FILL_SECONDS="${FILL_SECONDS:-30}"
LOAD_SECONDS="${LOAD_SECONDS:-20}"
PULSE_HEAP="${PULSE_HEAP:-2g}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGPASSWORD="${PGPASSWORD:-}"
PORT="${PORT:-18777}"
DB="pulse_rescore_$(date +%s)"
RESULTS="${RESULTS:-loadtest/results/rescore-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$RESULTS"

log() { printf '[rescore-bench] %s\n' "$*" >&2; }
psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qAt "$@"; }
[[ -f api/target/pulse.jar && -f loadtest/target/pulse-loadtest.jar ]] \
  || mvn -B -q -DskipTests package

psql_admin -c "CREATE DATABASE $DB"
SERVER_PID=""
cleanup() {
  # Each step on its own: under set -e the server's exit status would end the trap early.
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  bench_keys_cleanup
}
trap cleanup EXIT
bench_keys_init

PULSE_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" PULSE_DB_USER="$PGUSER" \
  PULSE_DB_PASSWORD="$PGPASSWORD" PULSE_DB_MIGRATE=auto PULSE_HTTP_PORT="$PORT" \
  PULSE_ADMIN_KEY="$BENCH_ADMIN_KEY" PULSE_LOG_LEVEL=WARN java "-Xmx$PULSE_HEAP" -jar api/target/pulse.jar >"$RESULTS/server.log" 2>&1 &
SERVER_PID=$!
until [[ "$(pulse_curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready")" == 200 ]]; do
  kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited; see $RESULTS/server.log"; exit 1; }
  sleep 0.5
done
LOAD_KEY="$(bench_create_load_key "http://127.0.0.1:$PORT")"

load() {
  PULSE_KEY="$LOAD_KEY" java -Xmx512m -jar loadtest/target/pulse-loadtest.jar --url "http://127.0.0.1:$PORT" \
    --users "$USERS" --events-per-request 500 --connections 8 --warmup 0 \
    --duration "$1" --progress 0 --label "$2" --user-prefix "$3" --report "$RESULTS/$2.json" \
    >"$RESULTS/$2.txt" 2>&1 || true
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['measured']['eventsPerSecond'], r['total']['accepted'])" "$RESULTS/$2.json"
}

log "building a history for $USERS users"
read -r fill_rate filled < <(load "$FILL_SECONDS" fill u-)
log "history: $filled events ($fill_rate events/s)"
read -r before_rate _ < <(load "$LOAD_SECONDS" before other-)
log "ingestion before the change: $before_rate events/s"

model="$(pulse_curl -s "http://127.0.0.1:$PORT/v1/models/engagement" | python3 -c '
import json,sys
m=json.load(sys.stdin)
for k in ("id","version","rescoring"): m.pop(k,None)
m["halfLifeDays"]=45
print(json.dumps(m))')"
started=$(date +%s.%N)
pulse_curl -s -o /dev/null -X PUT -H 'Content-Type: application/json' -d "$model" \
  "http://127.0.0.1:$PORT/v1/models/engagement"
read -r during_rate _ < <(load "$LOAD_SECONDS" during more-)
log "ingestion during re-scoring: $during_rate events/s"
while :; do
  progress="$(pulse_curl -s "http://127.0.0.1:$PORT/v1/models/engagement" | python3 -c '
import json,sys; r=json.load(sys.stdin).get("rescoring") or {}
print(r.get("done",0), r.get("total",-1), str(r.get("finished",False)).lower())')"
  read -r done total finished <<<"$progress"
  [[ "$finished" == true ]] && break
  sleep 0.5
done
ended=$(date +%s.%N)
events="$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -qAt -c \
  "SELECT count(*) FROM event_journal WHERE event_ser_manifest = 'event-recorded'")"
python3 - "$started" "$ended" "$total" "$events" "$before_rate" "$during_rate" <<'PY'
import sys
started, ended, users, events, before, during = map(float, sys.argv[1:])
seconds = ended - started
print(f"re-scored {int(users)} users ({int(events)} journaled events) in {seconds:.1f} s: "
      f"{users/seconds:.0f} users/s, {events/seconds:.0f} events/s; ingestion {before:.0f} events/s "
      f"before, {during:.0f} events/s during ({during/before:.0%})")
PY

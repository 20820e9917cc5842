#!/usr/bin/env bash
# Measures how long one user with a long history takes to recover, with and without snapshots,
# against the local PostgreSQL.
#
# For each snapshot setting: a fresh database and server; EVENTS events for one user (500 per
# request); then, SAMPLES times, a restart of the server and a timed first read of that user, which
# has to recover it (snapshot, then the events after it), followed by warm reads of the same user.
# A read of a user without history comes first after each start, so that the node's first shard
# allocation is not counted. The recovery figure is the first read minus the median warm read.
# Every request carries the server's admin key, random per run (bench-keys.sh).
#
#   EVENTS           events of the user                             [10000]
#   SNAPSHOT_EVERY   snapshot settings to compare, space separated  [1000000 1000]
#                    (1000000 means no snapshot within EVENTS events)
#   SAMPLES          restarts per setting                           [5]
#   PULSE_HEAP       server heap                                    [1g]
#   PGHOST PGPORT PGUSER PGPASSWORD                                 [127.0.0.1 5432 postgres ""]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=loadtest/bench-keys.sh
. loadtest/bench-keys.sh

EVENTS="${EVENTS:-10000}"
SNAPSHOT_EVERY="${SNAPSHOT_EVERY:-1000000 1000}"
SAMPLES="${SAMPLES:-5}"
PULSE_HEAP="${PULSE_HEAP:-1g}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGPASSWORD="${PGPASSWORD:-}"
PORT="${PORT:-18778}"
USER_ID="recovering-user"
RESULTS="${RESULTS:-loadtest/results/recovery-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$RESULTS"

log() { printf '[recovery-bench] %s\n' "$*" >&2; }
psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qAt "$@"; }
[[ -f api/target/pulse.jar ]] || mvn -B -q -DskipTests package

DB=""
SERVER_PID=""
stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup() {
  stop_server
  [[ -z "$DB" ]] || psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  bench_keys_cleanup
}
trap cleanup EXIT
bench_keys_init

start_server() {
  PULSE_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" PULSE_DB_USER="$PGUSER" \
    PULSE_DB_PASSWORD="$PGPASSWORD" PULSE_DB_MIGRATE=auto PULSE_HTTP_PORT="$PORT" \
    PULSE_SNAPSHOT_EVERY="$1" PULSE_LOG_LEVEL=WARN PULSE_ADMIN_KEY="$BENCH_ADMIN_KEY" \
    java "-Xmx$PULSE_HEAP" -jar api/target/pulse.jar >>"$RESULTS/server-$1.log" 2>&1 &
  SERVER_PID=$!
  until [[ "$(pulse_curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready")" == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited; see $RESULTS"; exit 1; }
    sleep 0.2
  done
}

# One request of 500 events of the user, ids from $1.
post_events() {
  local first="$1" body="[" i types=(email_open email_click page_view app_session push_click)
  for ((i = first; i < first + 500; i++)); do
    body+="{\"eventId\":\"r-$i\",\"userId\":\"$USER_ID\",\"type\":\"${types[i % 5]}\",\"channel\":\"web\"}"
    ((i < first + 499)) && body+=","
  done
  body+="]"
  local status
  status="$(pulse_curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/v1/events" \
    -H 'Content-Type: application/json' --data-binary "$body")"
  [[ "$status" == 202 ]] || { log "POST answered $status"; exit 1; }
}

read_user() {
  local timing
  timing="$(pulse_curl -s -o /dev/null -w '%{http_code} %{time_total}' "http://127.0.0.1:$PORT/v1/users/$USER_ID")"
  [[ "${timing%% *}" == 200 ]] || { log "GET /v1/users/$USER_ID answered ${timing%% *}"; exit 1; }
  printf '%s\n' "${timing#* }"
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

printf '| snapshot every | journal rows | snapshots | replayed after the snapshot | first read, median s | warm read, median s | recovery, median ms | samples (first read s) |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---|\n'
for every in $SNAPSHOT_EVERY; do
  DB="pulse_recovery_$(date +%s)_$every"
  psql_admin -c "CREATE DATABASE $DB"
  start_server "$every"
  log "snapshot every $every: writing $EVENTS events of one user"
  for ((n = 0; n < EVENTS; n += 500)); do
    post_events "$n"
  done
  stop_server
  rows="$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -qAt -c \
    "SELECT count(*) FROM event_journal WHERE persistence_id LIKE '%$USER_ID'")"
  snapshots="$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -qAt -c \
    "SELECT count(*) FROM snapshot WHERE persistence_id LIKE '%$USER_ID'")"
  replayed="$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -qAt -c \
    "SELECT count(*) FROM event_journal j WHERE persistence_id LIKE '%$USER_ID' AND sequence_number >
       (SELECT coalesce(max(sequence_number), 0) FROM snapshot s WHERE s.persistence_id = j.persistence_id)")"
  firsts=()
  warms=()
  for ((s = 1; s <= SAMPLES; s++)); do
    start_server "$every"
    # A user without history first, so the node's first shard allocation is not counted.
    pulse_curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/users/nobody-$s"
    firsts+=("$(read_user)")
    for w in 1 2 3 4 5; do warms+=("$(read_user)"); done
    stop_server
  done
  first_median="$(printf '%s\n' "${firsts[@]}" | median)"
  warm_median="$(printf '%s\n' "${warms[@]}" | median)"
  recovery_ms="$(awk -v f="$first_median" -v w="$warm_median" 'BEGIN {printf "%.0f", (f - w) * 1000}')"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$every" "$rows" "$snapshots" "$replayed" \
    "$first_median" "$warm_median" "$recovery_ms" "${firsts[*]}"
  psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  DB=""
done

#!/usr/bin/env bash
# What a tenant costs: the transition feed with many tenants against the local PostgreSQL.
#
# For each tenant count: a fresh database and server. The default tenant takes the load (open
# model, so that every run sends the same events); every other tenant is idle, with an admin key,
# a webhook subscription and an open SSE stream of its own, as a tenant whose app is quiet at the
# moment. The default tenant has an SSE stream too. Measured twice per run, with the server idle
# and under load: PostgreSQL transactions and rows read per second in the benchmark database
# (pg_stat_database), server CPU (utime + stime of its process), server threads, and the journal
# rows written by subscription entities (their positions). A feed that polled per tenant, or a
# subscription that recorded a position for every tenant's traffic, shows up here as a cost that
# grows with the tenant count.
#
#   TENANT_COUNTS   tenant counts, space separated (1 = only the loaded default tenant) [1 100]
#   USERS           distinct users of the loaded tenant                 [10000]
#   RATE            events/s sent to the loaded tenant (open model)     [2000]
#   BATCH           events per request                                  [50]
#   IDLE            seconds measured with no load                       [30]
#   DURATION        seconds measured under load (after a 15 s warm-up)  [60]
#   PULSE_HEAP      server heap                                         [2g]
#   PGHOST PGPORT PGUSER PGPASSWORD                                     [127.0.0.1 5432 postgres ""]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=loadtest/bench-keys.sh
. "$ROOT/loadtest/bench-keys.sh"

TENANT_COUNTS="${TENANT_COUNTS:-1 100}"
USERS="${USERS:-10000}"
RATE="${RATE:-2000}"
BATCH="${BATCH:-50}"
IDLE="${IDLE:-30}"
DURATION="${DURATION:-60}"
WARMUP=15
PULSE_HEAP="${PULSE_HEAP:-2g}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER PGPASSWORD="${PGPASSWORD:-}"
PORT="${PORT:-18781}"
RESULTS="${RESULTS:-$ROOT/loadtest/results/tenants-$(date -u +%Y%m%d-%H%M%S)}"
BENCHMARKS_FILE="${BENCHMARKS_FILE:-$ROOT/BENCHMARKS.md}"
PULSE_JAR="$ROOT/api/target/pulse.jar"
LOADTEST_JAR="$ROOT/loadtest/target/pulse-loadtest.jar"
URL="http://127.0.0.1:$PORT"
# Idle tenants' webhooks point here; nothing listens, and nothing is ever delivered to them.
UNUSED_RECEIVER="http://127.0.0.1:9/hook"

log() { printf '[tenants-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_in() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$1" -v ON_ERROR_STOP=1 -qAt -c "$2"; }

SERVER_PID=""
STREAM_PIDS=()
DATABASE=""
stop_everything() {
  local pid
  for pid in "${STREAM_PIDS[@]+"${STREAM_PIDS[@]}"}"; do
    kill "$pid" 2>/dev/null || true
  done
  STREAM_PIDS=()
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
  if [[ -n "$DATABASE" ]]; then
    psql_admin -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" || true
    DATABASE=""
  fi
}
cleanup() {
  local status=$?
  stop_everything
  bench_keys_cleanup
  rm -rf "${KEY_DIR:-}"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ -f "$PULSE_JAR" && -f "$LOADTEST_JAR" ]] || mvn -B -q -DskipTests package
command -v curl >/dev/null || die "curl not found"
psql_admin -c 'SELECT 1' >/dev/null || die "PostgreSQL not reachable at $PGHOST:$PGPORT"
mkdir -p "$RESULTS"
bench_keys_init
KEY_DIR="$(mktemp -d)"
chmod 700 "$KEY_DIR"

# POST as the default tenant's admin; prints the body, fails unless the status is 201.
admin_post() {
  local answer status
  answer="$(pulse_curl -s -w '\n%{http_code}' -X POST "$URL$1" -H 'Content-Type: application/json' \
    -d "$2")"
  status="${answer##*$'\n'}"
  [[ "$status" == 201 ]] || {
    log "POST $1 answered $status: ${answer%$'\n'*}"
    return 1
  }
  printf '%s' "${answer%$'\n'*}"
}

# An SSE client of one tenant, reading the stream until it is killed; its header file holds the key.
open_stream() {
  curl -s -N -H @"$1" "$URL/v1/transitions/stream" >/dev/null 2>&1 &
  STREAM_PIDS+=("$!")
}

idle_tenant() {
  local id="$1" body key header
  admin_post /v1/tenants "{\"id\": \"$id\"}" >/dev/null
  body="$(admin_post /v1/keys "{\"tenant\": \"$id\", \"name\": \"admin\", \"scopes\": [\"admin\"]}")"
  key="$(sed -n 's/.*"key":"\([A-Za-z0-9_-]*\)".*/\1/p' <<<"$body")"
  [[ -n "$key" ]] || die "no key in the answer for tenant $id"
  header="$KEY_DIR/$id"
  printf 'Authorization: Bearer %s\n' "$key" >"$header"
  local status
  status="$(curl -s -o /dev/null -w '%{http_code}' -H @"$header" -X POST "$URL/v1/subscriptions" \
    -H 'Content-Type: application/json' -d "{\"url\": \"$UNUSED_RECEIVER\"}")"
  [[ "$status" == 201 ]] || die "subscription of $id answered $status"
  open_stream "$header"
}

# One sample: "<xact_commit> <tup_returned+tup_fetched> <server cpu ticks> <subscription rows>".
sample() {
  local stats ticks rows
  stats="$(psql_in "$DATABASE" "SELECT xact_commit, tup_returned + tup_fetched FROM pg_stat_database
    WHERE datname = current_database()" | tr '|' ' ')"
  ticks="$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")"
  rows="$(psql_in "$DATABASE" "SELECT count(*) FROM event_journal
    WHERE persistence_id LIKE 'webhook-subscription|%'")"
  printf '%s %s %s\n' "$stats" "$ticks" "$rows"
}

threads() { awk '/^Threads:/ {print $2}' "/proc/$SERVER_PID/status"; }

# Differences between two samples over SECONDS: "xacts/s rows-read/s cpu% subscription-rows".
rates() {
  local seconds="$1" hz
  hz="$(getconf CLK_TCK)"
  read -r x1 r1 c1 s1 <<<"$2"
  read -r x2 r2 c2 s2 <<<"$3"
  awk -v s="$seconds" -v hz="$hz" -v x="$((x2 - x1))" -v r="$((r2 - r1))" -v c="$((c2 - c1))" \
    -v w="$((s2 - s1))" 'BEGIN {printf "%.1f %.0f %.1f %d", x / s, r / s, 100 * c / hz / s, w}'
}

ROWS=()
for tenants in $TENANT_COUNTS; do
  DATABASE="pulse_tenants_bench_$tenants"
  psql_admin -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)"
  psql_admin -c "CREATE DATABASE $DATABASE"
  log "$tenants tenants: starting Pulse on port $PORT"
  PULSE_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DATABASE" PULSE_DB_USER="$PGUSER" \
    PULSE_DB_PASSWORD="$PGPASSWORD" PULSE_DB_MIGRATE=auto PULSE_HTTP_PORT="$PORT" \
    PULSE_ADMIN_KEY="$BENCH_ADMIN_KEY" PULSE_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8 \
    java "-Xmx$PULSE_HEAP" -jar "$PULSE_JAR" >"$RESULTS/server-$tenants.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/health/ready" || true)" == 200 ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "server exited; see $RESULTS/server-$tenants.log"
    sleep 0.5
  done
  LOAD_KEY="$(bench_create_load_key "$URL")" || die "no load key"
  open_stream "$BENCH_ADMIN_HEADER"
  for ((i = 1; i < tenants; i++)); do
    idle_tenant "$(printf 'tenant-%03d' "$i")"
  done
  log "$((tenants - 1)) idle tenants with a subscription and a stream each; settling 20 s"
  sleep 20

  before="$(sample)"
  sleep "$IDLE"
  idle="$(rates "$IDLE" "$before" "$(sample)")"
  idle_threads="$(threads)"

  log "load: $RATE events/s for $WARMUP s warm-up + $DURATION s"
  PULSE_KEY="$LOAD_KEY" java -Xmx512m -jar "$LOADTEST_JAR" --url "$URL" --users "$USERS" \
    --events-per-request "$BATCH" --rate "$RATE" --duration "$((WARMUP + DURATION))" --warmup 0 \
    --label "tenants-$tenants" --report "$RESULTS/load-$tenants.json" >"$RESULTS/load-$tenants.txt" &
  load_pid=$!
  sleep "$WARMUP"
  before="$(sample)"
  sleep "$DURATION"
  busy="$(rates "$DURATION" "$before" "$(sample)")"
  busy_threads="$(threads)"
  wait "$load_pid" || log "the load generator failed; see $RESULTS/load-$tenants.txt"
  accepted="$(grep -o '"accepted" *: *[0-9]*' "$RESULTS/load-$tenants.json" | head -n 1 |
    grep -o '[0-9]*$' || true)"
  transitions="$(psql_in "$DATABASE" "SELECT count(*) FROM event_journal
    WHERE event_ser_manifest LIKE '%transition%'")"
  log "idle: $idle; load: $busy"
  read -r ix ir ic iw <<<"$idle"
  read -r bx br bc bw <<<"$busy"
  ROWS+=("| $tenants | $ix | $ir | $ic | $iw | $idle_threads | ${accepted:-?} | $transitions | $bx | $br | $bc | $bw | $busy_threads |")
  stop_everything
done

{
  printf '\n## %s — what a tenant costs: the transition feed with many tenants (`loadtest/tenants-bench.sh`)\n\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- Machine: %s cores, %s RAM; PostgreSQL on %s:%s; commit %s; server heap %s\n' "$(nproc)" \
    "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)" "$PGHOST" "$PGPORT" \
    "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$PULSE_HEAP"
  printf -- '- Every tenant but the loaded one is idle with an admin key, a webhook subscription and an'
  printf ' open SSE stream; the loaded (default) tenant has a stream too and gets %s events/s' "$RATE"
  printf ' (open model, %s users, %s events per request); idle window %s s, load window %s s' \
    "$USERS" "$BATCH" "$IDLE" "$DURATION"
  printf ' after a %s s warm-up\n' "$WARMUP"
  printf -- '- DB xacts/s and rows read/s: the benchmark database in `pg_stat_database`; CPU: the server'
  printf ' process (100%% = one core); subscription rows: journal rows written by subscription'
  printf ' entities in the window\n\n'
  printf '| tenants | idle: DB xacts/s | idle: rows read/s | idle: server CPU %% | idle: subscription rows | idle: threads | events accepted | transitions journaled | load: DB xacts/s | load: rows read/s | load: server CPU %% | load: subscription rows | load: threads |\n'
  printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
  printf '%s\n' "${ROWS[@]}"
  printf '\nReports: `%s`\n' "${RESULTS#"$ROOT"/}"
} >>"$BENCHMARKS_FILE"
log "appended to $BENCHMARKS_FILE"

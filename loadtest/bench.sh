#!/usr/bin/env bash
# Pulse end-to-end benchmark.
#
# 1. Builds the jars if they are missing.
# 2. Measures PostgreSQL's own ceiling (binary COPY and batched INSERT of journal-shaped rows).
# 3. For every user count x batch size x run: creates a fresh database, starts the Pulse server on
#    it with a random admin key (PULSE_ADMIN_KEY), creates the load generator's key with limits
#    that never throttle it (bench-keys.sh), drives POST /v1/events, counts the journal rows and
#    compares them with the acknowledged events (warm-up included), and stops the server.
# 4. Appends a dated Markdown section (machine, settings, figures, medians when RUNS > 1) to
#    BENCHMARKS.md at the repository root.
#
# Knobs (environment variables, defaults in brackets):
#   USER_COUNTS       distinct users per run, space separated   [10000 100000 1000000]
#   BATCH_SIZES       events per request, space separated       [1 50 500]
#   RUNS              runs per configuration (medians if > 1)   [1]
#   DURATION          measured seconds per run                  [60]
#   WARMUP            warm-up seconds per run                   [15]
#   RATE              open model target events/s; empty = closed model            []
#   MAX_IN_FLIGHT     open model: most requests outstanding     [256]
#   CONNECTIONS       closed model: connections                 [32]
#   SKEW              uniform | zipf                            [uniform]
#   ZIPF_EXPONENT     Zipf exponent                             [1.0]
#   DUPLICATE_RATIO   fraction of re-sent events                [0]
#   LOADTEST_ARGS     extra arguments for the load generator    []
#   CEILING_ROWS      rows per ceiling method; 0 skips it       [1000000]
#   FRESH_DB_PER_RUN  1: new database and server per run; 0: one for all, journal delta counted [1]
#   JOURNAL_TABLE     journal table                             [event_journal]
#   JOURNAL_MANIFEST  event_ser_manifest of recorded events, or "all"           [event-recorded]
#   PULSE_HEAP        server heap                               [4g]
#   PULSE_JAVA_OPTS   extra server JVM options                  []
#   PULSE_JAVA        the server's java command                 [java]
#   LOADTEST_HEAP     load generator heap                       [512m]
#   READY_TIMEOUT     seconds to wait for /health/ready         [120]
#   PGHOST PGPORT PGUSER PGPASSWORD  PostgreSQL (trusted local auth)  [127.0.0.1 5432 postgres -]
#   RESULTS_DIR       where reports and server logs go          [loadtest/results/<timestamp>]
#   BENCHMARKS_FILE   Markdown file to append to                [BENCHMARKS.md]
#   LABEL             title suffix of the section               []
#   KEEP_DATABASES    1 keeps the benchmark databases           [0]
#   AUDIENCES         audiences defined before the load (0-10, bench-keys.sh)   [0]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=loadtest/bench-keys.sh
. "$ROOT/loadtest/bench-keys.sh"

USER_COUNTS="${USER_COUNTS:-10000 100000 1000000}"
BATCH_SIZES="${BATCH_SIZES:-1 50 500}"
RUNS="${RUNS:-1}"
DURATION="${DURATION:-60}"
WARMUP="${WARMUP:-15}"
RATE="${RATE:-}"
MAX_IN_FLIGHT="${MAX_IN_FLIGHT:-256}"
CONNECTIONS="${CONNECTIONS:-32}"
SKEW="${SKEW:-uniform}"
ZIPF_EXPONENT="${ZIPF_EXPONENT:-1.0}"
DUPLICATE_RATIO="${DUPLICATE_RATIO:-0}"
LOADTEST_ARGS="${LOADTEST_ARGS:-}"
CEILING_ROWS="${CEILING_ROWS:-1000000}"
FRESH_DB_PER_RUN="${FRESH_DB_PER_RUN:-1}"
JOURNAL_TABLE="${JOURNAL_TABLE:-event_journal}"
JOURNAL_MANIFEST="${JOURNAL_MANIFEST:-event-recorded}"
PULSE_HEAP="${PULSE_HEAP:-4g}"
PULSE_JAVA_OPTS="${PULSE_JAVA_OPTS:-}"
PULSE_JAVA="${PULSE_JAVA:-java}"
LOADTEST_HEAP="${LOADTEST_HEAP:-512m}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
PGPASSWORD="${PGPASSWORD:-}"
export PGHOST PGPORT PGUSER PGPASSWORD
STAMP="$(date -u +%Y%m%d_%H%M%S)"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/loadtest/results/$STAMP}"
BENCHMARKS_FILE="${BENCHMARKS_FILE:-$ROOT/BENCHMARKS.md}"
LABEL="${LABEL:-}"
KEEP_DATABASES="${KEEP_DATABASES:-0}"
AUDIENCES="${AUDIENCES:-0}"

PULSE_JAR="$ROOT/api/target/pulse.jar"
LOADTEST_JAR="$ROOT/loadtest/target/pulse-loadtest.jar"
DB_PREFIX="pulse_bench_${STAMP}"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

require_number() {
  local name="$1" value="$2"
  [[ "$value" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "$name must be a number, got '$value'"
}

for knob in RUNS DURATION WARMUP CEILING_ROWS MAX_IN_FLIGHT CONNECTIONS READY_TIMEOUT; do
  require_number "$knob" "${!knob}"
done
[[ -z "$RATE" ]] || require_number RATE "$RATE"
for value in $USER_COUNTS $BATCH_SIZES; do
  require_number "USER_COUNTS/BATCH_SIZES" "$value"
done
(( RUNS >= 1 )) || die "RUNS must be at least 1"

psql_admin() {
  psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

jdbc_url() { printf 'jdbc:postgresql://%s:%s/%s' "$PGHOST" "$PGPORT" "$1"; }

loadtest() {
  java "-Xmx$LOADTEST_HEAP" -jar "$LOADTEST_JAR" "$@"
}

CREATED_DATABASES=()
create_database() {
  psql_admin -c "CREATE DATABASE $1"
  CREATED_DATABASES+=("$1")
}

drop_database() {
  [[ "$KEEP_DATABASES" == 1 ]] && return 0
  if psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)"; then
    local kept=() database
    for database in "${CREATED_DATABASES[@]+"${CREATED_DATABASES[@]}"}"; do
      [[ "$database" == "$1" ]] || kept+=("$database")
    done
    CREATED_DATABASES=("${kept[@]+"${kept[@]}"}")
  else
    log "could not drop database $1"
  fi
}

SERVER_PID=""
SERVER_PORT=""
stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    log "stopping server (pid $SERVER_PID)"
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local waited=0
    while kill -0 "$SERVER_PID" 2>/dev/null && (( waited < 60 )); do
      sleep 0.5
      waited=$((waited + 1))
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      log "server ignored SIGTERM for 30 s; killing it"
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

cleanup() {
  local status=$?
  stop_server
  bench_keys_cleanup
  local database
  for database in "${CREATED_DATABASES[@]+"${CREATED_DATABASES[@]}"}"; do
    drop_database "$database"
  done
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nobody listens on: connecting to it must fail.
free_port() {
  local port
  for port in $(seq 18080 18999); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free port in 18080-18999"
}

http_status() {
  pulse_curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1$2" || true
}

start_server() {
  local database="$1" server_log="$2"
  SERVER_PORT="$(free_port)"
  log "starting Pulse on port $SERVER_PORT, database $database (log: $server_log)"
  # Word splitting of PULSE_JAVA_OPTS is intended: it holds several JVM options.
  # shellcheck disable=SC2086
  PULSE_DB_URL="$(jdbc_url "$database")" \
    PULSE_DB_USER="$PGUSER" \
    PULSE_DB_PASSWORD="$PGPASSWORD" \
    PULSE_DB_MIGRATE=auto \
    PULSE_HTTP_PORT="$SERVER_PORT" \
    PULSE_ADMIN_KEY="$BENCH_ADMIN_KEY" \
    "$PULSE_JAVA" "-Xmx$PULSE_HEAP" $PULSE_JAVA_OPTS -jar "$PULSE_JAR" >"$server_log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + READY_TIMEOUT))
  until [[ "$(http_status "$SERVER_PORT" /health/ready)" == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "server exited before it was ready; see $server_log"
    (( SECONDS < deadline )) || die "server not ready after $READY_TIMEOUT s; see $server_log"
    sleep 0.5
  done
  LOAD_KEY="$(bench_create_load_key "http://127.0.0.1:$SERVER_PORT")" ||
    die "could not create the load generator's key; see $server_log"
  if (( AUDIENCES > 0 )); then
    bench_define_audiences "http://127.0.0.1:$SERVER_PORT" "$AUDIENCES" ||
      die "could not define $AUDIENCES audiences; see $server_log"
  fi
  log "server ready ($AUDIENCES audiences)"
}

# The sum of a metric's samples on the running server (admin key), or "?".
metric_total() {
  pulse_curl -s --max-time 5 "http://127.0.0.1:$SERVER_PORT/metrics" |
    awk -v name="$1" '$1 == name || index($1, name "{") == 1 {sum += $2; found = 1}
      END {if (found) printf "%.0f", sum; else print "?"}'
}

count_journal() {
  loadtest count-journal --jdbc-url "$(jdbc_url "$1")" --jdbc-user "$PGUSER" \
    --jdbc-password "$PGPASSWORD" --table "$JOURNAL_TABLE" --manifest "$JOURNAL_MANIFEST" "${@:2}"
}

# --- build and preflight ---------------------------------------------------------------------
if [[ ! -f "$PULSE_JAR" || ! -f "$LOADTEST_JAR" ]]; then
  log "building (jars missing)"
  mvn -B -q -DskipTests package
fi
[[ -f "$PULSE_JAR" ]] || die "missing $PULSE_JAR after the build"
[[ -f "$LOADTEST_JAR" ]] || die "missing $LOADTEST_JAR after the build"
command -v psql >/dev/null || die "psql not found"
command -v curl >/dev/null || die "curl not found"
command -v "$PULSE_JAVA" >/dev/null || die "PULSE_JAVA: $PULSE_JAVA not found"
psql_admin -c 'SELECT 1' >/dev/null || die "PostgreSQL not reachable at $PGHOST:$PGPORT as $PGUSER"
mkdir -p "$RESULTS_DIR"
log "results in $RESULTS_DIR"
bench_keys_init

# --- ceiling -----------------------------------------------------------------------------------
CEILING_REPORT="$RESULTS_DIR/ceiling.json"
if (( CEILING_ROWS > 0 )); then
  ceiling_db="${DB_PREFIX}_ceiling"
  create_database "$ceiling_db"
  log "measuring the PostgreSQL ceiling with $CEILING_ROWS rows per method"
  loadtest ceiling --jdbc-url "$(jdbc_url "$ceiling_db")" --jdbc-user "$PGUSER" \
    --jdbc-password "$PGPASSWORD" --rows "$CEILING_ROWS" --report "$CEILING_REPORT" |
    tee "$RESULTS_DIR/ceiling.txt"
  drop_database "$ceiling_db"
fi

# --- load runs ---------------------------------------------------------------------------------
model_args=()
if [[ -n "$RATE" ]]; then
  model_args=(--rate "$RATE" --max-in-flight "$MAX_IN_FLIGHT")
else
  model_args=(--connections "$CONNECTIONS")
fi
ceiling_args=()
summary_args=()
if [[ -f "$CEILING_REPORT" ]]; then
  ceiling_args=(--ceiling-report "$CEILING_REPORT")
  summary_args=(--ceiling "$CEILING_REPORT")
fi
read -r -a extra_args <<<"$LOADTEST_ARGS"

shared_db=""
if [[ "$FRESH_DB_PER_RUN" != 1 ]]; then
  shared_db="${DB_PREFIX}_shared"
  create_database "$shared_db"
  start_server "$shared_db" "$RESULTS_DIR/server.log"
fi

REPORTS=()
MEMORY_LINES=()
for users in $USER_COUNTS; do
  for batch in $BATCH_SIZES; do
    for run in $(seq 1 "$RUNS"); do
      name="u${users}-b${batch}-r${run}"
      report="$RESULTS_DIR/$name.json"
      if [[ -n "$shared_db" ]]; then
        database="$shared_db"
        baseline="$(count_journal "$database" | tail -n 1)"
      else
        database="${DB_PREFIX}_${name//-/_}"
        create_database "$database"
        start_server "$database" "$RESULTS_DIR/server-$name.log"
        baseline=0
      fi
      log "run $name: $users users, $batch events/request, $WARMUP s warm-up + $DURATION s"
      status=0
      PULSE_KEY="$LOAD_KEY" loadtest --url "http://127.0.0.1:$SERVER_PORT" --users "$users" \
        --events-per-request "$batch" --skew "$SKEW" --zipf-exponent "$ZIPF_EXPONENT" \
        --duplicate-ratio "$DUPLICATE_RATIO" --duration "$DURATION" --warmup "$WARMUP" \
        --label "$name" --report "$report" "${model_args[@]}" \
        "${ceiling_args[@]+"${ceiling_args[@]}"}" "${extra_args[@]+"${extra_args[@]}"}" |
        tee "$RESULTS_DIR/$name.txt" || status=$?
      if [[ -f "$report" ]]; then
        # Acknowledged events include the warm-up, so the whole journal is compared with them.
        count_journal "$database" --baseline "$baseline" --report "$report" ||
          log "journal count failed for $name"
        REPORTS+=("$report")
      else
        log "run $name produced no report (exit status $status)"
      fi
      # Users that left memory during the run: idle, over the active-user limit, or stopped.
      MEMORY_LINES+=("$name: $(metric_total pulse_user_entities_passivated_total) users passivated, $(metric_total pulse_user_entities_active) active at the end")
      if [[ -z "$shared_db" ]]; then
        stop_server
        drop_database "$database"
      fi
    done
  done
done
stop_server

((${#REPORTS[@]} > 0)) || die "no run produced a report"

# --- BENCHMARKS.md -----------------------------------------------------------------------------
cpu_model="$(awk -F: '/model name/ {sub(/^[ \t]+/, "", $2); print $2; exit}' /proc/cpuinfo)"
memory="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
java_version="$("$PULSE_JAVA" -version 2>&1 | head -n 1)"
generator_java_version="$(java -version 2>&1 | head -n 1)"
pg_version="$(psql_admin -c 'SHOW server_version')"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$RATE" ]]; then
  model_text="open model, target $RATE events/s, at most $MAX_IN_FLIGHT requests in flight"
else
  model_text="closed model, $CONNECTIONS connections"
fi
skew_text="$SKEW"
[[ "$SKEW" == zipf ]] && skew_text="zipf (exponent $ZIPF_EXPONENT)"
if [[ "$FRESH_DB_PER_RUN" == 1 ]]; then
  db_text="a fresh database and server per run"
else
  db_text="one database and server for all runs (journal growth counted per run)"
fi

[[ -f "$BENCHMARKS_FILE" ]] || printf '# Pulse benchmarks\n' >"$BENCHMARKS_FILE"
{
  printf '\n## %s%s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "${LABEL:+ — $LABEL}"
  printf -- '- Machine: %s cores (%s), %s RAM; server on %s, load generator on %s; PostgreSQL %s on %s:%s\n' \
    "$(nproc)" "$cpu_model" "$memory" "$java_version" "$generator_java_version" "$pg_version" \
    "$PGHOST" "$PGPORT"
  printf -- '- Commit %s; server heap %s%s; load generator on the same machine, heap %s\n' \
    "$commit" "$PULSE_HEAP" "${PULSE_JAVA_OPTS:+, options \`$PULSE_JAVA_OPTS\`}" "$LOADTEST_HEAP"
  printf -- '- Load: %s; %s s warm-up + %s s measured; %s users; duplicate ratio %s; %s\n' \
    "$model_text" "$WARMUP" "$DURATION" "$skew_text" "$DUPLICATE_RATIO" "$db_text"
  printf -- '- Audiences defined: %s (the first %s of BENCH_AUDIENCES in loadtest/bench-keys.sh)\n' \
    "$AUDIENCES" "$AUDIENCES"
  printf -- '- One API key with only events:write and limits of 1,000,000 requests/s and'
  printf ' 10,000,000 events/s, so that the rate limiter checks every request but throttles none\n'

  printf -- '- events/s is accepted events per second over the measured window; latency is the'
  # Backticks are Markdown code spans here, not command substitutions.
  # shellcheck disable=SC2016
  printf ' time to the 202 (durable) answer; the journal check compares `%s` rows (manifest `%s`)' \
    "$JOURNAL_TABLE" "$JOURNAL_MANIFEST"
  printf ' with all acknowledged events, warm-up included; "first 202" and "longest gap" are counted'
  printf ' from the start of the load, warm-up included, the gap up to the end of sending\n\n'
  loadtest summarize "${summary_args[@]+"${summary_args[@]}"}" "${REPORTS[@]}"
  printf '\nUser entities (pulse_user_entities_passivated_total and _active at the end of each run):\n\n'
  printf -- '- %s\n' "${MEMORY_LINES[@]}"
  # shellcheck disable=SC2016
  printf '\nReports: `%s`\n' "${RESULTS_DIR#"$ROOT"/}"
} >>"$BENCHMARKS_FILE"
log "appended results to $BENCHMARKS_FILE"

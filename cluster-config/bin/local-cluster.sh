#!/usr/bin/env bash
# Runs a local Pulse cluster: N nodes (default 3) of api/target/pulse.jar on loopback, against the
# local PostgreSQL, each with a bounded heap, a pid file and a log under the run directory.
#
#   cluster-config/bin/local-cluster.sh start [N]   start N nodes, wait until they are ready
#   cluster-config/bin/local-cluster.sh status [N]  show each node's process and readiness
#   cluster-config/bin/local-cluster.sh stop [N]    SIGTERM each node (graceful leave), then wait
#
# Node i listens for HTTP on 8080+i, remoting on 25520+i and Pekko Management on 7625+i; nodes 1
# and 2 are the seed nodes (local-cluster.conf). Environment:
#   PULSE_DB_URL        database (default jdbc:postgresql://127.0.0.1:5432/pulse_local; created
#                       with psql when missing, schema migrated by node 1)
#   PULSE_DB_USER, PULSE_DB_PASSWORD   credentials (default postgres, empty)
#   PULSE_JAR           the server jar (default api/target/pulse.jar)
#   PULSE_RUN_DIR       pid files and logs (default target/local-cluster)
#   PULSE_NODE_HEAP     each node's -Xmx (default 384m)
#   PULSE_SECRET_KEY    the key that seals webhook secrets, the same for every node (default: one
#                       made once in the run directory, secret.key)
#   PULSE_ADMIN_KEY     the admin key of tenant default, at least 24 characters, the same for every
#                       node (default: one made once in the run directory, admin.key, mode 0600;
#                       start prints where it is)
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
command="${1:-}"
nodes="${2:-3}"
jar="${PULSE_JAR:-$root/api/target/pulse.jar}"
run_dir="${PULSE_RUN_DIR:-$root/target/local-cluster}"
heap="${PULSE_NODE_HEAP:-384m}"
export PULSE_DB_URL="${PULSE_DB_URL:-jdbc:postgresql://127.0.0.1:5432/pulse_local}"
export PULSE_DB_USER="${PULSE_DB_USER:-postgres}"
export PULSE_DB_PASSWORD="${PULSE_DB_PASSWORD:-}"

usage() {
  echo "usage: $0 start|stop|status [N]" >&2
  exit 2
}
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || usage

http_port() { echo $((8080 + $1)); }
pid_file() { echo "$run_dir/node-$1.pid"; }
log_file() { echo "$run_dir/node-$1.log"; }

running() {
  local file
  file="$(pid_file "$1")"
  [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null
}

ready_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$(http_port "$1")/health/ready" \
    || true
}

# Creates the database named in PULSE_DB_URL when it does not exist yet (needs psql).
ensure_database() {
  local rest hostport database host port
  rest="${PULSE_DB_URL#jdbc:postgresql://}"
  [ "$rest" != "$PULSE_DB_URL" ] || { echo "PULSE_DB_URL must be a jdbc:postgresql:// URL" >&2; exit 1; }
  hostport="${rest%%/*}"
  database="${rest#*/}"
  database="${database%%\?*}"
  host="${hostport%%:*}"
  port="5432"
  [ "$hostport" = "$host" ] || port="${hostport#*:}"
  if ! command -v psql >/dev/null 2>&1; then
    echo "psql not found: make sure database $database exists" >&2
    return
  fi
  if [ -z "$(PGPASSWORD="$PULSE_DB_PASSWORD" psql -h "$host" -p "$port" -U "$PULSE_DB_USER" -d postgres -Atc \
      "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
    echo "creating database $database"
    PGPASSWORD="$PULSE_DB_PASSWORD" psql -q -h "$host" -p "$port" -U "$PULSE_DB_USER" -d postgres \
      -c "CREATE DATABASE \"$database\""
  fi
}

# Every node of a cluster needs the same key for webhook secrets: the one given, or one made once
# for this run directory, readable by this user only.
ensure_secret_key() {
  if [ -n "${PULSE_SECRET_KEY:-}" ]; then
    export PULSE_SECRET_KEY
    return
  fi
  local key_file="$run_dir/secret.key"
  if [ ! -s "$key_file" ]; then
    (umask 077 && mkdir -p "$run_dir" && head -c 32 /dev/urandom | base64 >"$key_file")
  fi
  PULSE_SECRET_KEY="$(cat "$key_file")"
  export PULSE_SECRET_KEY
}

# Every node gets the same admin key, so that it authenticates on any of them from the first
# start: the one given, or one made once for this run directory, readable by this user only.
ensure_admin_key() {
  if [ -n "${PULSE_ADMIN_KEY:-}" ]; then
    # The nodes would refuse it one by one; say so once, before any starts.
    if [ "${#PULSE_ADMIN_KEY}" -lt 24 ] || [[ "$PULSE_ADMIN_KEY" =~ [[:space:][:cntrl:]] ]]; then
      echo "PULSE_ADMIN_KEY must have at least 24 characters and no spaces or control characters" >&2
      exit 1
    fi
    admin_key_source="PULSE_ADMIN_KEY"
    export PULSE_ADMIN_KEY
    return
  fi
  local key_file="$run_dir/admin.key"
  if [ ! -s "$key_file" ]; then
    (umask 077 && mkdir -p "$run_dir" \
      && printf 'pulse_%s\n' "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" >"$key_file")
  fi
  admin_key_source="$key_file"
  PULSE_ADMIN_KEY="$(cat "$key_file")"
  export PULSE_ADMIN_KEY
}

start_node() {
  local i="$1" migrate="$2"
  ensure_secret_key
  if running "$i"; then
    echo "node $i already running (pid $(cat "$(pid_file "$i")"))"
    return
  fi
  PULSE_HTTP_HOST=127.0.0.1 \
  PULSE_HTTP_PORT="$(http_port "$i")" \
  PULSE_REMOTE_HOST=127.0.0.1 \
  PULSE_REMOTE_PORT=$((25520 + i)) \
  PULSE_MANAGEMENT_PORT=$((7625 + i)) \
  PULSE_DB_MIGRATE="$migrate" \
  PULSE_DATA_DIR="$run_dir/data-$i" \
    nohup java "-Xmx$heap" -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
      -Dconfig.resource=local-cluster.conf -jar "$jar" >"$(log_file "$i")" 2>&1 </dev/null &
  echo $! >"$(pid_file "$i")"
}

wait_for() {
  local i="$1" want="$2" deadline=$((SECONDS + 120)) code
  while [ $SECONDS -lt $deadline ]; do
    running "$i" || { echo "node $i exited; see $(log_file "$i")" >&2; return 1; }
    code="$(ready_status "$i")"
    case "$want" in
      alive) [ "$code" != "000" ] && return 0 ;;
      ready) [ "$code" = "200" ] && return 0 ;;
    esac
    sleep 1
  done
  echo "node $i not $want within 120s; see $(log_file "$i")" >&2
  return 1
}

status() {
  for i in $(seq 1 "$nodes"); do
    if running "$i"; then
      echo "node $i: http://127.0.0.1:$(http_port "$i") pid $(cat "$(pid_file "$i")") ready=$(ready_status "$i") management=http://127.0.0.1:$((7625 + i)) log $(log_file "$i")"
    else
      echo "node $i: stopped"
    fi
  done
}

case "$command" in
  start)
    [ -f "$jar" ] || { echo "$jar not found: build with mvn -B -DskipTests package" >&2; exit 1; }
    mkdir -p "$run_dir"
    ensure_admin_key
    ensure_database
    # Node 1 applies the schema migrations before the others start, which only check them.
    start_node 1 auto
    wait_for 1 alive
    for i in $(seq 2 "$nodes"); do start_node "$i" validate; done
    for i in $(seq 1 "$nodes"); do wait_for "$i" ready; done
    status
    if [ "$admin_key_source" = PULSE_ADMIN_KEY ]; then
      echo "admin key of tenant default: the PULSE_ADMIN_KEY given"
    else
      echo "admin key of tenant default: in $admin_key_source (KEY=\$(cat $admin_key_source))"
    fi
    ;;
  stop)
    for i in $(seq 1 "$nodes"); do
      if running "$i"; then kill -TERM "$(cat "$(pid_file "$i")")"; fi
    done
    for i in $(seq 1 "$nodes"); do
      deadline=$((SECONDS + 60))
      while running "$i" && [ $SECONDS -lt $deadline ]; do sleep 1; done
      if running "$i"; then
        echo "node $i did not stop in 60s: SIGKILL"
        kill -KILL "$(cat "$(pid_file "$i")")" || true
      fi
      rm -f "$(pid_file "$i")"
    done
    status
    ;;
  status) status ;;
  *) usage ;;
esac

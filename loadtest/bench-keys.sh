# Sourced by the bench scripts: the API keys a benchmark talks to its own server with.
#
# Each script starts its server with a random PULSE_ADMIN_KEY of its own (the server's admin key
# of the default tenant). curl reads it from a header file readable by this user only
# (curl -H @FILE), and the load generator from PULSE_KEY, so that no key shows in a process list.
#
#   bench_keys_init               makes BENCH_ADMIN_KEY and its header file BENCH_ADMIN_HEADER
#   bench_keys_cleanup            removes the header file (call it from the script's EXIT trap)
#   pulse_curl ARGS...            curl with the admin key
#   bench_create_load_key URL     creates the load generator's key on the server at URL, prints it

bench_keys_init() {
  # 48 hex digits: well over the server's minimum of 24 characters.
  BENCH_ADMIN_KEY="bench_$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
  BENCH_ADMIN_HEADER="$(mktemp "${TMPDIR:-/tmp}/pulse-bench-key.XXXXXX")"
  chmod 600 "$BENCH_ADMIN_HEADER"
  printf 'Authorization: Bearer %s\n' "$BENCH_ADMIN_KEY" >"$BENCH_ADMIN_HEADER"
}

bench_keys_cleanup() {
  [[ -z "${BENCH_ADMIN_HEADER:-}" ]] || rm -f "$BENCH_ADMIN_HEADER"
}

pulse_curl() {
  curl -H @"$BENCH_ADMIN_HEADER" "$@"
}

# The load goes through a key of its own, as an app's events do, rather than through the admin
# key: only events:write, and limits far above what this machine can send (1,000,000 requests/s,
# 10,000,000 events/s per node), so that no request is throttled and the figures are the server's.
# Raising PULSE_DEFAULT_EVENTS_PER_SECOND instead would work too, but it would change the default
# of every key, and the server would no longer run as operators run it.
bench_create_load_key() {
  local answer status body key
  answer="$(pulse_curl -s -w '\n%{http_code}' -X POST "$1/v1/keys" \
    -H 'Content-Type: application/json' \
    -d '{"name": "load generator", "scopes": ["events:write"],
         "limits": {"requestsPerSecond": 1000000, "eventsPerSecond": 10000000}}')" || return 1
  status="${answer##*$'\n'}"
  body="${answer%$'\n'*}"
  if [[ "$status" != 201 ]]; then
    printf 'POST /v1/keys answered %s: %s\n' "$status" "$body" >&2
    return 1
  fi
  key="$(sed -n 's/.*"key":"\([A-Za-z0-9_-]*\)".*/\1/p' <<<"$body")"
  if [[ -z "$key" ]]; then
    printf 'the answer to POST /v1/keys holds no key\n' >&2
    return 1
  fi
  printf '%s' "$key"
}

# bench_define_audiences URL COUNT   defines COUNT (0 to 10) audiences on the server at URL, over
# what the load generator sends: sliding windows, a wait (a page view not followed by a purchase),
# scores, customer metrics, a trait and references between audiences, so that every event is
# decided against all of them. The first COUNT of this list, in order.
BENCH_AUDIENCES=(
  'browsers|{"event": "page_view", "within": "P7D", "count": {"gte": 3}}'
  'openers|{"event": "email_open", "within": "P1D", "count": {"gte": 2}}'
  'left-without-buying|{"event": "page_view", "notFollowedBy": {"event": "purchase"}, "within": "PT1H"}'
  'hot|{"score": {"model": "engagement", "band": "high"}}'
  'warm|{"score": {"model": "engagement", "gte": 4}}'
  'buyers|{"metric": "orders", "gte": 1}'
  'big-spenders|{"metric": "revenue", "gte": 100}'
  'browsing-buyers|{"all": [{"audience": "browsers"}, {"audience": "buyers"}]}'
  'clickers|{"any": [{"event": "email_click", "within": "P30D", "count": {"gte": 1}}, {"event": "push_click", "within": "P30D", "count": {"gte": 1}}]}'
  'cold-irish|{"all": [{"not": {"audience": "hot"}}, {"trait": "country", "eq": "IE"}]}'
)

bench_define_audiences() {
  local url="$1" count="$2" i id condition status
  (( count <= ${#BENCH_AUDIENCES[@]} )) || {
    printf 'at most %s audiences\n' "${#BENCH_AUDIENCES[@]}" >&2
    return 1
  }
  for ((i = 0; i < count; i++)); do
    id="${BENCH_AUDIENCES[$i]%%|*}"
    condition="${BENCH_AUDIENCES[$i]#*|}"
    status="$(pulse_curl -s -o /dev/null -w '%{http_code}' -X PUT "$url/v1/audiences/$id" \
      -H 'Content-Type: application/json' \
      -d "{\"name\": \"$id\", \"condition\": $condition}")" || return 1
    if [[ "$status" != 201 ]]; then
      printf 'PUT /v1/audiences/%s answered %s\n' "$id" "$status" >&2
      return 1
    fi
  done
}

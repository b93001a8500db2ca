#!/usr/bin/env bash
# API-key hot paths (issue 6), crow-auth beside the Better Auth reference server in one run on the
# same machine: crow-auth's POST /api-key/verify (the gateway's call), POST /api-key/system-token and
# GET /get-session with x-api-key, and the reference server's GET /get-session with x-api-key (the
# reference has no HTTP verify: Better Auth's verifyApiKey is server-only, so its x-api-key session
# is the nearest thing it serves over HTTP). The script starts both servers itself, each on a fresh
# SQLite database, makes a user and an API key on each over HTTP, checks every measured request
# once by hand, then runs wrk with a Lua script that checks every answer. Builds nothing; appends
# nothing anywhere (the table goes to stdout and $OUT_DIR/results.md).
#
#   bench/api-key.sh                               # crow-auth from build/bin (build it Release)
#   CROW_BIN=/path/to/build/bin/crow-auth REF_DIR=/tmp/ba-ref bench/api-key.sh
#
# crow-auth finds its plugins the usual way (<bin>/../lib/crow-auth/plugins or
# $CROW_AUTH_PLUGIN_DIR); build the targets crow-auth crow-backend-sqlite crow-plugin-api-key
# crow-plugin-service-auth crow-plugin-rate-limit.
#
# What runs, exactly (per case, reference first where it has the case, then crow-auth):
#   wrk -t$THREADS -c$CONNS -d$WARMUP   --timeout $TIMEOUT           -s bench/api-key/checked.lua URL  # warm-up
#   (wait until both servers' CPU is idle: < ~4% of a core over 0.5 s, at most 20 s)
#   wrk -t$THREADS -c$CONNS -d$DURATION --timeout $TIMEOUT --latency -s bench/api-key/checked.lua URL  # measured
# with THREADS=2 CONNS=32 DURATION=10s WARMUP=2s TIMEOUT=30s by default, keep-alive (wrk's
# default), loopback. The cases (under http://127.0.0.1:<port>/api/v1/auth), each answer good only
# with status 200 and a body matching the pattern:
#   verify          crow-auth  POST /api-key/verify  {"key":"<key>"}  X-Service-API-Key: <gateway key>
#                              body must match "valid": true
#   system-token    crow-auth  POST /api-key/system-token             x-api-key: <key>
#                              body must match "token": "<a.b.…>"
#   session-apikey  both       GET  /get-session                      x-api-key: <key>
#                              body must match "userId": "<the key owner's id>"
# Servers:
#   reference  (cd $REF_DIR && RATE_LIMIT=off PORT=<free> DB_PATH=<tmp>/ref.db node server.mjs)
#              RATE_LIMIT=off turns off both its rate limiter and the api-key plugin's per-key limit;
#              $REF_DIR is a writable copy of $REF_SRC (shared/reference/better-auth), set up with
#              its ./setup.sh (npm ci) the first time, as bench/compare.sh does
#   crow-auth  $CROW_BIN serve --config <tmp>/crow-auth.yaml (generated below: fresh SQLite, no
#              access log, plugins service-auth (protects /api-key/verify; the gateway key is
#              random per run), rate-limit (service preset, with the two API-key rules raised so
#              the bench is never refused; every request is still counted), api-key
#              (enableSessionForAPIKeys, per-key rate limit off); $CROW_CONFIG_EXTRA is appended)
# The key: bench/api-key/setup.mjs signs up a user and creates the key with POST /api-key/create
# and the session cookie; the key must come back with remaining null (no quota) and is reported
# with its rateLimitEnabled. Then it checks each case's request once (and that verify without the
# service key is 401, and that a key one letter off is valid:false).
#
# Environment (defaults in brackets):
#   CROW_BIN [build/bin/crow-auth]   REF_SRC [<repo>/../shared/reference/better-auth]
#   REF_DIR [/tmp/crow-bench-reference]  (copied from REF_SRC and set up when missing)
#   THREADS [2] CONNS [32] DURATION [10s] WARMUP [2s] (0 = none) TIMEOUT [30s]
#   CASES ["session-apikey verify system-token"]  SERVERS ["reference crow"]
#   RL_MAX [1000000000]  the raised API-key rules' max per 60 s (never reached)
#   IDLE_WAIT_S [2]  STARTUP_TIMEOUT_S [60]
#   VERIFY_CACHE_MS [the plugin's default, 1000]  the api-key plugin's verifyCacheMs (0: no cache)
#   CROW_CONFIG_EXTRA  YAML appended to crow-auth's generated config
#   OUT_DIR [/tmp/crow-api-key-<epoch>]  raw wrk outputs, configs, server logs, results.md
#   TASKSET_WRK [""]  e.g. "taskset -c 1"
#   STRICT [0]  1: also exit 1 when a goal is missed
# Exit: 0 = measured, every answer checked and good; 1 = a measured answer was bad (non-200,
# valid:false, no token, no session), a server died, or setup failed (also: a goal missed with
# STRICT=1); 2 = a tool or a server is missing.
# Needs wrk, curl, node (>= 18; the reference server wants 20), openssl.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE="$ROOT/bench/api-key"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
CROW_BIN=${CROW_BIN:-$ROOT/build/bin/crow-auth}
REF_SRC=${REF_SRC:-$ROOT/../shared/reference/better-auth}
REF_DIR=${REF_DIR:-/tmp/crow-bench-reference}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
TIMEOUT=${TIMEOUT:-30s}
CASES=${CASES:-session-apikey verify system-token}
SERVERS=${SERVERS:-reference crow}
RL_MAX=${RL_MAX:-1000000000}
IDLE_WAIT_S=${IDLE_WAIT_S:-2}
STARTUP_TIMEOUT_S=${STARTUP_TIMEOUT_S:-60}
OUT_DIR=${OUT_DIR:-/tmp/crow-api-key-$(date +%s)}
TASKSET_WRK=${TASKSET_WRK:-}
STRICT=${STRICT:-0}
SECRET="dev-only-better-auth-reference-secret-0123456789abcdef"

say() { echo "api-key.sh: $*" >&2; }
for tool in wrk curl node openssl; do command -v "$tool" >/dev/null || { say "$tool is not installed"; exit 2; }; done
want() { [[ " $SERVERS " == *" $1 "* ]]; }
want reference || want crow || { say "SERVERS names neither reference nor crow"; exit 2; }
mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.md"

# --- the reference server's writable, set-up copy (with the api-key plugin) -----------------------
if want reference; then setup_reference @better-auth/api-key; fi
if want crow; then
  [[ -x $CROW_BIN ]] || { say "no crow-auth executable at $CROW_BIN (set CROW_BIN)"; exit 2; }
fi

# --- servers -------------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/crow-api-key-work.XXXXXX)
declare -A PID PORT
cleanup() {
  stop_servers
  rm -rf "$WORK"
}
trap cleanup EXIT

# The gateway's X-Service-API-Key for this run only (never printed; the config copy in $OUT_DIR
# has it blanked).
SERVICE_KEY=$(openssl rand -hex 32)

if want reference; then start_reference "$WORK/ref.db"; fi
if want crow; then
  PORT[crow]=$(free_port)
  cat >"$WORK/crow-auth.yaml" <<YAML
# Generated by bench/api-key.sh: loopback, fresh SQLite database, no access log; the plugins on the
# API-key paths in production: service-auth, rate-limit, api-key.
environment: local
server:
  host: 127.0.0.1
  port: ${PORT[crow]}
  shutdownGraceMs: 2000
baseURL: http://127.0.0.1:${PORT[crow]}
basePath: /api/v1/auth
secret: $SECRET
trustedOrigins: http://127.0.0.1:${PORT[crow]}
database:
  url: sqlite://$WORK/crow.db
logging:
  level: warn
  accessLog: false
inboundKeys:
  gateway: "$SERVICE_KEY"
plugins:
  - id: service-auth
    config:
      protect: ["/api-key/verify"]
  # The service preset allows 300 requests a minute per client on /api-key/verify and
  # /api-key/system-token; wrk is one client (127.0.0.1) sending thousands a second, so for the
  # bench only these two rules are raised to $RL_MAX a minute, which the run cannot reach: every
  # request is still checked and counted by the limiter, as in production, and none gets a 429.
  - id: rate-limit
    config:
      rules:
        - path: /api-key/verify
          window: 60
          max: $RL_MAX
        - path: /api-key/system-token
          window: 60
          max: $RL_MAX
  # The per-key limit (Better Auth's default: 10 requests a day per key) is a server-only
  # property a key made over HTTP cannot opt out of; the plugin-wide switch turns it off so the
  # bench key is unlimited, as the reference's RATE_LIMIT=off does for its keys.
  - id: api-key
    config:
      enableSessionForAPIKeys: true
      rateLimit:
        enabled: false
${VERIFY_CACHE_MS:+      verifyCacheMs: $VERIFY_CACHE_MS}
${CROW_CONFIG_EXTRA:-}
YAML
  sed "s/$SERVICE_KEY/<random per run>/" "$WORK/crow-auth.yaml" >"$OUT_DIR/crow-auth.yaml"
  "$CROW_BIN" serve --config "$WORK/crow-auth.yaml" >"$OUT_DIR/crow.log" 2>&1 &
  PID[crow]=$!
  wait_ready crow "http://127.0.0.1:${PORT[crow]}/ready"
fi

sleep "$IDLE_WAIT_S"

# --- credentials: one user and one API key per server, each case checked once ---------------------
for name in "${!PID[@]}"; do
  SERVICE_KEY="$SERVICE_KEY" node "$HERE/setup.mjs" "http://127.0.0.1:${PORT[$name]}" "C_${name}" "$name" \
    >"$WORK/cred-$name.sh" 2>>"$OUT_DIR/setup.log"
  # shellcheck disable=SC1090
  source "$WORK/cred-$name.sh"
done

# --- wrk -----------------------------------------------------------------------------------------
lua_literal() { sed 's/[^[:alnum:]]/%&/g' <<<"$1"; } # a literal inside a Lua pattern

declare -A RPS P50 P99 CHECKED BAD NOTE CPU
run_case() { # server case
  local server=$1 case=$2 pid=${PID[$1]} url="http://127.0.0.1:${PORT[$1]}/api/v1/auth" ok
  local key user
  key=$(cred "$server" KEY) user=$(cred "$server" USER_ID)
  local method=GET body="" headers="" expect=""
  case $case in
    verify)
      url+=/api-key/verify; method=POST body="{\"key\":\"$key\"}"
      headers="X-Service-API-Key: $SERVICE_KEY"; expect='"valid"%s*:%s*true'; ok=$(cred "$server" OK_verify) ;;
    system-token)
      url+=/api-key/system-token; method=POST
      headers="x-api-key: $key"; expect='"token"%s*:%s*"[%w_-]+%.[%w_-]+%.[%w_-]+"'; ok=$(cred "$server" OK_system_token) ;;
    session-apikey)
      url+=/get-session
      headers="x-api-key: $key"; expect="\"userId\"%s*:%s*\"$(lua_literal "$user")\""; ok=$(cred "$server" OK_session_apikey) ;;
    *) say "unknown case $case"; return ;;
  esac
  local k="$server/$case" out="$OUT_DIR/$server-$case.txt"
  NOTE[$k]=""
  [[ ${ok:-0} == 1 ]] || NOTE[$k]="setup failed: $(cred "$server" ERROR)"
  export BENCH_METHOD=$method BENCH_BODY=$body BENCH_HEADERS=$headers BENCH_EXPECT=$expect
  if [[ $WARMUP != 0 ]]; then
    $TASKSET_WRK wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" --timeout "$TIMEOUT" -s "$HERE/checked.lua" "$url" >/dev/null 2>&1 || true
  fi
  wait_all_idle
  local before after
  before=$(cpu_ticks "$pid")
  $TASKSET_WRK wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout "$TIMEOUT" --latency -s "$HERE/checked.lua" "$url" >"$out" 2>&1 || true
  after=$(cpu_ticks "$pid")
  RPS[$k]=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  P50[$k]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  P99[$k]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  CHECKED[$k]=$(awk '$1 == "CHECKED_ANSWERS" { print $2 }' "$out")
  BAD[$k]=$(awk '$1 == "BAD_ANSWERS" { print $2 }' "$out")
  local requests errors non2xx first_bad
  requests=$(awk '/requests in/ { print $1 }' "$out")
  CPU[$k]=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="${requests:-0}" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "?" }')
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$out")
  errors=$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); print }' "$out")
  first_bad=$(sed -n 's/^FIRST_BAD //p' "$out" | head -c 160)
  if [[ -z ${BAD[$k]} ]]; then NOTE[$k]+="${NOTE[$k]:+; }the Lua check printed no count (see $out)"; BAD[$k]="?"; fi
  if [[ ${BAD[$k]} != 0 && ${BAD[$k]} != "?" ]]; then NOTE[$k]+="${NOTE[$k]:+; }${BAD[$k]} bad answers, the first: $first_bad"; fi
  if [[ -n $non2xx && $non2xx != 0 ]]; then NOTE[$k]+="${NOTE[$k]:+; }wrk: $non2xx non-2xx"; fi
  if [[ ${requests:-0} == 0 ]]; then NOTE[$k]+="${NOTE[$k]:+; }no request completed in $DURATION"; fi
  [[ -n $errors ]] && NOTE[$k]+="${NOTE[$k]:+; }socket errors: $errors"
  kill -0 "$pid" 2>/dev/null || NOTE[$k]+="${NOTE[$k]:+; }SERVER DIED"
  say "$server $case: ${RPS[$k]:-?} req/s, p50 ${P50[$k]:-?} ms, p99 ${P99[$k]:-?} ms, checked ${CHECKED[$k]:-?}, bad ${BAD[$k]}${NOTE[$k]:+ (${NOTE[$k]})}"
}

served() { # server case: does that server have the case?
  [[ -n ${PID[$1]:-} ]] || return 1
  [[ $1 == crow || $2 == session-apikey ]]
}
for case in $CASES; do
  for server in reference crow; do
    if want "$server" && served "$server" "$case"; then run_case "$server" "$case"; fi
  done
done
unset BENCH_METHOD BENCH_BODY BENCH_HEADERS BENCH_EXPECT

# --- report ------------------------------------------------------------------------------------------
FAILED=0 MISSED=0
valid() { local k="$1/$2"; [[ ${BAD[$k]:-?} == 0 && -z ${NOTE[$k]:-} ]]; }
ge() { awk -v a="${1:-}" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 >= b + 0) }'; }
ratio() { awk -v c="${1:-0}" -v r="${2:-0}" 'BEGIN { if (r > 0 && c > 0) printf "%.1f×", c / r; else print "n/a" }'; }
REF_RPS=${RPS[reference/session-apikey]:-}
valid reference session-apikey || REF_RPS=""
label() {
  case $1 in
    verify) echo "POST /api-key/verify (X-Service-API-Key)" ;; system-token) echo "POST /api-key/system-token (x-api-key)" ;;
    session-apikey) echo "GET /get-session (x-api-key)" ;;
  esac
}
row() { # server case
  local k="$1/$2" goal="–" verdict
  case $1/$2 in
    crow/verify) goal="≥ 20,000 req/s and p99 ≤ 5 ms" ;;
    crow/system-token) goal="≥ 10,000 req/s" ;;
  esac
  if ! valid "$1" "$2"; then
    verdict="FAILED"; FAILED=1
  elif [[ $goal == "–" ]]; then
    verdict="–"
  else
    local met=1
    case $2 in
      verify) ge "${RPS[$k]}" 20000 || met=0; ge 5 "${P99[$k]:-999999}" || met=0 ;;
      system-token) ge "${RPS[$k]}" 10000 || met=0 ;;
    esac
    if ((met)); then verdict=met; else verdict=MISSED; MISSED=1; fi
  fi
  local x="–"
  [[ $1 == crow ]] && x=$(ratio "${RPS[$k]:-}" "$REF_RPS")
  echo "| $(label "$2") | $1 | ${RPS[$k]:-?} | ${P50[$k]:-?} | ${P99[$k]:-?} | ${CHECKED[$k]:-?} | ${BAD[$k]:-?} | ${CPU[$k]:-?} | $x | $goal | $verdict |"
}
{
  echo "# API-key hot paths: crow-auth vs Better Auth reference ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "wrk -t$THREADS -c$CONNS -d$DURATION --timeout $TIMEOUT --latency, keep-alive, loopback, warm-up $WARMUP per case;"
  echo "every answer checked by bench/api-key/checked.lua (status 200 and the expected body)."
  echo "$(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)); load average at the start: $LOAD_BEFORE, at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo "**Warning: the machine was busy at the start (load $LOAD_BEFORE on $(nproc) CPUs): the figures are not reliable.**"
  fi
  if want crow; then
    build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$CROW_BIN")/../CMakeCache.txt" 2>/dev/null || true)
    echo "crow-auth: $CROW_BIN (${build_type:-build type unknown}); plugins service-auth, rate-limit (API-key rules raised to $RL_MAX/min), api-key (per-key limit off, verifyCacheMs ${VERIFY_CACHE_MS:-1000 (default)});"
    echo "its key: rateLimitEnabled $(cred crow KEY_RATE_LIMITED), remaining $(cred crow KEY_REMAINING)."
  fi
  if want reference; then
    echo "reference: better-auth $(node -p "require('$REF_DIR/node_modules/better-auth/package.json').version" 2>/dev/null || echo '?'), @better-auth/api-key $(node -p "require('$REF_DIR/node_modules/@better-auth/api-key/package.json').version" 2>/dev/null || echo '?') on node $(node --version), RATE_LIMIT=off;"
    echo "its key: rateLimitEnabled $(cred reference KEY_RATE_LIMITED), remaining $(cred reference KEY_REMAINING)."
  fi
  echo "Latencies in ms; CPU = the server's user + system time per request (µs, from /proc); × ref = req/s over the"
  echo "reference's GET /get-session (x-api-key) req/s (the reference has no HTTP verify or system token)."
  echo
  echo "| case | server | req/s | p50 | p99 | answers checked | bad | CPU µs/req | × ref | goal | verdict |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
  for case in $CASES; do
    for server in reference crow; do
      if want "$server" && served "$server" "$case"; then row "$server" "$case"; fi
    done
  done
  notes=""
  for key in $(printf '%s\n' "${!NOTE[@]}" | sort); do
    if [[ -n ${NOTE[$key]} ]]; then notes+="* $key: ${NOTE[$key]}"$'\n'; fi
  done
  if [[ -n $notes ]]; then echo; echo "Problems:"; printf '%s' "$notes"; fi
  echo
  echo "Raw wrk outputs, the crow-auth config, setup and server logs: $OUT_DIR"
} >"$RESULTS"
cat "$RESULTS"

if ((FAILED)); then
  say "FAILED: some measured answers were not good (see Problems above): these figures do not count"
  exit 1
fi
if [[ $STRICT == 1 ]] && ((MISSED)); then exit 1; fi
exit 0

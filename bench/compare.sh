#!/usr/bin/env bash
# crow-auth and the Better Auth reference server, side by side in one run (issue 3 figures). The
# script starts both servers itself, each on a fresh SQLite database with rate limiting off, makes
# credentials on each, and runs the same wrk cases on both, alternating server by server per case.
#
#   bench/compare.sh                              # crow-auth from build/bin (build it Release: ./run.sh
#                                                 # or cmake -DCMAKE_BUILD_TYPE=Release)
#   CROW_BIN=/path/to/crow-auth bench/compare.sh
#
# What runs, exactly (per case, reference first, then crow-auth):
#   wrk -t$THREADS -c$CONNS -d$WARMUP   --timeout $TIMEOUT           [args] URL   # warm-up, discarded
#   (wait until both servers' CPU is idle: < ~4% of a core over 0.5 s, at most 20 s)
#   wrk -t$THREADS -c$CONNS -d$DURATION --timeout $TIMEOUT --latency [args] URL   # measured
# with THREADS=2 CONNS=32 DURATION=10s WARMUP=2s TIMEOUT=30s by default, keep-alive (wrk's
# default), loopback. The cases (under http://127.0.0.1:<port>/api/v1/auth):
#   session-cookie  GET  /get-session  -H "Cookie: better-auth.session_token=<token>.<sig>"
#   session-bearer  GET  /get-session  -H "Authorization: Bearer <set-auth-token>"
#   jwks            GET  /jwks
#   token           GET  /token        -H "Cookie: ..."
#   sign-in         POST /sign-in/email -s bench/reference/sign-in.lua (JSON email + password)
# Servers:
#   reference  (cd $REF_DIR && RATE_LIMIT=off PORT=<free> DB_PATH=<tmp>/ref.db node server.mjs)
#              $REF_DIR is a writable copy of $REF_SRC (shared/reference/better-auth), set up with
#              its ./setup.sh (npm ci) the first time
#   crow-auth  $CROW_BIN serve --config <tmp>/crow-auth.yaml   (generated below: fresh SQLite,
#              same secret, no access log, no plugins; $CROW_CONFIG_EXTRA is appended)
# Credentials: bench/reference/credentials.mjs (sign up, sign in, cookie, set-auth-token) and a
# check that each case's request really succeeds before it is measured.
# Memory: VmRSS from /proc/<pid>/status: idle = IDLE_WAIT_S after start-up; peak during sign-in
# sampled every 0.1 s; VmHWM at the end.
# scrypt limit: bench/reference/scrypt-limit.mjs, measured in the same run while both servers are
# idle: cores / median time of one scrypt (N=16384, r=16, p=1, 64-byte key) through Node's
# crypto.scryptSync, i.e. OpenSSL's EVP_PBE_scrypt, the function crow-auth's PasswordHasher calls.
#
# Environment (defaults in brackets):
#   CROW_BIN [build/bin/crow-auth]   REF_SRC [<repo>/../shared/reference/better-auth]
#   REF_DIR [/tmp/crow-bench-reference]  (copied from REF_SRC and set up when missing)
#   THREADS [2] CONNS [32] DURATION [10s] WARMUP [2s] (0 = none) TIMEOUT [30s]
#   CASES ["session-cookie session-bearer jwks token sign-in"]  SERVERS ["reference crow"]
#   IDLE_WAIT_S [2]  STARTUP_TIMEOUT_S [60]  SCRYPT_SAMPLES [15]  PARALLEL_S [3]
#   CROW_READY_PATH [/ready]  polled until 200 after crow-auth starts
#   CROW_CONFIG_EXTRA  YAML appended to crow-auth's generated config (e.g. turning its rate limits
#                      off once it has any: unknown keys are fatal, so none is written by default)
#   OUT_DIR [/tmp/crow-compare-<epoch>]  raw wrk outputs, server logs, results.md
#   TASKSET_WRK [""]  e.g. "taskset -c 1"
#   STRICT [0]  1: exit 1 when a goal of issue 3 is missed
# Needs wrk, curl, node (>= 18; the reference server wants 20).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE="$ROOT/bench/reference"
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
CASES=${CASES:-session-cookie session-bearer jwks token sign-in}
SERVERS=${SERVERS:-reference crow}
IDLE_WAIT_S=${IDLE_WAIT_S:-2}
STARTUP_TIMEOUT_S=${STARTUP_TIMEOUT_S:-60}
OUT_DIR=${OUT_DIR:-/tmp/crow-compare-$(date +%s)}
TASKSET_WRK=${TASKSET_WRK:-}
STRICT=${STRICT:-0}
SECRET="dev-only-better-auth-reference-secret-0123456789abcdef"

say() { echo "compare.sh: $*" >&2; }
for tool in wrk curl node; do command -v "$tool" >/dev/null || { say "$tool is not installed"; exit 2; }; done
want() { [[ " $SERVERS " == *" $1 "* ]]; }
want reference || want crow || { say "SERVERS names neither reference nor crow"; exit 2; }
mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.md"

# --- the reference server's writable, set-up copy ---------------------------------------------
if want reference; then setup_reference; fi
if want crow; then
  [[ -x $CROW_BIN ]] || { say "no crow-auth executable at $CROW_BIN (set CROW_BIN)"; exit 2; }
fi

# --- servers ---------------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/crow-compare-work.XXXXXX)
declare -A PID PORT
cleanup() {
  stop_servers
  rm -rf "$WORK"
}
trap cleanup EXIT

if want reference; then start_reference "$WORK/ref.db"; fi
if want crow; then
  PORT[crow]=$(free_port)
  cat >"$WORK/crow-auth.yaml" <<YAML
# Generated by bench/compare.sh: loopback, fresh SQLite database, no access log, no plugins.
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
plugins: []
${CROW_CONFIG_EXTRA:-}
YAML
  cp "$WORK/crow-auth.yaml" "$OUT_DIR/crow-auth.yaml"
  "$CROW_BIN" serve --config "$WORK/crow-auth.yaml" >"$OUT_DIR/crow.log" 2>&1 &
  PID[crow]=$!
  wait_ready crow "http://127.0.0.1:${PORT[crow]}${CROW_READY_PATH:-/ready}"
fi

sleep "$IDLE_WAIT_S"
declare -A IDLE_KB PEAK_KB HWM_KB AFTER_KB
for name in "${!PID[@]}"; do IDLE_KB[$name]=$(kb "${PID[$name]}" VmRSS); done

# --- credentials and the scrypt limit, while the servers are idle ----------------------------------
for name in "${!PID[@]}"; do
  node "$HERE/credentials.mjs" "http://127.0.0.1:${PORT[$name]}" "C_${name}" >"$WORK/cred-$name.sh" 2>>"$OUT_DIR/credentials.log"
  # shellcheck disable=SC1090
  source "$WORK/cred-$name.sh"
done
say "measuring scrypt"
eval "$(node "$HERE/scrypt-limit.mjs")"

# --- wrk -----------------------------------------------------------------------------------------
declare -A RPS P50 P99 BAD NOTE
run_case() { # server case
  local server=$1 case=$2 pid=${PID[$1]} url="http://127.0.0.1:${PORT[$1]}/api/v1/auth" args=() ok=1
  case $case in
    session-cookie) url+=/get-session; args=(-H "Cookie: $(cred "$server" COOKIE)"); ok=$(cred "$server" OK_session_cookie) ;;
    session-bearer) url+=/get-session; args=(-H "Authorization: Bearer $(cred "$server" BEARER)"); ok=$(cred "$server" OK_session_bearer) ;;
    jwks) url+=/jwks; ok=$(cred "$server" OK_jwks) ;;
    token) url+=/token; args=(-H "Cookie: $(cred "$server" COOKIE)"); ok=$(cred "$server" OK_token) ;;
    sign-in) url+=/sign-in/email; args=(-s "$HERE/sign-in.lua"); ok=$(cred "$server" OK_sign_in) ;;
    *) say "unknown case $case"; return ;;
  esac
  local key="$server/$case" out="$OUT_DIR/$server-$case.txt"
  NOTE[$key]=""
  [[ ${ok:-0} == 1 ]] || NOTE[$key]="credentials failed: $(cred "$server" ERROR)"
  export BENCH_EMAIL BENCH_PASSWORD
  BENCH_EMAIL=$(cred "$server" EMAIL) BENCH_PASSWORD=$(cred "$server" PASSWORD)
  if [[ $WARMUP != 0 ]]; then
    $TASKSET_WRK wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" --timeout "$TIMEOUT" "${args[@]}" "$url" >/dev/null 2>&1 || true
  fi
  wait_all_idle
  local sampler="" peak_file="$WORK/peak-$server-$case"
  echo 0 >"$peak_file"
  ( peak=0; while :; do r=$(kb "$pid" VmRSS); if ((${r:-0} > peak)); then peak=$r; echo "$peak" >"$peak_file"; fi; sleep 0.1; done ) &
  sampler=$!
  $TASKSET_WRK wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout "$TIMEOUT" --latency "${args[@]}" "$url" >"$out" 2>&1 || true
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  if [[ $case == sign-in ]]; then PEAK_KB[$server]=$(cat "$peak_file"); fi
  RPS[$key]=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  P50[$key]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  P99[$key]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  local non2xx errors
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$out")
  errors=$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); print }' "$out")
  BAD[$key]=${non2xx:-0}
  if [[ $(awk '/requests in/ { print $1 }' "$out") == 0 ]]; then NOTE[$key]+="${NOTE[$key]:+; }no request completed in $DURATION"; fi
  [[ -n $errors ]] && NOTE[$key]+="${NOTE[$key]:+; }socket errors: $errors"
  if ! kill -0 "$pid" 2>/dev/null; then NOTE[$key]+="${NOTE[$key]:+; }SERVER DIED"; fi
  say "$server $case: ${RPS[$key]:-?} req/s, p99 ${P99[$key]:-?} ms, non-2xx ${BAD[$key]}${NOTE[$key]:+ (${NOTE[$key]})}"
}

for case in $CASES; do
  for server in $SERVERS; do
    [[ -n ${PID[$server]:-} ]] && run_case "$server" "$case"
  done
done
sleep "$IDLE_WAIT_S"
for name in "${!PID[@]}"; do
  AFTER_KB[$name]=$(kb "${PID[$name]}" VmRSS)
  HWM_KB[$name]=$(kb "${PID[$name]}" VmHWM)
done

# --- report ------------------------------------------------------------------------------------------
MISSED=0
ratio() { awk -v c="${1:-0}" -v r="${2:-0}" 'BEGIN { if (r > 0 && c > 0) printf "%.1f×", c / r; else print "n/a" }'; }
ge() { awk -v a="${1:-0}" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 >= b + 0) }'; }
verdict() { # case -> VERDICT="goal | met|MISSED" (a global: MISSED must survive)
  local c="crow/$1" r="reference/$1" x goal met=1
  valid crow "$1" && valid reference "$1" || met=0
  x=$(ratio "${RPS[$c]:-}" "${RPS[$r]:-}"); x=${x%×}
  case $1 in
    session-*) goal="≥ 50× and p99 ≤ 5 ms"; ge "$x" 50 || met=0; ge 5 "${P99[$c]:-999999}" || met=0 ;;
    jwks) goal="≥ 50×"; ge "$x" 50 || met=0 ;;
    token) goal="≥ 30×"; ge "$x" 30 || met=0 ;;
    sign-in) goal="≥ 90% of the scrypt limit"
      ge "$(awk -v a="${RPS[$c]:-0}" -v l="$SCRYPT_LIMIT" 'BEGIN { print a / l }')" 0.9 || met=0 ;;
  esac
  ((met)) || MISSED=1
  if ! valid crow "$1"; then
    VERDICT="$goal | FAILED: $(why_invalid crow "$1")"
  else
    VERDICT="$goal | $( ((met)) && echo met || echo MISSED )"
  fi
}
why_invalid() { # server case
  local k="$1/$2"
  if [[ ${BAD[$k]:-0} != 0 ]]; then echo "${BAD[$k]} non-2xx answers"; else echo "${NOTE[$k]:-not run}"; fi
}
valid() { # server case: every answer 2xx, credentials worked, server alive
  local k="$1/$2"
  [[ ${BAD[$k]:-1} == 0 && -z ${NOTE[$k]:-} ]]
}
cell() { # server case -> "req/s | p50 | p99 | non-2xx"
  local k="$1/$2"
  [[ -n ${PID[$1]:-} ]] || { echo "– | – | – | –"; return; }
  echo "${RPS[$k]:-?} | ${P50[$k]:-?} | ${P99[$k]:-?} | ${BAD[$k]:-?}"
}
label() {
  case $1 in
    session-cookie) echo "GET /get-session (cookie)" ;; session-bearer) echo "GET /get-session (bearer)" ;;
    jwks) echo "GET /jwks" ;; token) echo "GET /token (cookie)" ;; sign-in) echo "POST /sign-in/email" ;;
  esac
}
{
  echo "# crow-auth vs Better Auth reference ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "wrk -t$THREADS -c$CONNS -d$DURATION --timeout $TIMEOUT --latency, keep-alive, loopback, warm-up $WARMUP per case;"
  echo "$(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)); load average at the start: $LOAD_BEFORE, at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo "**Warning: the machine was busy at the start (load $LOAD_BEFORE on $(nproc) CPUs): the figures are not reliable.**"
  fi
  if want crow; then
    build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$CROW_BIN")/../CMakeCache.txt" 2>/dev/null || true)
    echo "crow-auth: $CROW_BIN (${build_type:-build type unknown}); threads: the config's default."
  fi
  if want reference; then
    echo "reference: better-auth $(node -p "require('$REF_DIR/node_modules/better-auth/package.json').version" 2>/dev/null || echo '?') on node $(node --version), $REF_DIR."
  fi
  echo "Latencies in ms."
  echo
  echo "| case | reference req/s | p50 | p99 | non-2xx | crow-auth req/s | p50 | p99 | non-2xx | crow/ref | goal | verdict |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
  for case in $CASES; do
    VERDICT="– | –"
    if want reference && want crow; then verdict "$case"; fi
    echo "| $(label "$case") | $(cell reference "$case") | $(cell crow "$case") | $(ratio "${RPS[crow/$case]:-}" "${RPS[reference/$case]:-}") | $VERDICT |"
  done
  echo
  echo "scrypt (N=16384, r=16, p=1, 64 B, OpenSSL through node): ${SCRYPT_MS} ms a hash (median of $SCRYPT_SAMPLES, fastest ${SCRYPT_MIN_MS} ms)"
  echo "→ scrypt limit = $SCRYPT_CORES cores / ${SCRYPT_MS} ms = **${SCRYPT_LIMIT} sign-ins/s**"
  echo "(measured with $SCRYPT_CORES threads hashing at once: ${SCRYPT_PARALLEL}/s)."
  if [[ " $CASES " == *" sign-in "* ]]; then
    for server in $SERVERS; do
      [[ -n ${PID[$server]:-} ]] || continue
      if valid "$server" sign-in; then
        echo "sign-in on $server: ${RPS[$server/sign-in]:-?} req/s = $(awk -v a="${RPS[$server/sign-in]:-0}" -v l="$SCRYPT_LIMIT" 'BEGIN { printf "%.0f%%", 100 * a / l }') of the scrypt limit."
      else
        echo "sign-in on $server: FAILED ($(why_invalid "$server" sign-in)), no figure."
      fi
    done
  fi
  echo
  echo "| server | idle RSS after start (MiB) | peak RSS during sign-in (MiB) | VmHWM at the end (MiB) | RSS after the run (MiB) |"
  echo "|---|---:|---:|---:|---:|"
  for server in $SERVERS; do
    [[ -n ${PID[$server]:-} ]] || continue
    echo "| $server | $(mib "${IDLE_KB[$server]}") | $(mib "${PEAK_KB[$server]:-0}") | $(mib "${HWM_KB[$server]}") | $(mib "${AFTER_KB[$server]}") |"
  done
  if want crow; then
    idle_ok=$(awk -v k="${IDLE_KB[crow]}" 'BEGIN { print (k / 1024 <= 25) ? "met" : "MISSED" }')
    peak_ok=$(awk -v k="${PEAK_KB[crow]:-0}" 'BEGIN { print (k / 1024 <= 200) ? "met" : "MISSED" }')
    valid crow sign-in || peak_ok="not measured (sign-in failed)"
    [[ $idle_ok == met && $peak_ok == met ]] || MISSED=1
    echo
    echo "crow-auth memory goals: idle ≤ 25 MiB: $idle_ok; during sign-in ≤ 200 MiB: $peak_ok."
  fi
  notes=""
  for key in $(printf '%s\n' "${!NOTE[@]}" | sort); do
    if [[ -n ${NOTE[$key]} ]]; then notes+="* $key: ${NOTE[$key]}"$'\n'; fi
  done
  if [[ -n $notes ]]; then echo; echo "Problems:"; printf '%s' "$notes"; fi
  echo
  echo "Raw wrk outputs and server logs: $OUT_DIR"
} >"$RESULTS"
cat "$RESULTS"

if [[ $STRICT == 1 ]] && ((MISSED)); then exit 1; fi
exit 0

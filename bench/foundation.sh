#!/usr/bin/env bash
# The HTTP foundation benchmark: a bare Poco HTTPServer hello-world and `crow-auth serve`, measured
# in one run on the same machine, printed as a markdown table.
#
#   bench/foundation.sh [CROW_CONFIG]
#
# Per server: start-up time to the first 200 from GET /ready (curl polled every ~5 ms), idle RSS
# (VmRSS after IDLE_WAIT_S), and `wrk -t2 -c32 -d10s` keep-alive on GET /health; then the ratio
# crow-auth / hello (the goal is >= 0.80).
#
# Environment (defaults in brackets):
#   BUILD_DIR [build]                      where bin/ lives
#   CROW_BIN [$BUILD_DIR/bin/crow-auth]    run as: $CROW_BIN serve --config $CROW_CONFIG $CROW_ARGS
#   CROW_CONFIG [config/crow-auth.yaml]    or the first argument
#   CROW_PORT []                           the port crow-auth listens on; read from its output when empty
#   HELLO_BIN [$BUILD_DIR/bin/bench-hello-poco]
#   THREADS [16] MAX_QUEUED [256]          hello's pool; keep them equal to the server: block of the config
#   WRK_THREADS [2] CONNECTIONS [32] DURATION [10s] ROUNDS [1] (best round reported)
#   IDLE_WAIT_S [1] STARTUP_TIMEOUT_S [30]
# Poco serves one keep-alive connection per thread: with CONNECTIONS > THREADS the extra
# connections wait in the queue for both servers alike.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
CROW_BIN=${CROW_BIN:-$BUILD_DIR/bin/crow-auth}
CROW_CONFIG=${1:-${CROW_CONFIG:-$ROOT/config/crow-auth.yaml}}
CROW_ARGS=${CROW_ARGS:-}
CROW_PORT=${CROW_PORT:-}
HELLO_BIN=${HELLO_BIN:-$BUILD_DIR/bin/bench-hello-poco}
THREADS=${THREADS:-16}
MAX_QUEUED=${MAX_QUEUED:-256}
WRK_THREADS=${WRK_THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-1}
IDLE_WAIT_S=${IDLE_WAIT_S:-1}
STARTUP_TIMEOUT_S=${STARTUP_TIMEOUT_S:-30}

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "foundation.sh: $tool is not installed" >&2; exit 2; }
done
[[ -x $HELLO_BIN ]] || { echo "foundation.sh: no hello-world binary at $HELLO_BIN (build target bench-hello-poco)" >&2; exit 2; }
[[ -x $CROW_BIN ]] || { echo "foundation.sh: no crow-auth binary at $CROW_BIN" >&2; exit 2; }
[[ -r $CROW_CONFIG ]] || { echo "foundation.sh: cannot read config $CROW_CONFIG" >&2; exit 2; }

WORK=$(mktemp -d /tmp/crow-foundation.XXXXXX)
PIDS=()
cleanup() {
  local status=$?
  if ((status != 0)); then
    for log in "$WORK"/*.log; do
      [[ -e $log ]] || continue
      echo "--- last lines of $(basename "$log") ---" >&2
      grep -v 'src=access' "$log" | tail -15 >&2
    done
  fi
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ns() { date +%s%N; }

# The port a server announced in its output: "port 8787", "port=8787", "port: 8787" or a URL.
announced_port() {
  local file=$1 port
  port=$(grep -oE 'port[=:" ]+[0-9]+' "$file" 2>/dev/null | head -1 | grep -oE '[0-9]+$' || true)
  if [[ -z $port ]]; then
    port=$(grep -oE 'https?://[^/ ":]+:[0-9]+' "$file" 2>/dev/null | head -1 | grep -oE '[0-9]+$' || true)
  fi
  echo "$port"
}

# start NAME LOGFILE FIXED_PORT CMD... ; sets STARTED_PID, STARTED_PORT, STARTUP_MS.
start_server() {
  local name=$1 log=$2 fixed_port=$3
  shift 3
  local t0 deadline port="" code
  t0=$(now_ns)
  "$@" >"$log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  deadline=$((t0 + STARTUP_TIMEOUT_S * 1000000000))
  while :; do
    if ! kill -0 "$STARTED_PID" 2>/dev/null; then
      echo "foundation.sh: $name exited during start-up; its output:" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    [[ -z $port ]] && port=${fixed_port:-$(announced_port "$log")}
    if [[ -n $port ]]; then
      code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$port/ready" || true)
      [[ $code == 200 ]] && break
    fi
    if (($(now_ns) > deadline)); then
      echo "foundation.sh: $name not ready after ${STARTUP_TIMEOUT_S}s (port '${port}'); its output:" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    sleep 0.005
  done
  STARTUP_MS=$((($(now_ns) - t0) / 1000000))
  STARTED_PORT=$port
}

rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# wrk on /health; prints "req_per_s p99".
load() {
  local port=$1 out rps p99
  out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$port/health")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  if grep -q 'Non-2xx' <<<"$out"; then echo "foundation.sh: non-2xx answers from port $port:" >&2; grep 'Non-2xx' <<<"$out" >&2; fi
  echo "${rps:-0} ${p99:-?}"
}

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 >= b + 0) ? a : b }'; }

start_server "bench-hello-poco" "$WORK/hello.log" "" "$HELLO_BIN" 0 "$THREADS" "$MAX_QUEUED"
HELLO_PID=$STARTED_PID HELLO_PORT=$STARTED_PORT HELLO_STARTUP_MS=$STARTUP_MS
# shellcheck disable=SC2086  # CROW_ARGS is a list of words on purpose
start_server "crow-auth" "$WORK/crow.log" "$CROW_PORT" "$CROW_BIN" serve --config "$CROW_CONFIG" $CROW_ARGS
CROW_PID=$STARTED_PID CROW_PORT=$STARTED_PORT CROW_STARTUP_MS=$STARTUP_MS

echo "bench-hello-poco: pid $HELLO_PID port $HELLO_PORT; crow-auth: pid $CROW_PID port $CROW_PORT" >&2
sleep "$IDLE_WAIT_S"
HELLO_RSS=$(rss_mib "$HELLO_PID")
CROW_RSS=$(rss_mib "$CROW_PID")

# Warm both (thread pools, caches), then alternate so machine noise hits both alike.
wrk -t1 -c4 -d1s "http://127.0.0.1:$HELLO_PORT/health" >/dev/null
wrk -t1 -c4 -d1s "http://127.0.0.1:$CROW_PORT/health" >/dev/null
HELLO_RPS=0 CROW_RPS=0 HELLO_P99='?' CROW_P99='?'
for ((round = 1; round <= ROUNDS; round++)); do
  read -r rps p99 < <(load "$HELLO_PORT")
  [[ $(best "$rps" "$HELLO_RPS") == "$rps" ]] && HELLO_RPS=$rps HELLO_P99=$p99
  read -r rps p99 < <(load "$CROW_PORT")
  [[ $(best "$rps" "$CROW_RPS") == "$rps" ]] && CROW_RPS=$rps CROW_P99=$p99
done
RATIO=$(awk -v c="$CROW_RPS" -v h="$HELLO_RPS" 'BEGIN { if (h > 0) printf "%.2f", c / h; else print "n/a" }')
VERDICT=$(awk -v r="$RATIO" 'BEGIN { print (r + 0 >= 0.80) ? "meets" : "MISSES" }')

echo
echo "HTTP foundation: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION keep-alive GET /health, $(nproc) cores, threads=$THREADS, best of $ROUNDS"
echo
echo "| server | /health req/s | p99 latency | start-up to /ready 200 (ms) | idle RSS (MiB) |"
echo "|---|---:|---:|---:|---:|"
printf '| bare Poco hello-world | %.0f | %s | %s | %s |\n' "$HELLO_RPS" "$HELLO_P99" "$HELLO_STARTUP_MS" "$HELLO_RSS"
printf '| crow-auth serve | %.0f | %s | %s | %s |\n' "$CROW_RPS" "$CROW_P99" "$CROW_STARTUP_MS" "$CROW_RSS"
echo
echo "crow-auth / hello-world = $RATIO ($VERDICT the >= 0.80 goal)"

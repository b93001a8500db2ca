#!/usr/bin/env bash
# A throwaway Redis server for tests: in a temporary folder, on 127.0.0.1, on a free port, without
# persistence (no RDB snapshots, no AOF) and without a password. Needs only Debian's
# `redis-server` package (no running service).
#
#   tests/support/redis.sh start [--env-file FILE]   prints redis://127.0.0.1:PORT
#                                                    (FILE gets `export CROW_TEST_REDIS_URL=...`)
#   tests/support/redis.sh stop                      stops the server and deletes its folder
#   tests/support/redis.sh url                       prints the URL of the running server
#   tests/support/redis.sh pause | resume            freezes / thaws the server (SIGSTOP / SIGCONT),
#                                                    keeping its data and port (to test outages
#                                                    and recovery)
#
# `pause` freezes rather than stops: the kernel still accepts connections on the port but nothing
# answers, the worst outage a client meets (every read runs into its timeout); a stopped server
# would only refuse connections, which a client notices at once. `resume` restarts the server on
# the same port if it is not running at all (its data is then gone: there is no persistence).
#
# Both verbs are idempotent: `start` on a running server prints its URL, `stop` without one does
# nothing. The server's folder is $CROW_REDIS_DIR (default /tmp/crow-test-redis), so a `stop` in
# another shell finds it. Redis runs as whoever calls this (root is fine), daemonized with a
# pidfile in the folder.
set -euo pipefail

DIR="${CROW_REDIS_DIR:-/tmp/crow-test-redis}"

die() { echo "redis.sh: $*" >&2; exit 1; }

redis_bin() {
  command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
  command -v redis-server
}

free_port() {
  python3 - <<'EOF' 2>/dev/null && return
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
  local port
  for port in $(seq 26379 26479); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found"
}

pid() { cat "$DIR/redis.pid" 2>/dev/null || true; }

# Alive and not a zombie: a daemonized server is re-parented to PID 1, which in a container may
# never reap it, and `kill -0` succeeds on a zombie.
alive() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ]
}

running() {
  local p
  p="$(pid)"
  [ -n "$p" ] && alive "$p"
}

url() { echo "redis://127.0.0.1:$(cat "$DIR/port")"; }

start() {
  local env_file=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --env-file) env_file="${2:?--env-file needs a file}"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  if ! running; then
    redis_bin >/dev/null
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    free_port >"$DIR/port"
    # Loopback only; no snapshots (save ""), no AOF: a test server never needs its data back.
    cat >"$DIR/redis.conf" <<EOF
bind 127.0.0.1
port $(cat "$DIR/port")
protected-mode yes
daemonize yes
pidfile $DIR/redis.pid
logfile $DIR/server.log
dir $DIR
save ""
appendonly no
maxclients 1000
EOF
    server_start
  fi
  if [ -n "$env_file" ]; then
    echo "export CROW_TEST_REDIS_URL=$(url)" >"$env_file"
  fi
  url
}

server_start() {
  rm -f "$DIR/redis.pid"
  "$(redis_bin)" "$DIR/redis.conf" >/dev/null || { cat "$DIR/server.log" >&2 2>/dev/null; die "the server did not start"; }
  local i
  for i in $(seq 300); do
    if running && [ "$(redis-cli -h 127.0.0.1 -p "$(cat "$DIR/port")" ping 2>/dev/null)" = PONG ]; then return; fi
    sleep 0.1
  done
  cat "$DIR/server.log" >&2 2>/dev/null || true
  die "the server did not answer within 30 s"
}

stop() {
  local p
  p="$(pid)"
  if running; then
    kill -CONT "$p" 2>/dev/null || true  # a paused server cannot act on SIGTERM
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 100); do alive "$p" || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  pause) running && kill -STOP "$(pid)"; true ;;
  resume)
    [ -f "$DIR/redis.conf" ] || die "no server in $DIR (run start)"
    if running; then kill -CONT "$(pid)"; else server_start; fi ;;
  url) running || die "no server is running in $DIR"; url ;;
  *) echo "usage: $0 start [--env-file FILE] | stop | url | pause | resume" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: in a temporary folder, on 127.0.0.1, on a free port,
# with trust authentication for the `postgres` user. Needs only Debian's `postgresql` package
# (no running service).
#
#   tests/support/postgres.sh start [--env-file FILE]   prints postgresql://postgres@127.0.0.1:PORT/postgres
#                                                       (FILE gets `export CROW_TEST_POSTGRES_URL=...`)
#   tests/support/postgres.sh stop                      stops the cluster and deletes its folder
#   tests/support/postgres.sh url                       prints the URL of the running cluster
#   tests/support/postgres.sh pause | resume            stops / restarts the server, keeping its data
#                                                       and port (to test outages and recovery)
#
# Both verbs are idempotent: `start` on a running cluster prints its URL, `stop` without one
# does nothing. The cluster's folder is $CROW_PG_DIR (default /tmp/crow-test-postgres), so a
# `stop` in another shell finds it. PostgreSQL refuses to run as root, so as root the server runs
# as the `postgres` user (runuser); as anyone else it runs as that user.
set -euo pipefail

DIR="${CROW_PG_DIR:-/tmp/crow-test-postgres}"
DATA="$DIR/data"

die() { echo "postgres.sh: $*" >&2; exit 1; }

pg_bin() {
  local bin
  for bin in /usr/lib/postgresql/*/bin; do :; done  # the glob sorts: the last one is the newest
  [ -x "$bin/initdb" ] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
  echo "$bin"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
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
  for port in $(seq 25432 25532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found"
}

running() {
  [ -f "$DATA/PG_VERSION" ] && as_owner "$(pg_bin)/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

url() { echo "postgresql://postgres@127.0.0.1:$(cat "$DIR/port")/postgres"; }

start() {
  local env_file=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --env-file) env_file="${2:?--env-file needs a file}"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  if ! running; then
    local bin port
    bin="$(pg_bin)"
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
    as_owner "$bin/initdb" -D "$DATA" -A trust -U postgres --no-sync >"$DIR/initdb.log" 2>&1 ||
      { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    port="$(free_port)"
    echo "$port" >"$DIR/port"
    server_start
  fi
  if [ -n "$env_file" ]; then
    echo "export CROW_TEST_POSTGRES_URL=$(url)" >"$env_file"
  fi
  url
}

# fsync off: a test cluster never needs to survive a power cut, and it is much faster.
server_start() {
  as_owner "$(pg_bin)/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 \
    -o "-p $(cat "$DIR/port") -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$DIR/server.log" >&2; die "the server did not start"; }
}

stop() {
  if running; then
    as_owner "$(pg_bin)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  pause) running && as_owner "$(pg_bin)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; true ;;
  resume) [ -f "$DATA/PG_VERSION" ] || die "no cluster in $DIR (run start)"; running || server_start ;;
  url) running || die "no cluster is running in $DIR"; url ;;
  *) echo "usage: $0 start [--env-file FILE] | stop | url | pause | resume" >&2; exit 2 ;;
esac

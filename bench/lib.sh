# bench/lib.sh - helpers the bench scripts share. Source it after setting ROOT; the functions
# marked "uses" read the caller's globals of those names.
#
#   free_port                 a free TCP port on 127.0.0.1 (python3, else node)
#   wait_ready NAME URL       poll URL until 200; exit 1 (with NAME's log tail) if PID[NAME] dies or
#                             STARTUP_TIMEOUT_S passes. Uses PID, OUT_DIR, STARTUP_TIMEOUT_S, say
#   setup_reference [MODULE]  make $REF_DIR a set-up copy of $REF_SRC (npm ci when the copy is
#                             missing, stale, or lacks node_modules/MODULE). Uses REF_SRC, REF_DIR,
#                             OUT_DIR, say
#   start_reference DB        start the reference server (rate limiting off) on a free port, on the
#                             SQLite file DB; sets PORT[reference], PID[reference]. Uses SECRET too
#   stop_servers              TERM and reap every PID[...]
#   cpu_ticks PID             user + system clock ticks of PID
#   wait_idle PID             until PID uses under ~4% of a core over 0.5 s (at most 20 s)
#   wait_all_idle             wait_idle for every PID[...]: the other server's tail of work (a GC
#                             after its run) must not share the cores with a measurement
#   to_ms LATENCY             wrk's 850.00us / 1.23ms / 2.01s / 1.5m in milliseconds
#   kb PID FIELD, mib KB      a /proc/PID/status field in kB; kB as MiB with one decimal
#   cred SERVER NAME          the credential variable C_<SERVER>_<NAME> (set by the setup scripts)

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  else
    node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
  fi
}

wait_ready() { # name url
  local deadline=$((SECONDS + STARTUP_TIMEOUT_S))
  until [[ $(curl -s -o /dev/null -m 1 -w '%{http_code}' "$2" || true) == 200 ]]; do
    if ! kill -0 "${PID[$1]}" 2>/dev/null; then say "$1 exited during start-up:"; tail -20 "$OUT_DIR/$1.log" >&2; exit 1; fi
    ((SECONDS < deadline)) || { say "$1 not ready after ${STARTUP_TIMEOUT_S}s:"; tail -20 "$OUT_DIR/$1.log" >&2; exit 1; }
    sleep 0.05
  done
}

setup_reference() { # [module that must be installed too]
  local module=${1:-better-sqlite3}
  if [[ ! -d $REF_DIR/node_modules/better-sqlite3 || ! -d $REF_DIR/node_modules/$module ]] ||
     ! cmp -s "$REF_SRC/package-lock.json" "$REF_DIR/package-lock.json" || ! cmp -s "$REF_SRC/server.mjs" "$REF_DIR/server.mjs"; then
    [[ -f $REF_SRC/server.mjs ]] || { say "no reference server at $REF_SRC (set REF_SRC)"; exit 2; }
    say "setting up the reference server in $REF_DIR (npm ci, about 1.5 min)"
    rm -rf "$REF_DIR"
    cp -r "$REF_SRC" "$REF_DIR"
    chmod -R u+w "$REF_DIR"
    (cd "$REF_DIR" && ./setup.sh) >"$OUT_DIR/reference-setup.log" 2>&1 ||
      { say "reference setup failed, see $OUT_DIR/reference-setup.log"; exit 2; }
  fi
}

start_reference() { # sqlite-file
  PORT[reference]=$(free_port)
  (cd "$REF_DIR" && exec env RATE_LIMIT=off PORT="${PORT[reference]}" DB_PATH="$1" \
    BETTER_AUTH_SECRET="$SECRET" node server.mjs) >"$OUT_DIR/reference.log" 2>&1 &
  PID[reference]=$!
  wait_ready reference "http://127.0.0.1:${PORT[reference]}/health"
}

stop_servers() {
  local name
  for name in "${!PID[@]}"; do kill -TERM "${PID[$name]}" 2>/dev/null || true; done
  for name in "${!PID[@]}"; do wait "${PID[$name]}" 2>/dev/null || true; done
}

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

wait_idle() { # pid
  local a b
  for _ in $(seq 40); do
    a=$(cpu_ticks "$1"); sleep 0.5; b=$(cpu_ticks "$1")
    if (((b - a) * 100 / CLK_TCK <= 2)); then return 0; fi
  done
  return 0 # still busy after 20 s: measure anyway
}

wait_all_idle() {
  local name
  for name in "${!PID[@]}"; do wait_idle "${PID[$name]}"; done
}

to_ms() { # wrk latency (850.00us, 1.23ms, 2.01s, 1.5m) -> milliseconds
  awk -v v="$1" 'BEGIN {
    if (v == "") { print ""; exit }
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1
    printf "%.3f", n * f }'
}

kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
mib() { awk -v kb="${1:-0}" 'BEGIN { printf "%.1f", kb / 1024 }'; }

cred() { local var="C_$1_$2"; echo "${!var:-}"; }

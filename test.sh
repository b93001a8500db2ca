#!/usr/bin/env bash
# Installs what is missing, builds the test build (AddressSanitizer + UndefinedBehaviorSanitizer),
# starts the servers the tests need (a throwaway PostgreSQL cluster and a Redis server on loopback),
# runs every CTest suite, and stops the servers again whatever happened.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
./install-deps.sh --test

build=${CROW_TEST_BUILD_DIR:-build-test}
# Let ccache reuse objects across clones in other folders (paths are relative to the root).
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCROW_SANITIZE=ON -DCROW_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j"$(nproc)"

state=$(mktemp -d /tmp/crow-test.XXXXXX)
chmod 755 "$state"  # the PostgreSQL cluster inside runs as the postgres user
cleanup() {
  "$root/tests/support/postgres.sh" stop >/dev/null 2>&1 || true
  "$root/tests/support/redis.sh" stop >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT

export CROW_PG_DIR="$state/pg"
CROW_TEST_POSTGRES_URL=$("$root/tests/support/postgres.sh" start)
export CROW_TEST_POSTGRES_URL CROW_REQUIRE_POSTGRES=1 CROW_TEST_POSTGRES_SCRIPT="$root/tests/support/postgres.sh"
export CROW_REDIS_DIR="$state/redis"
CROW_TEST_REDIS_URL=$("$root/tests/support/redis.sh" start)
export CROW_TEST_REDIS_URL CROW_REQUIRE_REDIS=1 CROW_TEST_REDIS_SCRIPT="$root/tests/support/redis.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"

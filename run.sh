#!/usr/bin/env bash
# Installs what is missing, builds crow-auth (Release) and serves it on its embedded default:
# SQLite under ./var, port $PORT (8787), config ./config/crow-auth.yaml.
set -euo pipefail
cd "$(dirname "$0")"
./install-deps.sh
export CCACHE_BASEDIR="$(pwd)" CCACHE_NOHASHDIR=1
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCROW_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
exec build/bin/crow-auth serve --config "${CROW_AUTH_CONFIG:-config/crow-auth.yaml}" "$@"

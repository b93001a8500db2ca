#!/usr/bin/env bash
# Installs what crow-auth needs on Debian 12 / Ubuntu 22.04+ and skips what is already there.
#   ./install-deps.sh          build and run dependencies
#   ./install-deps.sh --test   also the servers and tools the test suite starts itself
set -euo pipefail

packages=(build-essential cmake pkg-config ccache curl ca-certificates
  libpoco-dev libyaml-cpp-dev libboost-dev libboost-filesystem-dev libcppunit-dev
  libsodium-dev libutf8proc-dev libssl-dev libpq-dev libmariadb-dev libjemalloc-dev libidn2-dev)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(postgresql redis-server sqlite3 wrk procps)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are missing or older than a day.
if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]]; then
  $sudo apt-get update -q
fi
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
# The test command runs its own throwaway PostgreSQL and Redis; Debian starts the packages' system
# services on install (where an init system runs). Stop the ones installed just now, so nothing
# is left listening on 5432/6379 that the user did not ask for.
for service in postgresql redis-server; do
  if [[ " ${missing[*]} " == *" $service "* ]]; then
    $sudo service "$service" stop >/dev/null 2>&1 || true
  fi
done

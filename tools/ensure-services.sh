#!/usr/bin/env bash
# Makes sure the services the test suite talks to are there before `npm test` runs:
# Redis on 127.0.0.1:6379, PostgreSQL on 127.0.0.1:5432, Debian's Chromium and curl.
# A service that is installed but stopped is started; one that is missing is installed
# from Debian's packages when we are root with apt-get; otherwise the script stops and
# prints the one command that provides it. It never skips: the suite needs all of them.
set -euo pipefail

missing=()
say() { printf '[ensure-services] %s\n' "$*"; }
can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

wait_until() { # wait_until <what> <command...>: up to 10 s
  local what=$1; shift
  for _ in $(seq 1 50); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  say "$what did not come up"; return 1
}

ensure_redis() {
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return 0
  if ! command -v redis-server >/dev/null 2>&1; then
    if can_install; then say "installing redis-server"; apt_install redis-server redis-tools
    else missing+=("Redis: sudo apt-get install -y redis-server (then rerun npm test)"); return 0; fi
  fi
  say "starting Redis on 127.0.0.1:6379 (no persistence)"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir "${REDIS_DIR:-/var/lib/redis}" --logfile "${REDIS_LOG:-/var/log/redis/ci.log}"
  wait_until "Redis" redis-cli -h 127.0.0.1 -p 6379 ping
}

ensure_postgres() {
  pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 && return 0
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    if can_install; then say "installing postgresql"; apt_install postgresql
    else missing+=("PostgreSQL: sudo apt-get install -y postgresql (then rerun npm test)"); return 0; fi
  fi
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  wait_until "PostgreSQL" pg_isready -h 127.0.0.1 -p 5432
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  if can_install; then say "installing Debian's chromium (admin page tests)"; apt_install chromium
  else missing+=("Chromium: sudo apt-get install -y chromium (then rerun npm test)"); fi
}

ensure_curl() {
  command -v curl >/dev/null 2>&1 && return 0
  if can_install; then say "installing curl (the README walkthroughs are run with it)"; apt_install curl
  else missing+=("curl: sudo apt-get install -y curl (then rerun npm test)"); fi
}

ensure_redis
ensure_postgres
ensure_chromium
ensure_curl

if [ ${#missing[@]} -gt 0 ]; then
  say "the test suite needs services this machine does not have:"
  for m in "${missing[@]}"; do say "  - $m"; done
  exit 1
fi

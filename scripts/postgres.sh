#!/usr/bin/env bash
# Makes sure a PostgreSQL server is there for the store suite, and prints its URL.
#   scripts/postgres.sh ensure   reach one, start an installed one, or install and start one
#   scripts/postgres.sh url      print the URL tests should use
# A URL in WIJKPOST_TEST_POSTGRES_URL is used as given (it needs CREATEDB rights).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
URL_FILE="$TOOLS/postgres-url"
DEFAULT_URL="postgres://$(id -un)@127.0.0.1:5432/test"

current_url() {
  if [ -n "${WIJKPOST_TEST_POSTGRES_URL:-}" ]; then echo "$WIJKPOST_TEST_POSTGRES_URL"
  elif [ -s "$URL_FILE" ]; then cat "$URL_FILE"
  else echo "$DEFAULT_URL"; fi
}

reachable() { command -v psql >/dev/null && psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }

start_installed() {
  command -v pg_ctlcluster >/dev/null || return 1
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
  [ -n "$version" ] || return 1
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  sleep 2
}

install_and_configure() {
  echo "    installing PostgreSQL from Debian's packages"
  apt_install postgresql
  start_installed || die "PostgreSQL was installed but does not start"
  local user password
  user="$(id -un)"; password="wijkpost-test"
  su postgres -c "psql -qc \"DO \\\$\\\$ BEGIN CREATE ROLE \\\"$user\\\" LOGIN SUPERUSER PASSWORD '$password'; EXCEPTION WHEN duplicate_object THEN NULL; END \\\$\\\$;\"" \
    && su postgres -c "createdb -O '$user' test" 2>/dev/null || true
  echo "postgres://$user:$password@127.0.0.1:5432/test" > "$URL_FILE"
}

case "${1:-ensure}" in
  url) current_url ;;
  ensure)
    url="$(current_url)"
    if reachable "$url"; then ok "PostgreSQL reachable"; exit 0; fi
    [ -n "${WIJKPOST_TEST_POSTGRES_URL:-}" ] && die "PostgreSQL not reachable at the URL in WIJKPOST_TEST_POSTGRES_URL"
    start_installed || true
    url="$(current_url)"
    if reachable "$url"; then ok "PostgreSQL started"; exit 0; fi
    command -v pg_ctlcluster >/dev/null || install_and_configure
    url="$(current_url)"
    reachable "$url" || die "PostgreSQL not reachable. Start one, or set WIJKPOST_TEST_POSTGRES_URL=postgres://user:pass@host:port/db (a user allowed to CREATE DATABASE)."
    ok "PostgreSQL ready"
    ;;
  *) die "usage: scripts/postgres.sh ensure|url" ;;
esac

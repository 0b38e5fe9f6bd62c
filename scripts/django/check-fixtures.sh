#!/usr/bin/env bash
# Proves every committed fixture came from real Django: runs every generator in scripts/django/ in its --check
# mode with the given Python's Django, each regenerating its fixture into a temporary file and failing on any
# byte of difference from the committed one.
# Usage: scripts/django/check-fixtures.sh [--write] [python]   (default /usr/bin/python3, Debian's python3-django)
#   --write regenerates every fixture of that Django instead, with the same servers (to commit a new one).
#
# The generators are found by name (make_*.py and dump-schema*.sh), so a new one is checked without a change
# here. Each declares the Django versions it writes fixtures for in one line, `# check-fixtures: django 3.2 5.2`;
# a generator without that line fails the run (it must say, not be silently left out). For the generators that
# need a database server, a throwaway PostgreSQL and MariaDB (Debian's postgresql and mariadb-server packages) are
# started on free loopback ports and named in POSTGRES_ADMIN_URL and MARIADB_ADMIN_URL.
set -euo pipefail
mode=(--check)
if [ "${1:-}" = --write ]; then mode=(); shift; fi
python=${1:-/usr/bin/python3}
here=$(cd "$(dirname "$0")/../.." && pwd)
version=$("$python" -c 'import django; print("%d.%d" % django.VERSION[:2])')
# Seconds any one generator may take before it counts as hung (the slowest takes a few).
per_generator=${CHECK_FIXTURES_TIMEOUT:-300}

work=$(mktemp -d)
chmod 755 "$work"
pg_bin=
pg_data="$work/postgres"
mariadb_data="$work/mariadb"
mariadb_pid=
stop_servers() {
  if [ -n "$pg_bin" ] && [ -f "$pg_data/postmaster.pid" ]; then as_owner postgres "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  if [ -n "$mariadb_pid" ]; then kill "$mariadb_pid" 2>/dev/null && wait "$mariadb_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop_servers EXIT

free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# PostgreSQL and MariaDB refuse to run as root: as root, their data directories belong to their Debian users.
as_owner() {
  local owner=$1
  shift
  if [ "$(id -u)" = 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

start_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$pg_bin" ] || { echo "check-fixtures: FAIL no PostgreSQL server (apt-get install postgresql-15)" >&2; exit 1; }
  local port
  port=$(free_port)
  mkdir -p "$pg_data"
  [ "$(id -u)" = 0 ] && chown postgres: "$pg_data"
  as_owner postgres "$pg_bin/initdb" -D "$pg_data" -U postgres -A trust --no-sync >/dev/null
  as_owner postgres "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$pg_data/log" -o "-h 127.0.0.1 -p $port -k $pg_data -F" start >/dev/null
  export POSTGRES_ADMIN_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

start_mariadb() {
  local port
  port=$(free_port)
  mkdir -p "$mariadb_data/data" "$mariadb_data/tmp"
  [ "$(id -u)" = 0 ] && chown -R mysql: "$mariadb_data"
  local small=(--innodb-buffer-pool-size=16M --innodb-log-file-size=8M --skip-log-bin "--tmpdir=$mariadb_data/tmp")
  local user=()
  [ "$(id -u)" = 0 ] && user=(--user=mysql)
  mariadb-install-db --no-defaults "--datadir=$mariadb_data/data" "${user[@]}" --auth-root-authentication-method=normal --skip-test-db "${small[@]}" >"$mariadb_data/install.log" 2>&1 \
    || { cat "$mariadb_data/install.log" >&2; echo "check-fixtures: FAIL mariadb-install-db" >&2; exit 1; }
  mariadbd --no-defaults "--datadir=$mariadb_data/data" "--port=$port" --bind-address=127.0.0.1 "--socket=$mariadb_data/mysqld.sock" \
    "--pid-file=$mariadb_data/mysqld.pid" "${user[@]}" "${small[@]}" >"$mariadb_data/log" 2>&1 &
  mariadb_pid=$!
  for _ in $(seq 100); do
    mariadb-admin --no-defaults -h 127.0.0.1 -P "$port" -u root ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  mariadb-admin --no-defaults -h 127.0.0.1 -P "$port" -u root ping >/dev/null 2>&1 \
    || { tail -20 "$mariadb_data/log" >&2; echo "check-fixtures: FAIL MariaDB did not start" >&2; exit 1; }
  export MARIADB_ADMIN_URL="mysql://root@127.0.0.1:$port"
}

start_postgres
start_mariadb

failed=()
checked=0
for generator in "$here"/scripts/django/make_*.py "$here"/scripts/django/dump-schema*.sh; do
  name=${generator#"$here"/}
  declared=$(sed -n 's/^# check-fixtures: django //p' "$generator")
  if [ -z "$declared" ]; then
    echo "check-fixtures: FAIL $name declares no Django versions (add a line: # check-fixtures: django 3.2 5.2)" >&2
    failed+=("$name")
    continue
  fi
  if [[ " $declared " != *" $version "* ]]; then
    echo "check-fixtures: -- $name writes fixtures for Django $declared only, not $version"
    continue
  fi
  started=$SECONDS
  case $generator in
    *.py) command=("$python" "$generator" "${mode[@]}") ;;
    *) command=(bash "$generator" "${mode[@]}" "$python") ;;
  esac
  if timeout "$per_generator" "${command[@]}"; then
    checked=$((checked + 1))
  else
    status=$?
    [ "$status" = 124 ] && echo "check-fixtures: FAIL $name hung: stopped after ${per_generator} s" >&2
    failed+=("$name")
  fi
  echo "check-fixtures: $name took $((SECONDS - started)) s"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "check-fixtures: FAIL with Django $version: ${failed[*]}" >&2
  exit 1
fi
[ "$checked" -gt 0 ] || { echo "check-fixtures: FAIL no generator ran for Django $version" >&2; exit 1; }
if [ ${#mode[@]} -gt 0 ]; then
  echo "check-fixtures: all $checked generators for Django $version write exactly the committed fixtures"
else
  echo "check-fixtures: all $checked generators for Django $version wrote their fixtures"
fi

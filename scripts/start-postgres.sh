#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the test suite and prints its URL.
#
# usage: scripts/start-postgres.sh DIR
# The cluster lives in DIR (data, socket and log); stop it with
# `runuser -u postgres -- pg_ctl -D DIR/data stop` or scripts/stop-postgres.sh DIR.
# initdb refuses to run as root, so the server runs as the `postgres` user.
set -euo pipefail
dir=${1:?usage: start-postgres.sh DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "start-postgres: no PostgreSQL server found (apt-get install postgresql)" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ "$(id -u)" = 0 ] && chown postgres "$dir"
# The server's user may not be allowed into the caller's working directory.
cd "$dir"
port=${TANDEM_TEST_POSTGRES_PORT:-55432}
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
fi
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
echo "postgres://postgres@localhost:$port/postgres?host=$dir"

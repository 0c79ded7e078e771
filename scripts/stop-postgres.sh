#!/usr/bin/env bash
# Stops a server started by scripts/start-postgres.sh and removes its folder.
#
# usage: scripts/stop-postgres.sh DIR
set -euo pipefail
dir=${1:?usage: stop-postgres.sh DIR}
[ -d "$dir" ] || exit 0
dir=$(cd "$dir" && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The server's user may not be allowed into the caller's working directory.
cd "$dir"
if [ -f "$dir/data/postmaster.pid" ] && [ -x "$bin/pg_ctl" ]; then
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
fi
cd /
rm -rf "$dir"

#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust authentication, as the
# store tests expect (DRIFTWATCH_TEST_POSTGRES overrides where they look). CI and development
# machines start one before a session; when none answers, a throwaway cluster is started from
# the installed PostgreSQL binaries (initdb refuses root: it runs as the postgres user).
set -euo pipefail

answers() {
  node -e "
    const socket = require('node:net').connect(Number(process.env.PORT_TO_CHECK), '127.0.0.1')
    socket.on('connect', () => process.exit(0))
    socket.on('error', () => process.exit(1))
    setTimeout(() => process.exit(1), 2000)"
}

port=${DRIFTWATCH_CI_PGPORT:-5432}
export PORT_TO_CHECK=$port
if answers; then exit 0; fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
  echo "PostgreSQL does not answer on 127.0.0.1:5432 and is not installed: apt-get install postgresql" >&2
  exit 1
fi
dir=${DRIFTWATCH_CI_PGDATA:-/tmp/driftwatch-ci-postgres}
mkdir -p "$dir"
chown postgres:postgres "$dir"
run_as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
if [[ ! -f "$dir/data/PG_VERSION" ]]; then
  run_as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
fi
run_as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
answers || { echo "PostgreSQL did not start; see $dir/log" >&2; exit 1; }
echo "started a throwaway PostgreSQL on 127.0.0.1:$port (data in $dir/data)"

#!/usr/bin/env bash
# Starts the servers the tests need, on loopback only, and prints the environment the tests read:
#   eval "$(bash scripts/test-services.sh)"
# PostgreSQL: the Debian cluster, listening on 127.0.0.1 only, a role `rtaudit` that may create the
# throw-away databases of the store tests. Safe to run again. Run as root (or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$ver" ]; then
  echo "test-services: PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$ver main"; then
  $SUDO pg_createcluster "$ver" main >&2
fi
conf=/etc/postgresql/$ver/main/postgresql.conf
$SUDO sed -i -E "s/^#?listen_addresses *=.*/listen_addresses = '127.0.0.1'/; s/^#?port *=.*/port = 5432/" "$conf"
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -qx online; then
  $SUDO pg_ctlcluster "$ver" main start >&2
fi
for _ in $(seq 1 50); do
  if $SUDO runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p 5432; then break; fi
  sleep 0.2
done
psql_admin() { $SUDO runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p 5432 "$@"; }
if ! psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'rtaudit'" | grep -q 1; then
  psql_admin -c "CREATE ROLE rtaudit LOGIN CREATEDB PASSWORD 'rtaudit-test'" >&2
fi
if ! psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'rtaudit_test'" | grep -q 1; then
  psql_admin -c "CREATE DATABASE rtaudit_test OWNER rtaudit" >&2
fi
echo "export RTAUDIT_TEST_POSTGRES=postgresql://rtaudit:rtaudit-test@127.0.0.1:5432/rtaudit_test"

#!/usr/bin/env bash
# Installs and starts PostgreSQL 15 + PostGIS 3 (Debian) and creates the Terrafield database.
# Idempotent: every step checks before it acts, so running it twice is harmless.
# Needs root (or sudo). Environment overrides: TERRAFIELD_PG_DB, TERRAFIELD_PG_USER,
# TERRAFIELD_PG_PASSWORD, PG_VERSION (15), PG_CLUSTER (main).
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
DB="${TERRAFIELD_PG_DB:-terrafield}"
USER_NAME="${TERRAFIELD_PG_USER:-terrafield}"
PASSWORD="${TERRAFIELD_PG_PASSWORD:-terrafield}"
PACKAGE="postgresql-${PG_VERSION}-postgis-3"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

log() { echo "setup-postgis: $*" >&2; }

# psql runs as postgres, which may not be allowed into the caller's working directory.
cd /

if ! dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q "install ok installed"; then
  log "installing $PACKAGE"
  if ! apt-cache show "$PACKAGE" >/dev/null 2>&1; then
    $SUDO apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$PACKAGE" >/dev/null
else
  log "$PACKAGE already installed"
fi

if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "${PG_VERSION}/${PG_CLUSTER}"; then
  log "creating cluster ${PG_VERSION}/${PG_CLUSTER}"
  $SUDO pg_createcluster "$PG_VERSION" "$PG_CLUSTER"
fi

status="$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}')"
if [ "$status" != "online" ]; then
  log "starting cluster ${PG_VERSION}/${PG_CLUSTER}"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start
fi

# Runs psql as the postgres superuser over the local socket.
psql_admin() {
  if [ -z "$SUDO" ]; then
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"
  else
    sudo -u postgres psql -v ON_ERROR_STOP=1 -qtA "$@"
  fi
}

for _ in $(seq 1 30); do
  if psql_admin -c "SELECT 1" >/dev/null 2>&1; then break; fi
  sleep 1
done

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '${USER_NAME}'")" != "1" ]; then
  log "creating role ${USER_NAME}"
  psql_admin -c "CREATE ROLE \"${USER_NAME}\" WITH LOGIN PASSWORD '${PASSWORD}'"
else
  psql_admin -c "ALTER ROLE \"${USER_NAME}\" WITH LOGIN PASSWORD '${PASSWORD}'" >/dev/null
fi

if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '${DB}'")" != "1" ]; then
  log "creating database ${DB}"
  psql_admin -c "CREATE DATABASE \"${DB}\" OWNER \"${USER_NAME}\""
fi

PGOPTIONS="--client-min-messages=warning" psql_admin -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
log "ready: jdbc:postgresql://localhost:$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $3}')/${DB} (user ${USER_NAME})"

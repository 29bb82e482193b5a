#!/usr/bin/env bash
# Usage: scripts/postgres.sh start|stop|status   — a private PostgreSQL cluster in .bulwark-work/postgres/data, on
#   127.0.0.1:55432 and a unix socket in .bulwark-work/postgres/ only; trust auth for local and loopback; database
#   and user `bulwark` (password `bulwark`). `start` writes .bulwark-work/postgres/env (POSTGRES_JDBC_URL...).
#   As root the cluster belongs to the `postgres` system user (initdb refuses to run as root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
P="$ROOT/.bulwark-work/postgres"
DATA="$P/data"
LOGF="$P/postgres.log"
ENVF="$P/env"
STAMP="$P/.initialized"
HOST=127.0.0.1
PORT=55432
DB=bulwark
DB_USER=bulwark
DB_PASS=bulwark
SUPERUSER=postgres
JDBC_URL="jdbc:postgresql://$HOST:$PORT/$DB"

usage() { echo "usage: scripts/postgres.sh start|stop|status" >&2; exit 2; }
die() { echo "postgres.sh: $*" >&2; exit 1; }

# The newest installed server, e.g. /usr/lib/postgresql/15/bin.
BIN=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n); do
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && BIN="$d"
done

# Runs a server program as the cluster's owner: the postgres system user when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd "$P" && runuser -u postgres -- "$@")
  else
    (cd "$P" && "$@")
  fi
}

ready() { as_owner "$BIN/pg_isready" -q -h "$HOST" -p "$PORT" -d postgres -U "$SUPERUSER" -t 2 >/dev/null 2>&1; }

# PID of our postmaster when it runs (from its pid file, checked against /proc).
running_pid() {
  local pid
  [ -f "$DATA/postmaster.pid" ] || return 1
  pid="$(head -1 "$DATA/postmaster.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa -- "$DATA" "/proc/$pid/cmdline" 2>/dev/null \
    && { echo "$pid"; return 0; }
  return 1
}

port_taken() { [ -n "$(ss -ltnH "sport = :$PORT" 2>/dev/null)" ]; }

# The port is taken by something else. A Bulwark test cluster of another checkout (same script, other
# .bulwark-work) is stopped; anything else is an error.
stop_stale() {
  local pids pid cmd ddir owner
  pids="$(ss -ltnpH "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true)"
  [ -n "$pids" ] || die "port $HOST:$PORT is already taken by another process"
  for pid in $pids; do
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    case "$cmd" in
      */postgres\ -D\ */.bulwark-work/postgres/data*)
        ddir="$(sed -n 's/.* -D \([^ ]*\).*/\1/p' <<<"$cmd")"
        echo "postgres.sh: stopping a stale Bulwark test cluster on :$PORT (pid $pid: $cmd)" >&2
        owner="$(stat -c %U "$ddir" 2>/dev/null || echo postgres)"
        if [ "$(id -u)" = 0 ]; then
          (cd / && runuser -u "$owner" -- "$BIN/pg_ctl" -D "$ddir" stop -m fast -w -t 60 >/dev/null 2>&1) || true
        else
          "$BIN/pg_ctl" -D "$ddir" stop -m fast -w -t 60 >/dev/null 2>&1 || true
        fi
        ;;
      *) die "port $HOST:$PORT is already taken by another process (pid $pid: $cmd)" ;;
    esac
  done
  ! port_taken || die "port $HOST:$PORT is still taken"
}

init_cluster() {
  rm -rf "$DATA" "$STAMP"
  mkdir -p "$P"
  if [ "$(id -u)" = 0 ]; then
    getent passwd postgres >/dev/null || die "no 'postgres' system user to own the cluster; run scripts/install.sh"
    chown postgres: "$P"
  fi
  chmod 0755 "$P"
  as_owner "$BIN/initdb" -D "$DATA" -U "$SUPERUSER" --auth=trust -E UTF8 --locale=C.UTF-8 --no-instructions \
    >"$P/initdb.log" 2>&1 || { tail -20 "$P/initdb.log" >&2; die "initdb failed; see $P/initdb.log"; }
  # Our settings last, so they win over initdb's: loopback and our socket only; a throw-away test cluster
  # needs no crash safety (fsync off).
  as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<CONF

# --- scripts/postgres.sh ---
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$P'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
log_min_messages = warning
CONF
  as_owner tee "$DATA/pg_hba.conf" >/dev/null <<HBA
# TYPE  DATABASE  USER  ADDRESS       METHOD   (scripts/postgres.sh: trust, loopback and our socket only)
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
HBA
  start_server
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$P" -p "$PORT" -U "$SUPERUSER" -d postgres \
    >"$P/setup.log" 2>&1 <<SQL || { tail -20 "$P/setup.log" >&2; die "creating database $DB and user $DB_USER failed"; }
CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASS';
CREATE DATABASE $DB OWNER $DB_USER ENCODING 'UTF8' TEMPLATE template0;
SQL
  touch "$STAMP"
}

# A postmaster.pid left by a killed server: wait for its process to be gone (a killed postmaster can linger as a
# zombie until it is reaped, and the server refuses to start while that pid exists), then drop the file if its pid
# now belongs to another process.
clear_stale_pidfile() {
  local pid _
  [ -f "$DATA/postmaster.pid" ] && ! running_pid >/dev/null || return 0
  pid="$(head -1 "$DATA/postmaster.pid" 2>/dev/null || true)"
  [ -n "$pid" ] || { rm -f "$DATA/postmaster.pid"; return 0; }
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  rm -f "$DATA/postmaster.pid"
}

start_server() {
  clear_stale_pidfile
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOGF" -w -t 60 start >"$P/pg_ctl.log" 2>&1 || {
    tail -20 "$LOGF" >&2 2>/dev/null || true
    die "PostgreSQL did not start on $HOST:$PORT within 60 s; see $LOGF"
  }
  local _
  for _ in $(seq 1 120); do
    if ready; then return 0; fi
    running_pid >/dev/null || break
    sleep 0.5
  done
  tail -20 "$LOGF" >&2 2>/dev/null || true
  die "PostgreSQL on $HOST:$PORT is not ready (pg_isready); see $LOGF"
}

write_env() {
  local t="$ENVF.tmp.$$"
  cat >"$t" <<ENV
POSTGRES_JDBC_URL=$JDBC_URL
POSTGRES_USER=$DB_USER
POSTGRES_PASSWORD=$DB_PASS
POSTGRES_HOST=$HOST
POSTGRES_PORT=$PORT
POSTGRES_DB=$DB
POSTGRES_SOCKET_DIR=$P
POSTGRES_BIN=$BIN
ENV
  chmod 0644 "$t"
  mv "$t" "$ENVF"
}

start() {
  [ -n "$BIN" ] || die "PostgreSQL server binaries missing (/usr/lib/postgresql/*/bin); run scripts/install.sh"
  command -v ss >/dev/null || die "ss (iproute2) missing; run scripts/install.sh"
  # A unix socket path holds at most 107 bytes.
  [ "${#P}" -le 90 ] || die "socket directory path too long for a unix socket: $P"
  if [ -f "$STAMP" ] && running_pid >/dev/null && ready; then write_env; return 0; fi
  if running_pid >/dev/null; then stop; fi
  if port_taken; then stop_stale; fi
  if [ -f "$STAMP" ] && [ -f "$DATA/PG_VERSION" ]; then
    start_server
  else
    init_cluster
  fi
  write_env
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    as_owner "$BIN/pg_ctl" -D "$DATA" stop -m fast -w -t 60 >/dev/null 2>&1 \
      || as_owner "$BIN/pg_ctl" -D "$DATA" stop -m immediate -w -t 30 >/dev/null 2>&1 || true
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  return 0
}

case "${1:-}" in
  start) start ;;
  stop) [ -n "$BIN" ] || exit 0; stop ;;
  status)
    if [ -n "$BIN" ] && running_pid >/dev/null && ready; then echo "$JDBC_URL"
    else echo "postgres $HOST:$PORT down" >&2; exit 1; fi
    ;;
  *) usage ;;
esac

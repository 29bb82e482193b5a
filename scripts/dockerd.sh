#!/usr/bin/env bash
# Usage: scripts/dockerd.sh start|stop|status   — a private dockerd on unix://.bulwark-work/dockerd/docker.sock (no TCP).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
D="$ROOT/.bulwark-work/dockerd"
SOCK="$D/docker.sock"
PIDFILE="$D/dockerd.pid"
DATA="$D/data"
EXEC="$D/run"
LOGF="$D/dockerd.log"
CONF="$D/daemon.json"
# Debian's client matches the 20.10 daemon; any docker client on PATH negotiates the API version anyway.
DOCKER="$(command -v /usr/bin/docker || command -v docker || true)"

usage() { echo "usage: scripts/dockerd.sh start|stop|status" >&2; exit 2; }

running_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(readlink "/proc/$pid/exe" 2>/dev/null || true)" != "" ] \
    && grep -qa -- "$SOCK" "/proc/$pid/cmdline" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

answers() { [ -S "$SOCK" ] && "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1; }

unmount_under() {
  # Unmount everything at or under $1, deepest first (dockerd leaves its data-root bind-mounted).
  local base="$1" m
  [ -d "$base" ] || return 0
  base="$(realpath "$base")"
  awk '{print $5}' /proc/self/mountinfo | sed 's/\\040/ /g' | { grep -E "^${base}(/|$)" || true; } | sort -r | \
    while IFS= read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
}

start() {
  [ -n "$DOCKER" ] || { echo "dockerd.sh: no docker client; run scripts/install.sh" >&2; exit 1; }
  command -v dockerd >/dev/null || { echo "dockerd.sh: dockerd missing; run scripts/install.sh" >&2; exit 1; }
  if running_pid >/dev/null && answers; then return 0; fi
  if running_pid >/dev/null; then stop; fi
  # A leftover from a killed run: clear it so dockerd can start fresh.
  unmount_under "$DATA"
  rm -f "$SOCK" "$PIDFILE"
  mkdir -p "$D" "$DATA" "$EXEC"
  # Our own (empty) config file, so a host /etc/docker/daemon.json does not leak in.
  [ -f "$CONF" ] || echo '{}' >"$CONF"
  setsid dockerd \
    --config-file "$CONF" \
    --data-root "$DATA" \
    --exec-root "$EXEC" \
    --pidfile "$PIDFILE" \
    -H "unix://$SOCK" \
    --iptables=false --ip-masq=false --ip-forward=false --bridge=none \
    --userland-proxy=false \
    </dev/null >"$LOGF" 2>&1 &
  local _
  for _ in $(seq 1 120); do
    if answers; then return 0; fi
    if ! kill -0 $! 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "dockerd.sh: dockerd did not answer on $SOCK within 60 s; last log lines:" >&2
  tail -20 "$LOGF" >&2 || true
  exit 1
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; sleep 1; fi
  fi
  # The managed containerd normally exits with dockerd; end a straggler that belongs to this exec-root only.
  local cpid
  for cpid in $(pgrep -x containerd 2>/dev/null || true); do
    if grep -qa -- "$EXEC/" "/proc/$cpid/cmdline" 2>/dev/null; then
      kill -TERM "$cpid" 2>/dev/null || true
    fi
  done
  unmount_under "$EXEC"
  unmount_under "$DATA"
  rm -f "$SOCK" "$PIDFILE"
}

status() {
  if running_pid >/dev/null && answers; then echo "$SOCK"; return 0; fi
  echo "dockerd.sh: not running ($SOCK)" >&2
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac

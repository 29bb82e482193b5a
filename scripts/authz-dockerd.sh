#!/usr/bin/env bash
# Usage: scripts/authz-dockerd.sh start NAME PLUGIN_DIR [EXTRA_DOCKERD_FLAG...] | stop NAME | status NAME | purge NAME
#
# A private dockerd for tests and benchmarks of `bulwark authz serve`: like scripts/dockerd-variant.sh (own data-root,
# exec-root, pidfile and unix socket under .bulwark-work/authz-dockerd/NAME/, private mount and network namespaces,
# no TCP, --iptables=false --bridge=none), plus PLUGIN_DIR bind-mounted over /run/docker/plugins INSIDE its mount
# namespace only. dockerd finds legacy plugins as /run/docker/plugins/NAME.sock (or NAME.spec/.json in
# /etc/docker/plugins), so a plugin listening on PLUGIN_DIR/bulwark.sock is "bulwark" to this daemon and to no other,
# and nothing is written into the host's /run or /etc.
#
# Pass the plugin as an extra flag (--authorization-plugin=bulwark); start the plugin BEFORE dockerd: dockerd asks it
# about its own first calls and retries a missing plugin for a while before giving up. Without the flag the same
# data-root serves as the "no plugin" baseline of a benchmark.
# - start waits up to 60 s for `docker version` (through the plugin, if one is configured); prints the socket path.
# - stop ends this dockerd, its containerd and shims, and unmounts what is left; purge also deletes its directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="$ROOT/.bulwark-work/authz-dockerd"
DOCKER="$(command -v /usr/bin/docker || command -v docker || true)"

usage() {
  echo "usage: scripts/authz-dockerd.sh start NAME PLUGIN_DIR [EXTRA_DOCKERD_FLAG...] | stop NAME | status NAME | purge NAME" >&2
  exit 2
}

check_name() {
  [[ "${1:-}" =~ ^[a-z0-9][a-z0-9-]{0,15}$ ]] || { echo "authz-dockerd.sh: NAME must match [a-z0-9][a-z0-9-]{0,15}" >&2; exit 2; }
}

paths() {
  D="$BASE/$1"
  SOCK="$D/docker.sock"
  PIDFILE="$D/dockerd.pid"
  DATA="$D/data"
  EXEC="$D/run"
  LOGF="$D/dockerd.log"
  CONF="$D/daemon.json"
}

running_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa -- "$SOCK" "/proc/$pid/cmdline" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

answers() { [ -S "$SOCK" ] && "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1; }

unmount_under() {
  local base="$1" m
  [ -d "$base" ] || return 0
  base="$(realpath "$base")"
  awk '{print $5}' /proc/self/mountinfo | sed 's/\\040/ /g' | { grep -E "^${base}(/|$)" || true; } | sort -r | \
    while IFS= read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
}

start() {
  local name="$1" plugins="$2"
  shift 2
  [ -n "$DOCKER" ] || { echo "authz-dockerd.sh: no docker client; run scripts/install.sh" >&2; exit 1; }
  command -v dockerd >/dev/null || { echo "authz-dockerd.sh: dockerd missing; run scripts/install.sh" >&2; exit 1; }
  command -v unshare >/dev/null || { echo "authz-dockerd.sh: unshare missing (util-linux)" >&2; exit 1; }
  [ -d "$plugins" ] || { echo "authz-dockerd.sh: plugin directory $plugins does not exist" >&2; exit 2; }
  [ -d /run/docker/plugins ] || { echo "authz-dockerd.sh: /run/docker/plugins does not exist on this host (the bind mount needs it as a mount point)" >&2; exit 1; }
  plugins="$(realpath "$plugins")"
  paths "$name"
  if running_pid >/dev/null; then stop "$name"; fi
  unmount_under "$DATA"
  rm -f "$SOCK" "$PIDFILE"
  mkdir -p "$D" "$DATA" "$EXEC"
  echo '{}' >"$CONF"
  # shellcheck disable=SC2016
  setsid unshare --mount --propagation private --net --fork /bin/sh -c '
      set -e
      p="$1"; shift
      ip link set lo up 2>/dev/null || true
      mount --bind "$p" /run/docker/plugins
      exec dockerd "$@"' sh "$plugins" \
    --config-file "$CONF" \
    --data-root "$DATA" \
    --exec-root "$EXEC" \
    --pidfile "$PIDFILE" \
    -H "unix://$SOCK" \
    --iptables=false --ip-masq=false --ip-forward=false --bridge=none \
    "$@" \
    </dev/null >"$LOGF" 2>&1 &
  local launcher=$! _
  for _ in $(seq 1 120); do
    if answers; then echo "$SOCK"; return 0; fi
    if ! kill -0 "$launcher" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "authz-dockerd.sh: dockerd '$name' did not answer on $SOCK within 60 s; last log lines:" >&2
  tail -20 "$LOGF" >&2 || true
  stop "$name" || true
  exit 1
}

stop() {
  local name="$1" pid p
  paths "$name"
  if pid="$(running_pid)"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; sleep 1; fi
  fi
  for p in $(pgrep -f -- "$EXEC/" 2>/dev/null || true); do
    [ "$p" = "$$" ] && continue
    if grep -qa -- "$EXEC/" "/proc/$p/cmdline" 2>/dev/null; then kill -TERM "$p" 2>/dev/null || true; fi
  done
  unmount_under "$EXEC"
  unmount_under "$DATA"
  rm -f "$SOCK" "$PIDFILE"
}

status() {
  paths "$1"
  if running_pid >/dev/null && [ -S "$SOCK" ]; then echo "$SOCK"; return 0; fi
  echo "authz-dockerd.sh: '$1' not running ($SOCK)" >&2
  return 1
}

purge() {
  stop "$1"
  paths "$1"
  rm -rf --one-file-system "$D"
}

cmd="${1:-}"
case "$cmd" in
  start) [ $# -ge 3 ] || usage; check_name "$2"; shift; start "$@" ;;
  stop) [ $# -eq 2 ] || usage; check_name "$2"; stop "$2" ;;
  status) [ $# -eq 2 ] || usage; check_name "$2"; status "$2" ;;
  purge) [ $# -eq 2 ] || usage; check_name "$2"; purge "$2" ;;
  *) usage ;;
esac

#!/usr/bin/env bash
# Usage: scripts/dockerd-variant.sh start NAME [DAEMON_JSON] [EXTRA_DOCKERD_FLAG...] | stop NAME | status NAME | purge NAME | list
#
# A SECOND private dockerd (beside scripts/dockerd.sh's), started with a daemon.json of the caller's choosing, for tests
# that need a daemon configured differently (icc, userns-remap, live-restore, no-new-privileges...). Each variant NAME
# has its own data-root, exec-root, pidfile and unix socket under .bulwark-work/dockerd-variants/NAME/ and no TCP
# socket unless its daemon.json or flags ask for one.
#
# - The daemon.json given is merged over these defaults (the caller's keys win):
#     {"iptables": false, "ip-masq": false, "ip-forward": false, "bridge": "none"}
#   A key set to null in DAEMON_JSON removes the default ("bridge": null gives the default docker0 bridge;
#   "icc": false needs "iptables": true). dockerd refuses a key given both as a flag and in daemon.json: pass a key
#   either in DAEMON_JSON or as EXTRA_DOCKERD_FLAG, not both.
# - dockerd runs in private mount and network namespaces (unshare --mount --propagation private --net): its
#   data-root mounts vanish with it and cannot leak to the host; its iptables rules, docker0 bridge and any TCP
#   listener (-H tcp://...) exist only in its own network namespace (reach them with
#   nsenter --net=/proc/$(cat .bulwark-work/dockerd-variants/NAME/dockerd.pid)/ns/net ...); and /etc/subuid and
#   /etc/subgid are bind-mounted there from copies that add "nobody:300000:65536" (dockerd looks both ranges up by
#   user name), so "userns-remap": "nobody:nogroup" works without creating a user or editing the host's files
#   ("userns-remap": "default" would create the host user dockremap; "root" is a no-op to dockerd).
# - PLUGIN_DIR=DIR (environment) is bind-mounted over /run/docker/plugins inside the daemon's mount namespace only:
#   a plugin listening on DIR/NAME.sock is plugin NAME to this daemon and to no other (`--authorization-plugin=NAME`
#   as an EXTRA_DOCKERD_FLAG), and nothing is written into the host's /run. Start the plugin before the daemon:
#   dockerd asks it about its own first calls.
# - start waits up to 60 s for `docker version`; it prints the socket path on success, the log tail on failure.
# - stop ends the dockerd, its managed containerd and shims (only those of this variant), and removes socket and pid;
#   purge also deletes the variant's directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="$ROOT/.bulwark-work/dockerd-variants"
DOCKER="$(command -v /usr/bin/docker || command -v docker || true)"

usage() {
  echo "usage: scripts/dockerd-variant.sh start NAME [DAEMON_JSON] [EXTRA_DOCKERD_FLAG...] | stop NAME | status NAME | purge NAME | list" >&2
  exit 2
}

check_name() {
  [[ "${1:-}" =~ ^[a-z0-9][a-z0-9-]{0,15}$ ]] || { echo "dockerd-variant.sh: NAME must match [a-z0-9][a-z0-9-]{0,15}" >&2; exit 2; }
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
  local name="$1" json="${2:-}"
  shift; [ $# -gt 0 ] && shift
  [ -n "$DOCKER" ] || { echo "dockerd-variant.sh: no docker client; run scripts/install.sh" >&2; exit 1; }
  command -v dockerd >/dev/null || { echo "dockerd-variant.sh: dockerd missing; run scripts/install.sh" >&2; exit 1; }
  command -v jq >/dev/null || { echo "dockerd-variant.sh: jq missing; run scripts/install.sh" >&2; exit 1; }
  command -v unshare >/dev/null || { echo "dockerd-variant.sh: unshare missing (util-linux)" >&2; exit 1; }
  local plugins="${PLUGIN_DIR:-}"
  if [ -n "$plugins" ]; then
    [ -d "$plugins" ] || { echo "dockerd-variant.sh: PLUGIN_DIR $plugins does not exist" >&2; exit 2; }
    [ -d /run/docker/plugins ] || { echo "dockerd-variant.sh: /run/docker/plugins does not exist on this host (the bind mount needs it as a mount point)" >&2; exit 1; }
    plugins="$(realpath "$plugins")"
  fi
  paths "$name"
  # Always restart: the caller may have changed DAEMON_JSON since the last start.
  if running_pid >/dev/null; then stop "$name"; fi
  unmount_under "$DATA"
  rm -f "$SOCK" "$PIDFILE"
  mkdir -p "$D" "$DATA" "$EXEC"
  local user_json='{}'
  if [ -n "$json" ]; then
    [ -f "$json" ] || { echo "dockerd-variant.sh: $json does not exist" >&2; exit 2; }
    user_json="$(cat "$json")"
  fi
  jq -n --argjson u "$user_json" \
    '{"iptables": false, "ip-masq": false, "ip-forward": false, "bridge": "none"} * $u | with_entries(select(.value != null))' \
    >"$CONF"
  { cat /etc/subuid 2>/dev/null || true; echo "nobody:300000:65536"; } >"$D/subuid"
  { cat /etc/subgid 2>/dev/null || true; echo "nobody:300000:65536"; } >"$D/subgid"
  # shellcheck disable=SC2016
  setsid unshare --mount --propagation private --net --fork /bin/sh -c '
      set -e
      d="$1"; p="$2"; shift 2
      ip link set lo up 2>/dev/null || true
      [ -e /etc/subuid ] && mount --bind "$d/subuid" /etc/subuid
      [ -e /etc/subgid ] && mount --bind "$d/subgid" /etc/subgid
      [ -z "$p" ] || mount --bind "$p" /run/docker/plugins
      exec dockerd "$@"' sh "$D" "$plugins" \
    --config-file "$CONF" \
    --data-root "$DATA" \
    --exec-root "$EXEC" \
    --pidfile "$PIDFILE" \
    -H "unix://$SOCK" \
    "$@" \
    </dev/null >"$LOGF" 2>&1 &
  local launcher=$! _
  for _ in $(seq 1 120); do
    if answers; then echo "$SOCK"; return 0; fi
    if ! kill -0 "$launcher" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "dockerd-variant.sh: dockerd '$name' did not answer on $SOCK within 60 s; last log lines:" >&2
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
  # The managed containerd and its shims of THIS variant only (their command lines name our exec-root).
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
  if running_pid >/dev/null && answers; then echo "$SOCK"; return 0; fi
  echo "dockerd-variant.sh: variant '$1' not running ($SOCK)" >&2
  return 1
}

purge() {
  stop "$1"
  paths "$1"
  rm -rf --one-file-system "$D"
}

list() {
  [ -d "$BASE" ] || return 0
  local n
  shopt -s nullglob
  for n in "$BASE"/*/; do
    n="$(basename "$n")"
    paths "$n"
    if running_pid >/dev/null; then echo "$n running $SOCK"; else echo "$n stopped"; fi
  done
}

cmd="${1:-}"
case "$cmd" in
  start) [ $# -ge 2 ] || usage; check_name "$2"; shift; start "$@" ;;
  stop) [ $# -eq 2 ] || usage; check_name "$2"; stop "$2" ;;
  status) [ $# -eq 2 ] || usage; check_name "$2"; status "$2" ;;
  purge) [ $# -eq 2 ] || usage; check_name "$2"; purge "$2" ;;
  list) list ;;
  *) usage ;;
esac

#!/usr/bin/env bash
# Usage: scripts/docker-bench.sh install | run DOCKER_HOST LOG_PREFIX [DOCKERD_PID] [-- DOCKER_BENCH_ARGS...] | path
#
# The peer of `bulwark audit docker`: docker-bench-security's own shell scripts (CIS Docker Benchmark v1.6.0),
# copied unmodified into .bulwark-work/peers/docker-bench-security/.
#
# install  copies docker-bench-security.sh, functions/ and tests/ at commit $DOCKER_BENCH_REF (default: the master
#          commit of 2024-10-21, script version 1.6.0, which carries the CIS v1.6 renumbering — swarm mode as 5.1 —
#          that the v1.6.0 tag lacks) from third_party/docker-bench-security (that commit, kept in the repository),
#          else from the first source that has it:
#            $DOCKER_BENCH_SRC (a git directory or a clone), /work/.mirror/docker+docker-bench-security/repo,
#            else `git clone https://github.com/docker/docker-bench-security`.
#          Idempotent: a stamp file records the commit copied.
# run      runs it against DOCKER_HOST (unix:///path) with the JSON log at LOG_PREFIX.json (and the text log at
#          LOG_PREFIX). docker-bench reads dockerd's flags from the NEWEST process named dockerd (pgrep -f -n), which
#          on a machine with several daemons is not necessarily the audited one: with DOCKERD_PID, a pgrep shim first
#          on PATH answers that pid for "dockerd", so docker-bench reads the right command line. Extra arguments after
#          "--" go to docker-bench-security.sh (e.g. -c check_5 -i NAME_PATTERN).
# path     prints the directory of the copy.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.bulwark-work/peers/docker-bench-security"
REF="${DOCKER_BENCH_REF:-ff26d67f25be60fc2d82a01710ee14570b2cb9db}"
VENDORED_REF=ff26d67f25be60fc2d82a01710ee14570b2cb9db
UPSTREAM="https://github.com/docker/docker-bench-security"
FILES=(docker-bench-security.sh functions tests LICENSE.md)

usage() {
  echo "usage: scripts/docker-bench.sh install | run DOCKER_HOST LOG_PREFIX [DOCKERD_PID] [-- ARGS...] | path" >&2
  exit 2
}

# Echoes a git directory holding $REF, or fails.
find_source() {
  local cand gd
  for cand in "${DOCKER_BENCH_SRC:-}" /work/.mirror/docker+docker-bench-security/repo; do
    [ -n "$cand" ] || continue
    for gd in "$cand" "$cand/.git"; do
      if [ -d "$gd" ] && git --git-dir="$gd" cat-file -e "$REF^{commit}" 2>/dev/null; then echo "$gd"; return 0; fi
    done
  done
  local clone="$ROOT/.bulwark-work/peers/docker-bench-security.git"
  if [ ! -d "$clone" ]; then
    git clone --quiet --bare "$UPSTREAM" "$clone" >&2 || return 1
  fi
  git --git-dir="$clone" cat-file -e "$REF^{commit}" 2>/dev/null || git --git-dir="$clone" fetch --quiet origin "$REF" >&2 || return 1
  echo "$clone"
}

install() {
  if [ -f "$DEST/.ref" ] && [ "$(cat "$DEST/.ref")" = "$REF" ] && [ -x "$DEST/docker-bench-security.sh" ]; then return 0; fi
  # the unmodified copy kept in the repository (third_party/), for machines that reach no source-code host
  if [ "$REF" = "$VENDORED_REF" ] && [ -x "$ROOT/third_party/docker-bench-security/docker-bench-security.sh" ]; then
    rm -rf "$DEST"; mkdir -p "$DEST"
    cp -a "${FILES[@]/#/$ROOT/third_party/docker-bench-security/}" "$DEST/"
    chmod 755 "$DEST" "$DEST/docker-bench-security.sh"
    echo "$REF" >"$DEST/.ref"
    return 0
  fi
  command -v git >/dev/null || { echo "docker-bench.sh: git missing" >&2; exit 1; }
  local src tmp
  src="$(find_source)" || { echo "docker-bench.sh: docker-bench-security $REF not found (set DOCKER_BENCH_SRC)" >&2; exit 1; }
  tmp="$(mktemp -d)"
  git --git-dir="$src" archive "$REF" "${FILES[@]}" | tar -x -C "$tmp"
  rm -rf "$DEST"
  mkdir -p "$(dirname "$DEST")"
  mv "$tmp" "$DEST"
  chmod 755 "$DEST" "$DEST/docker-bench-security.sh"
  echo "$REF" >"$DEST/.ref"
}

run() {
  local host="$1" log="$2" pid="${3:-}"
  shift 2; [ $# -gt 0 ] && [ "$1" != "--" ] && shift
  [ "${1:-}" = "--" ] && shift
  install
  for tool in awk grep sed stat tail tee tr wc xargs jq; do
    command -v "$tool" >/dev/null || { echo "docker-bench.sh: $tool missing" >&2; exit 1; }
  done
  command -v ss >/dev/null || command -v netstat >/dev/null || { echo "docker-bench.sh: ss or netstat missing" >&2; exit 1; }
  local shim
  shim="$(mktemp -d)"
  trap 'rm -rf "$shim"' RETURN
  if [ -n "$pid" ]; then
    local real_pgrep
    real_pgrep="$(command -v pgrep)"
    cat >"$shim/pgrep" <<EOF
#!/bin/sh
# docker-bench-security asks "pgrep -f -n dockerd" (or "docker daemon"): answer the audited daemon's pid.
for a in "\$@"; do
  case "\$a" in
    "docker daemon") exit 1 ;;
    dockerd) echo $pid; exit 0 ;;
  esac
done
exec $real_pgrep "\$@"
EOF
    chmod 755 "$shim/pgrep"
  fi
  mkdir -p "$(dirname "$log")"
  # docker-bench-security.sh sources its libraries relative to the working directory.
  (cd "$DEST" && PATH="$shim:$PATH" DOCKER_HOST="$host" bash ./docker-bench-security.sh -b -l "$log" "$@")
}

case "${1:-}" in
  install) install ;;
  run) [ $# -ge 3 ] || usage; shift; run "$@" ;;
  path) echo "$DEST" ;;
  *) usage ;;
esac

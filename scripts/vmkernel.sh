#!/usr/bin/env bash
# Usage: scripts/vmkernel.sh [path]  — unpacks (once) the Debian kernel the `--isolation vm` guest boots into
# .bulwark-work/vmkernel/: the package linux-image-amd64 depends on is fetched with `apt-get download` and unpacked
# with `dpkg-deb -x`, never installed (the host keeps its own kernel, and /boot and /lib/modules stay untouched).
# `path` prints the unpacked tree (its boot/vmlinuz-* and lib/modules/*), the directory `bulwark run --vm-kernel`
# takes. Silent unless something fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/.bulwark-work"
DIR="$WORK/vmkernel"
LOG="$WORK/logs"
TREE="$DIR/root"

case "${1:-}" in
  "") ;;
  path) echo "$TREE"; exit 0 ;;
  *) echo "usage: scripts/vmkernel.sh [path]" >&2; exit 2 ;;
esac

mkdir -p "$DIR" "$LOG"
# linux-image-amd64 is a metapackage: its first dependency names the real image package (linux-image-6.1.0-N-amd64).
dep="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')"
if [ -z "$dep" ]; then
  apt-get update -q >"$LOG/vmkernel.log" 2>&1 || true
  dep="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')"
fi
[ -n "$dep" ] || { echo "vmkernel.sh: apt knows no linux-image-amd64 (apt-get update?)" >&2; exit 1; }

stamp="$DIR/.unpacked"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$dep" ] && ls "$TREE"/boot/vmlinux-* >/dev/null 2>&1; then exit 0; fi

rm -rf "$DIR/dl" "$TREE.new"
mkdir -p "$DIR/dl" "$TREE.new"
# _apt downloads into the directory: it must be able to write there
chmod 0777 "$DIR/dl"
if ! (cd "$DIR/dl" && apt-get download -q "$dep" >>"$LOG/vmkernel.log" 2>&1); then
  apt-get update -q >>"$LOG/vmkernel.log" 2>&1 || true
  (cd "$DIR/dl" && apt-get download -q "$dep" >>"$LOG/vmkernel.log" 2>&1) \
    || { echo "vmkernel.sh: apt-get download $dep failed; see $LOG/vmkernel.log" >&2; tail -5 "$LOG/vmkernel.log" >&2; exit 1; }
fi
deb="$(ls "$DIR"/dl/*.deb | head -1)"
dpkg-deb -x "$deb" "$TREE.new"
ls "$TREE.new"/boot/vmlinuz-* >/dev/null 2>&1 || { echo "vmkernel.sh: $deb has no boot/vmlinuz-*" >&2; exit 1; }
# Under software emulation the bzImage's own xz decompressor is the slowest part of a boot (about half of it,
# measured: bench/isolation-bench.sh); the uncompressed ELF inside it carries a PVH entry note, so QEMU boots it
# directly. The payload starts at the first xz stream header (FD 37 7A 58 5A 00); xz ignores the trailing bytes.
for z in "$TREE.new"/boot/vmlinuz-*; do
  off="$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$z" | head -1 | cut -d: -f1)"
  [ -n "$off" ] || { echo "vmkernel.sh: $z holds no xz stream (not an xz-compressed bzImage?)" >&2; exit 1; }
  x="${z/vmlinuz-/vmlinux-}"
  tail -c +"$((off + 1))" "$z" | xz -dc --single-stream >"$x" 2>/dev/null || true
  [ "$(head -c 4 "$x" | od -An -tx1 | tr -d ' ')" = "7f454c46" ] || { echo "vmkernel.sh: $z: the unpacked kernel is not an ELF file" >&2; exit 1; }
done
# the guest needs the kernel and a handful of modules (virtio, 9p); the rest of the package is kept for other
# guests' needs, it costs only disk
rm -rf "$TREE"
mv "$TREE.new" "$TREE"
rm -rf "$DIR/dl"
printf '%s' "$dep" >"$stamp"

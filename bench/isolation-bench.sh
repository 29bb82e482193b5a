#!/usr/bin/env bash
# Usage: bench/isolation-bench.sh [--runs N]
#
# Start-to-exit time of a trivial command (`true`) at each isolation level of `bulwark run`, side by side in one
# run, on the bookworm test image (oci:, from scripts/testimages.sh). Every round runs each of these once, in turn
# (so load from other processes falls on all alike); N rounds (default 7); medians:
#   runc run          runc run of the bundle `bulwark run --print-config` writes (the container level, without the JVM)
#   runsc run         runsc run of the same bundle, as bulwark runs it (--network=none --oci-seccomp)
#   bulwark container ./bulwark run -q --isolation container IMAGE -- true
#   bulwark sandbox   ./bulwark run -q --isolation sandbox IMAGE -- true
#   bulwark vm        ./bulwark run -q --isolation vm --vm-accel tcg IMAGE -- true (software emulation: /dev/kvm on
#                     these machines cannot boot a stock kernel)
#   bulwark --version the JVM and the CLI starting and stopping: what every bulwark row pays before it does anything
# The VM rows are split by the guest's own clock (the init writes its uptime to the console at each step; read from
# --vm-console): kernel boot to the init, module loading, the 9p and overlay mounts, the command; the rest is QEMU
# starting, loading the kernel and initramfs, and stopping, plus bulwark's own work.
# Writes the markdown table, with the command that reproduces it, to .bulwark-work/bench/isolation.md and prints it.
# Needs root, runc, runsc, qemu-system-x86, busybox-static (scripts/install.sh), the guest kernel
# (scripts/vmkernel.sh) and the built CLI (BULWARK_JAR, default bulwark-cli/target/bulwark.jar).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-7}"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "isolation-bench.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
case "$RUNS" in ''|*[!0-9]*|0) echo "isolation-bench.sh: --runs needs a positive number" >&2; exit 2 ;; esac
die() { echo "isolation-bench.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (runc and runsc with a user namespace, QEMU's shares)"
for t in runc runsc qemu-system-x86_64 busybox bc; do command -v "$t" >/dev/null || die "$t missing: scripts/install.sh"; done
KERNEL="$("$ROOT/scripts/vmkernel.sh" path)"
ls "$KERNEL"/boot/vmlinu* >/dev/null 2>&1 || die "no guest kernel in $KERNEL: scripts/vmkernel.sh"
MANIFEST="$ROOT/.bulwark-work/images/manifest.env"
[ -f "$MANIFEST" ] || die "$MANIFEST missing: scripts/testimages.sh"
OCI_DIR="$(sed -n 's/^BOOKWORM_OCI_DIR=//p' "$MANIFEST")"
OCI_REF="$(sed -n 's/^BOOKWORM_OCI_REF=//p' "$MANIFEST")"
IMAGE="oci:$OCI_DIR:$OCI_REF"
export BULWARK_JAR="${BULWARK_JAR:-$ROOT/bulwark-cli/target/bulwark.jar}"
[ -f "$BULWARK_JAR" ] || die "$BULWARK_JAR missing: ./mvnw -q install -DskipTests (or set BULWARK_JAR)"

W="$ROOT/.bulwark-work/bench"
BASE="$W/isolation-bench"
STORE="$BASE/rootfs"
MD="$W/isolation.md"
mkdir -p "$W" "$BASE"
# the mapped root must pass through every directory above the store
for d in "$ROOT/.bulwark-work" "$W" "$BASE"; do chmod o+x "$d"; done
BUNDLE="$BASE/bundle"
STATE="$BASE/state"
CONSOLES="$BASE/consoles"
rm -rf "$BUNDLE" "$STATE" "$CONSOLES"
mkdir -p "$BUNDLE" "$STATE" "$CONSOLES"
B=("$ROOT/bulwark" run -q --rootfs-dir "$STORE" --vm-kernel "$KERNEL" --vm-accel tcg)

echo "isolation-bench.sh: unpacking $IMAGE once into $STORE (both id shifts; cached afterwards)" >&2
"${B[@]}" --isolation container "$IMAGE" -- true
"${B[@]}" --isolation vm "$IMAGE" -- true
"${B[@]}" --print-config "$IMAGE" -- true >"$BUNDLE/config.json"

now() { date +%s.%N; }
declare -A T
one() { # name command...
  local name="$1" s e
  shift
  s="$(now)"
  "$@" >/dev/null 2>&1 </dev/null || die "'$*' failed"
  e="$(now)"
  T[$name]+="$(echo "$e - $s" | bc) "
}
by_hand() { # runtime flags...
  local rt="$1" id="bench-$RANDOM$RANDOM"
  shift
  # runsc's output must be a pipe or opened for append
  "$rt" --root "$STATE" "$@" run --bundle "$BUNDLE" "$id" 2>&1 | cat
  "$rt" --root "$STATE" delete --force "$id" >/dev/null 2>&1 || true
}
for r in $(seq 1 "$RUNS"); do
  one runc by_hand runc
  one runsc by_hand runsc --network=none --oci-seccomp
  one container "${B[@]}" --isolation container "$IMAGE" -- true
  one sandbox "${B[@]}" --isolation sandbox "$IMAGE" -- true
  one vm "${B[@]}" --isolation vm --vm-console "$CONSOLES/$r.log" "$IMAGE" -- true
  one version "$ROOT/bulwark" --version
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m}'; }
declare -A M
for k in runc runsc container sandbox vm version; do M[$k]="$(echo "${T[$k]}" | median)"; done
# the guest's uptime at each of the init's steps, per round; medians of the differences
phase() { # from to (markers of the init's console lines; "0" is the kernel's start)
  local f a b out=""
  for f in "$CONSOLES"/*.log; do
    a=0; [ "$1" = 0 ] || a="$(sed -n "s/^bulwark-init: $1 \([0-9.]*\).*/\1/p" "$f" | head -1)"
    if [ "$2" = status ]; then b="$(sed -n 's/^bulwark-init: status [0-9]* \([0-9.]*\).*/\1/p' "$f" | head -1)"
    else b="$(sed -n "s/^bulwark-init: $2 \([0-9.]*\).*/\1/p" "$f" | head -1)"; fi
    [ -n "$a" ] && [ -n "$b" ] && out+="$(echo "$b - $a" | bc) "
  done
  echo "$out" | median
}
KBOOT="$(phase 0 up)"; MODS="$(phase up modules)"; MNT="$(phase modules mounted)"; CMD="$(phase mounted status)"
GUEST="$(echo "$KBOOT + $MODS + $MNT + $CMD" | bc)"
# QEMU's own start-to-exit, as bulwark timed it around the process
QEMU="$(for f in "$CONSOLES"/*.log; do sed -n 's/^bulwark-host: qemu tcg ran \([0-9.]*\) s.*/\1/p' "$f"; done | tr '\n' ' ' | median)"
QEMU_REST="$(echo "$QEMU - $GUEST" | bc)"
BULWARK_REST="$(echo "${M[vm]} - $QEMU" | bc)"
ratio() { echo "scale=1; $1 / $2" | bc; }
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "### \`bulwark run --isolation\`: start-to-exit of \`true\` at each level"
  echo
  echo "$(nproc) CPUs, load average $LOAD at the end; $RUNS interleaved rounds, medians; QEMU $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p'), guest kernel $(basename "$(ls "$KERNEL"/lib/modules | tail -1)"), runsc $(runsc --version 2>/dev/null | sed -n '1s/runsc version //p')."
  echo
  echo "| what | median s | vs runc run |"
  echo "|---|---|---|"
  echo "| \`runc run\` of the bundle (+ delete) | ${M[runc]} | 1.0x |"
  echo "| \`runsc run\` of the same bundle (+ delete) | ${M[runsc]} | $(ratio "${M[runsc]}" "${M[runc]}")x |"
  echo "| \`bulwark run --isolation container\` | ${M[container]} | $(ratio "${M[container]}" "${M[runc]}")x |"
  echo "| \`bulwark run --isolation sandbox\` | ${M[sandbox]} | $(ratio "${M[sandbox]}" "${M[runc]}")x |"
  echo "| \`bulwark run --isolation vm\` (TCG) | ${M[vm]} | $(ratio "${M[vm]}" "${M[runc]}")x |"
  echo "| \`bulwark --version\` (JVM + CLI start) | ${M[version]} | |"
  echo
  echo "Sandbox vs container: $(ratio "${M[runsc]}" "${M[runc]}")x by the runtimes alone, $(ratio "${M[sandbox]}" "${M[container]}")x through bulwark."
  echo "The VM under emulation: QEMU ran ${QEMU} s from start to exit (median, timed by bulwark around the process); the"
  echo "guest's clock splits it (medians of each step):"
  echo
  echo "| VM phase | median s |"
  echo "|---|---|"
  echo "| kernel boot to the init | $KBOOT |"
  echo "| loading the modules (virtio, 9p, overlay) | $MODS |"
  echo "| 9p + overlay + proc/dev/sys/tmpfs mounts | $MNT |"
  echo "| the command (\`true\`, chrooted, as the user) | $CMD |"
  echo "| QEMU's own start, loading kernel + initramfs, power-off (QEMU's time minus the above) | $QEMU_REST |"
  echo "| **QEMU start to exit** | **$QEMU** |"
  echo "| bulwark around it: JVM, image, initramfs, output (\`bulwark run --isolation vm\` minus QEMU) | $BULWARK_REST |"
  echo
  echo "Reproduce: \`bench/isolation-bench.sh --runs $RUNS\`"
} >"$MD"
cat "$MD"

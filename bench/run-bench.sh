#!/usr/bin/env bash
# Usage: bench/run-bench.sh [--runs N]
#
# Start-to-exit time of `bulwark run IMAGE -- true` against `runc run` of the same bundle by hand, on the bookworm
# test image (oci:, from scripts/testimages.sh). The bundle for runc is exactly what bulwark runs: its config.json
# comes from `bulwark run --print-config` (same user namespace, seccomp, mounts, limits; root = the unpacked image in
# the same store). The image is unpacked once before the rounds (the store is a cache: a second run starts from it).
# Four commands take turns in every round (so load from other processes falls on all alike), N rounds (default 9);
# the median of each is reported, with the ratio to runc:
#   runc run          runc --root STATE run --bundle B ID, then runc delete (what bulwark does around it too)
#   bulwark run true  ./bulwark run -q IMAGE -- true (the launcher, the JVM, the image opened, the bundle, runc)
#   JVM alone         the java command the launcher runs for `run` (same flags, same AOT cache), with -version instead
#   run --help        the JVM and the CLI (picocli's model of `run`) starting and stopping, nothing else
#   --print-config    everything bulwark run does before runc: open the image, find the cached rootfs, build the config
# Writes the markdown table, with the command that reproduces it, to .bulwark-work/bench/run.md and prints it.
# Needs root, runc, a JDK >= 21 and the built CLI (BULWARK_JAR, default bulwark-cli/target/bulwark.jar).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-9}"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "run-bench.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "run-bench.sh: needs root (runc with a user namespace)" >&2; exit 1; }
command -v runc >/dev/null || { echo "run-bench.sh: runc missing: scripts/install.sh" >&2; exit 1; }
MANIFEST="$ROOT/.bulwark-work/images/manifest.env"
[ -f "$MANIFEST" ] || { echo "run-bench.sh: $MANIFEST missing: scripts/testimages.sh" >&2; exit 1; }
OCI_DIR="$(sed -n 's/^BOOKWORM_OCI_DIR=//p' "$MANIFEST")"
OCI_REF="$(sed -n 's/^BOOKWORM_OCI_REF=//p' "$MANIFEST")"
IMAGE="oci:$OCI_DIR:$OCI_REF"
export BULWARK_JAR="${BULWARK_JAR:-$ROOT/bulwark-cli/target/bulwark.jar}"
[ -f "$BULWARK_JAR" ] || { echo "run-bench.sh: $BULWARK_JAR missing: ./mvnw -q install -DskipTests (or set BULWARK_JAR)" >&2; exit 1; }

W="$ROOT/.bulwark-work/bench"
BASE="$W/run-bench"
STORE="$BASE/rootfs"
MD="$W/run.md"
mkdir -p "$W" "$BASE"
# the mapped root must pass through every directory above the store
for d in "$ROOT/.bulwark-work" "$W" "$BASE"; do chmod o+x "$d"; done
BUNDLE="$BASE/bundle"
STATE="$BASE/runc-state"
rm -rf "$BUNDLE" "$STATE"
mkdir -p "$BUNDLE" "$STATE"

echo "run-bench.sh: unpacking $IMAGE once into $STORE (cached afterwards)" >&2
"$ROOT/bulwark" run -q --rootfs-dir "$STORE" "$IMAGE" -- true
"$ROOT/bulwark" run -q --print-config --rootfs-dir "$STORE" "$IMAGE" -- true >"$BUNDLE/config.json"

# the exact java command line of `bulwark run`, up to -jar: the JVM alone
mapfile -t JVM < <(BULWARK_DRY_RUN=1 "$ROOT/bulwark" run -q --rootfs-dir "$STORE" "$IMAGE" -- true | sed '/^-jar$/,$d')

now() { date +%s.%N; }
declare -A T
one() { # name command...
  local name="$1" s e
  shift
  s="$(now)"
  "$@" >/dev/null 2>&1 </dev/null || { echo "run-bench.sh: '$*' failed" >&2; exit 1; }
  e="$(now)"
  T[$name]+="$(echo "$e - $s" | bc) "
}
runc_by_hand() {
  local id="bench-$RANDOM$RANDOM"
  runc --root "$STATE" run --bundle "$BUNDLE" "$id"
  runc --root "$STATE" delete -f "$id" 2>/dev/null || true
}
for r in $(seq 1 "$RUNS"); do
  one runc runc_by_hand
  one run "$ROOT/bulwark" run -q --rootfs-dir "$STORE" "$IMAGE" -- true
  one jvm "${JVM[@]}" -version
  one help "$ROOT/bulwark" run --help
  one print "$ROOT/bulwark" run -q --print-config --rootfs-dir "$STORE" "$IMAGE" -- true
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m}'; }
RUNC="$(echo "${T[runc]}" | median)"
RUN="$(echo "${T[run]}" | median)"
JVMT="$(echo "${T[jvm]}" | median)"
HELP="$(echo "${T[help]}" | median)"
PRINT="$(echo "${T[print]}" | median)"
ratio() { echo "scale=1; $1 / $RUNC" | bc; }
{
  echo "## bulwark run vs runc run ($(date -u +%Y-%m-%d), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg), median of $RUNS interleaved rounds)"
  echo
  echo "| what | median s | vs runc run |"
  echo "|---|---|---|"
  echo "| \`runc run\` of the same bundle (+ \`runc delete\`) | $RUNC | 1.0x |"
  echo "| \`bulwark run -q IMAGE -- true\` | $RUN | $(ratio "$RUN")x |"
  echo "| of which: the JVM alone (\`java\` with run's flags and AOT cache, \`-version\`) | $JVMT | $(ratio "$JVMT")x |"
  echo "| of which: \`bulwark run --help\` (JVM + CLI start: picocli's model of run) | $HELP | $(ratio "$HELP")x |"
  echo "| of which: \`bulwark run --print-config\` (start + image + config, no runc) | $PRINT | $(ratio "$PRINT")x |"
  echo
  echo "Image: the bookworm test image from its OCI layout, unpacked once (cached by image id in the store). Reproduce:"
  echo "\`bench/run-bench.sh --runs $RUNS\` (as root; BULWARK_JAR=$BULWARK_JAR)."
} | tee "$MD"

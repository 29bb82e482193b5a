#!/usr/bin/env bash
# Usage: bench/vulndb-bench.sh [--runs N] [--scan-runs N] [--no-scan] [--no-profile] [--no-doc]
#
# The vulnerability DB and matching, measured in one run against the issue's goals, with a baseline beside each:
#   import     `bulwark db import` of every feed of ../shared/vulndata into a fresh --db dir (N runs, default 3,
#              median); baselines: `cat` of every file of those feeds, and the same parsers without the store
#              (dev.bulwark.bench.ParseOnly of bench/jmh: Feeds.parseTree into a counting sink, a fresh JVM)
#   matching   JMH (bench/jmh, MatchBenchmark): Matcher.match of a 10,000-package inventory against a DB imported
#              from the same feeds, once the DB is open (average time); baseline: the DB lookups alone
#   DB size    the --db directory after the import vs the same feed folders as tar.gz (gzip -6) and as zip
#   scan       `bulwark scan` vs `bulwark sbom` of the benchmark image (bench/build-image.sh), same target, same
#              warm layer cache, contenders taking turns (N runs, default 5, median); DB: the import above
# Goals missed are profiled (untimed JFR recordings, jdk.ExecutionSample, summarised by top frame).
# Prints a markdown table and writes it to docs/BENCHMARKS.md, section "Vulnerability DB and matching" (only that
# section is replaced; the rest of the file is left as it is). Nothing touches the user's DB or caches: every --db
# and --cache-dir is under bench/out/vulndb/ (gitignored), where the results and logs of the last run stay.
# Environment: JAVA_HOME (JDK >= 21; default the newest under /usr/lib/jvm), BULWARK_BUILD_DIR (default target-bench,
# the reactor's -Dbulwark.build.dir), BULWARK_VULNDATA (default ../shared/vulndata), BULWARK_HEAP (default 512m),
# QUIET_WAIT / NOISE / RETRIES (see measure()).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/vulndb"
DOC="$ROOT/docs/BENCHMARKS.md"
SECTION="Vulnerability DB and matching"
RUNS=3
SCAN_RUNS=5
DO_SCAN=1
DO_PROFILE=1
WRITE_DOC=1
HEAP="${BULWARK_HEAP:-512m}"
BUILD_DIR="${BULWARK_BUILD_DIR:-target-bench}"
VULNDATA="${BULWARK_VULNDATA:-$ROOT/../shared/vulndata}"
FEEDS=(golang-vulndb pypa-advisory-database nodejs-security-wg rustsec-advisory-db alpine-secdb cisa-kev)
# goals of the issue "Vulnerability database and matching"
GOAL_IMPORT_S=20
GOAL_MATCH_MS=200
GOAL_SIZE_RATIO=2
GOAL_SCAN_RATIO=1.1

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --scan-runs) SCAN_RUNS="$2"; shift 2 ;;
    --no-scan) DO_SCAN=0; shift ;;
    --no-profile) DO_PROFILE=0; shift ;;
    --no-doc) WRITE_DOC=0; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "vulndb-bench.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$SCAN_RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "vulndb-bench.sh: --runs and --scan-runs want a positive number" >&2; exit 2; }

die() { echo "vulndb-bench.sh: $*" >&2; exit 1; }
say() { echo "vulndb-bench.sh: $*" >&2; }
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS

for t in jq tar gzip zip du find xargs awk /usr/bin/time; do command -v "$t" >/dev/null || die "$t is missing (scripts/install.sh; /usr/bin/time: apt-get install time)"; done
VULNDATA="$(cd "$VULNDATA" 2>/dev/null && pwd)" || die "no shared/vulndata (set BULWARK_VULNDATA)"
for f in "${FEEDS[@]}"; do [ -d "$VULNDATA/$f" ] || die "$VULNDATA/$f is missing"; done
FEED_PATHS=(); for f in "${FEEDS[@]}"; do FEED_PATHS+=("$VULNDATA/$f"); done

# The JDK: $JAVA_HOME, else java on PATH, else /usr/lib/jvm/*, the first one >= 21.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1 | cut -d. -f1; }
JAVA=""
for c in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/*/bin/java; do
  [ -n "$c" ] && [ -x "$c" ] || continue
  v="$(java_major "$c")"
  if [ -n "$v" ] && [ "$v" -ge 21 ]; then JAVA="$c"; break; fi
done
[ -n "$JAVA" ] || die "no JDK >= 21 (JAVA_HOME, PATH, /usr/lib/jvm)"
JBIN="$(dirname "$JAVA")"
export JAVA_HOME="$(dirname "$JBIN")"

rm -rf "$OUT"
mkdir -p "$OUT/time" "$OUT/log" "$OUT/bin" "$OUT/jmh/lib" "$OUT/prof"

# ------------------------------------------------------------------ build (own output dirs), then private copies
# Others build in the same checkout: the reactor goes to $BUILD_DIR, and what is measured is a copy of the CLI jar
# and of the benchmark's classpath, so that a rebuild or an install by someone else during the run changes nothing.
say "building the CLI and bulwark-match (-Dbulwark.build.dir=$BUILD_DIR) and bench/jmh"
( cd "$ROOT" && ./mvnw -q -B -o install -DskipTests -Dbulwark.build.dir="$BUILD_DIR" -pl bulwark-cli -am ) \
  >"$OUT/log/build.out" 2>&1 || { tail -30 "$OUT/log/build.out" >&2; die "the Bulwark build failed"; }
# JMH comes from Maven Central the first time; offline afterwards
( cd "$ROOT" && { ./mvnw -q -B -o -f bench/jmh/pom.xml package -Dbulwark.build.dir="$BUILD_DIR" \
    || ./mvnw -q -B -f bench/jmh/pom.xml package -Dbulwark.build.dir="$BUILD_DIR"; } ) \
  >"$OUT/log/build-jmh.out" 2>&1 || { tail -30 "$OUT/log/build-jmh.out" >&2; die "the bench/jmh build failed"; }
cp -a "$ROOT/bulwark-cli/$BUILD_DIR/bulwark.jar" "$ROOT/bulwark-cli/$BUILD_DIR/lib" "$OUT/bin/"
cp -a "$ROOT/bench/jmh/$BUILD_DIR/classes" "$OUT/jmh/"
{ tr ':' '\n' <"$ROOT/bench/jmh/$BUILD_DIR/classpath.txt"; echo; } | while read -r j; do [ -z "$j" ] || cp "$j" "$OUT/jmh/lib/"; done
JMH_CP="$OUT/jmh/classes:$(find "$OUT/jmh/lib" -name '*.jar' | sort | paste -sd: -)"
BULWARK=("$JAVA" "-Xmx$HEAP" -jar "$OUT/bin/bulwark.jar")
REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain -- ':!bench' ':!docs' 2>/dev/null)" ]; then REV="$REV+changes"; fi

if [ "$DO_SCAN" = 1 ]; then
  "$ROOT/bench/build-image.sh"
  # shellcheck disable=SC1091
  . "$ROOT/.bulwark-work/bench/image.env"
  TARGET="oci:$BENCH_OCI:$BENCH_TAG"
fi

# ------------------------------------------------------------------ measuring (as bench/sbom-bench.sh does)
# measure LABEL ROUND CMD...: appends to OUT/time/LABEL /usr/bin/time's wall seconds, max RSS (KB), user and
# system seconds, the CPU seconds the rest of the machine used meanwhile (/proc/stat busy time minus ours), and 1
# when that stayed under NOISE (a clean run), else 0. Figures are medians of the clean runs (of all, if none was).
HZ="$(getconf CLK_TCK)"
busy() { awk -v hz="$HZ" '/^cpu / {printf "%.2f\n", ($2+$3+$4+$7+$8+$9)/hz}' /proc/stat; }
# On a shared machine: before each run wait (up to QUIET_WAIT s) for a second in which others use < 0.15 CPU, and
# run again (up to RETRIES times) when others used more than NOISE (in CPUs, averaged over the run) meanwhile.
QUIET_WAIT="${QUIET_WAIT:-30}"; RETRIES="${RETRIES:-4}"; NOISE="${NOISE:-0.25}"
RERUNS=0; BUSY_WAITS=0
wait_quiet() {
  local t=0 a b
  while [ "$t" -lt "$QUIET_WAIT" ]; do
    a="$(busy)"; sleep 1; b="$(busy)"
    awk -v a="$a" -v b="$b" 'BEGIN {exit !(b - a < 0.15)}' && return 0
    t=$((t + 1))
  done
  BUSY_WAITS=$((BUSY_WAITS + 1))
}
measure() {
  local label="$1" r="$2" b0 b1 try=0 line; shift 2
  while :; do
    [ -z "${FRESH_DIR:-}" ] || rm -rf "$FRESH_DIR"   # an import starts from no DB, also when repeated
    wait_quiet
    b0="$(busy)"
    if ! /usr/bin/time -f '%e %M %U %S' -o "$OUT/time/$label.$r" "$@" >"$OUT/log/$label.$r.out" 2>"$OUT/log/$label.$r.err"; then
      tail -20 "$OUT/log/$label.$r.err" >&2
      die "$label (round $r) failed: $*"
    fi
    b1="$(busy)"
    line="$(tail -n1 "$OUT/time/$label.$r" | awk -v b="$b1" -v a="$b0" -v n="$NOISE" '{o=b-a-$3-$4; if (o<0) o=0; printf "%s %s %s %s %.2f %d\n", $1, $2, $3, $4, o, (o <= n * $1)}')"
    [ "${line##* }" = 0 ] || break
    [ "$try" -lt "$RETRIES" ] || break
    printf '  %-10s %s s, others used %s CPU-s meanwhile: again\n' "$label" "${line%% *}" "$(echo "$line" | cut -d' ' -f5)" >&2
    echo "$line" >>"$OUT/time/$label.disturbed"
    try=$((try + 1)); RERUNS=$((RERUNS + 1))
  done
  echo "$line" >>"$OUT/time/$label"
  printf '  %-10s %s s (CPU %s s; others %s CPU-s)\n' "$label" "${line%% *}" \
    "$(echo "$line" | awk '{printf "%.2f", $3+$4}')" "$(echo "$line" | cut -d' ' -f5)" >&2
}
median() { sort -n | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
sel() { if grep -q ' 1$' "$OUT/time/$1"; then grep ' 1$' "$OUT/time/$1"; else cat "$OUT/time/$1"; fi; }   # the clean runs
col() { sel "$1" | awk -v c="$2" '{print $c}' | median; }
cpu() { sel "$1" | awk '{print $3+$4}' | median; }
clean() { echo "$(grep -c ' 1$' "$OUT/time/$1" || true) of $(wc -l <"$OUT/time/$1")"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "-"}'; }
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; then echo "met"; else echo "**missed**"; fi; }
missed() { ! awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; }

say "warming the page cache and the JVM's class data"
find "${FEED_PATHS[@]}" -type f -print0 | xargs -0 cat >/dev/null
"${BULWARK[@]}" --version >/dev/null
if [ "$DO_SCAN" = 1 ]; then
  cat "$BENCH_OCI"/blobs/*/* >/dev/null
fi
sync
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------ 1. import vs parse vs cat
CAT_CMD='find "$@" -type f -print0 | xargs -0 cat >/dev/null'
for r in $(seq 1 "$RUNS"); do
  say "import, round $r of $RUNS"
  measure cat "$r" sh -c "$CAT_CMD" _ "${FEED_PATHS[@]}"
  measure parse "$r" "$JAVA" "-Xmx$HEAP" -cp "$JMH_CP" dev.bulwark.bench.ParseOnly "${FEED_PATHS[@]}"
  FRESH_DIR="$OUT/db.$r" measure import "$r" "${BULWARK[@]}" db import --db "$OUT/db.$r" "${FEED_PATHS[@]}"
  du -sb "$OUT/db.$r" | cut -f1 >>"$OUT/time/db-bytes"   # apparent size of the whole --db dir (H2 file, link, lock)
done
IMPORT_RECORDS="$(sed -n 's/^imported \([0-9,]*\) records.*/\1/p' "$OUT/log/import.1.out")"
IMPORT_PROBLEMS="$(sed -n 's/^bulwark: \([0-9]*\) malformed.*/\1/p' "$OUT/log/import.1.err")"
PARSED="$(sed -n 's/^parsed \([0-9]*\) advisory records, \([0-9]*\) KEV.*/\1 advisory records + \2 KEV entries/p' "$OUT/log/parse.1.out")"
DB="$OUT/db.1"
for r in $(seq 2 "$RUNS"); do rm -rf "$OUT/db.$r"; done

# ------------------------------------------------------------------ 2. DB size vs the compressed feeds
say "DB size vs compressed feeds"
DB_BYTES="$(median <"$OUT/time/db-bytes")"    # median over the imports: H2's compaction does not give one size
DB_SIZES="$(awk '{printf "%s%.2f", (NR>1?", ":""), $1/1000000}' "$OUT/time/db-bytes")"
DB_DISK="$(du -sk "$DB" | cut -f1)"           # blocks used by the first, KiB
( cd "$VULNDATA" && tar czf "$OUT/feeds.tar.gz" "${FEEDS[@]}" )
( cd "$VULNDATA" && zip -q -r "$OUT/feeds.zip" "${FEEDS[@]}" )
TGZ_BYTES="$(stat -c %s "$OUT/feeds.tar.gz")"
ZIP_BYTES="$(stat -c %s "$OUT/feeds.zip")"
RAW_BYTES="$(du -sb "${FEED_PATHS[@]}" | awk '{s+=$1} END {print s}')"
FEED_FILES="$(find "${FEED_PATHS[@]}" -type f | wc -l)"
rm -f "$OUT/feeds.zip"
SIZE_RATIO="$(awk -v a="$DB_BYTES" -v b="$TGZ_BYTES" 'BEGIN {printf "%.3f", a/b}')"
SIZE_RATIO_ZIP="$(awk -v a="$DB_BYTES" -v b="$ZIP_BYTES" 'BEGIN {printf "%.2f", a/b}')"

# ------------------------------------------------------------------ 3. scan vs sbom, warm layer cache
if [ "$DO_SCAN" = 1 ]; then
  say "scan vs sbom of $TARGET: warming the layer cache"
  CACHE="$OUT/cache"
  "${BULWARK[@]}" sbom -q --cache-dir "$CACHE" -f json -o "$OUT/sbom-warmup.json" "$TARGET" >"$OUT/log/sbom-warmup.out" 2>&1 \
    || { tail "$OUT/log/sbom-warmup.out" >&2; die "sbom warm-up failed"; }
  "${BULWARK[@]}" scan -q --cache-dir "$CACHE" --db "$DB" -f json -o "$OUT/scan-warmup.json" "$TARGET" >"$OUT/log/scan-warmup.out" 2>&1 \
    || { tail "$OUT/log/scan-warmup.out" >&2; die "scan warm-up failed"; }
  "${BULWARK[@]}" scan -q --inventory "$OUT/sbom-warmup.json" --db "$DB" -f json -o "$OUT/scan-inv-warmup.json" >"$OUT/log/scan-inv-warmup.out" 2>&1 \
    || { tail "$OUT/log/scan-inv-warmup.out" >&2; die "scan --inventory warm-up failed"; }
  for r in $(seq 1 "$SCAN_RUNS"); do
    say "scan vs sbom, round $r of $SCAN_RUNS"
    # to split the difference: the JVM's start (--version), and matching the image's inventory without the image
    measure version "$r" "${BULWARK[@]}" --version
    measure scan-inv "$r" "${BULWARK[@]}" scan -q --inventory "$OUT/sbom-warmup.json" --db "$DB" -f json -o "$OUT/scan-inv.$r.json"
    # the order alternates, so that neither always follows the other
    if [ $((r % 2)) = 1 ]; then
      measure sbom "$r" "${BULWARK[@]}" sbom -q --cache-dir "$CACHE" -f json -o "$OUT/sbom.$r.json" "$TARGET"
      measure scan "$r" "${BULWARK[@]}" scan -q --cache-dir "$CACHE" --db "$DB" -f json -o "$OUT/scan.$r.json" "$TARGET"
    else
      measure scan "$r" "${BULWARK[@]}" scan -q --cache-dir "$CACHE" --db "$DB" -f json -o "$OUT/scan.$r.json" "$TARGET"
      measure sbom "$r" "${BULWARK[@]}" sbom -q --cache-dir "$CACHE" -f json -o "$OUT/sbom.$r.json" "$TARGET"
    fi
  done
  SCAN_PKGS="$(jq '.packages | length' "$OUT/sbom.1.json" 2>/dev/null || echo '?')"
  SCAN_PKG_TYPES="$(jq -r '[.packages[].type] | group_by(.) | map("\(.[0])=\(length)") | join(" ")' "$OUT/sbom.1.json" 2>/dev/null || echo '?')"
  SCAN_FINDINGS="$(jq '(.findings // .vulnerabilities // []) | length' "$OUT/scan.1.json" 2>/dev/null || echo '?')"
fi

# ------------------------------------------------------------------ 4. matching: JMH
say "matching: JMH MatchBenchmark (imports the feeds in its setup: about a minute before the first iteration)"
b0="$(busy)"
/usr/bin/time -f '%e %M %U %S' -o "$OUT/time/jmh.1" \
  "$JAVA" -cp "$JMH_CP" org.openjdk.jmh.Main 'dev.bulwark.bench.MatchBenchmark' -rf json -rff "$OUT/jmh.json" \
  -jvmArgsPrepend "-Dbulwark.vulndata=$VULNDATA -Dbulwark.bench.summary=$OUT/jmh-summary.txt" >"$OUT/log/jmh.out" 2>&1 \
  || { tail -30 "$OUT/log/jmh.out" >&2; die "JMH failed (see $OUT/log/jmh.out)"; }
b1="$(busy)"
JMH_OTHERS="$(awk -v a="$b0" -v b="$b1" -v f="$(cat "$OUT/time/jmh.1")" 'BEGIN {split(f, x, " "); o=b-a-x[3]-x[4]; if (o<0) o=0; printf "%.0f", o}')"
JMH_WALL="$(cut -d' ' -f1 "$OUT/time/jmh.1")"
jmh() { jq -r --arg b "$1" ".[] | select(.benchmark | endswith(\".\" + \$b)) | $2" "$OUT/jmh.json"; }
MATCH_MS="$(jmh match10k '.primaryMetric.score' | awk '{printf "%.1f", $1}')"
MATCH_ERR="$(jmh match10k '.primaryMetric.scoreError' | awk '{printf "%.1f", $1}')"
MATCH_N="$(jmh match10k '.primaryMetric.rawData | flatten | length')"
MATCH_MIN="$(jmh match10k '.primaryMetric.rawData | flatten | min' | awk '{printf "%.1f", $1}')"
LOOKUP_MS="$(jmh lookup10k '.primaryMetric.score' | awk '{printf "%.1f", $1}')"
[ -n "$MATCH_MS" ] && [ -n "$LOOKUP_MS" ] || { grep -m1 -A3 '<failure>' "$OUT/log/jmh.out" >&2 || true; die "JMH gave no result (see $OUT/log/jmh.out)"; }
LOOKUP_ERR="$(jmh lookup10k '.primaryMetric.scoreError' | awk '{printf "%.1f", $1}')"
summary() { sed -n "s/^$1=//p" "$OUT/jmh-summary.txt" | head -n1; }
FINDINGS="$(summary findings)"; AFFECTED="$(summary affected_packages)"; KEYS_HIT="$(summary keys_with_advisories)"
COMPOSITION="$(sed -n 's/^composition=//p' "$OUT/jmh-summary.txt" | awk '{n=$1; $1=""; printf "%s%s%s", (NR>1?"; ":""), n, $0}')"
MATCH_WARN="$(sed -n 's/^warning=//p' "$OUT/jmh-summary.txt" | head -n1)"

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------ figures, goals
IMPORT_T="$(col import 1)"; PARSE_T="$(col parse 1)"; CAT_T="$(col cat 1)"
IMPORT_CPU="$(cpu import)"; PARSE_CPU="$(cpu parse)"
mbytes() { awk -v b="$1" 'BEGIN {printf "%.2f", b/1000000}'; }
if [ "$DO_SCAN" = 1 ]; then SCAN_T="$(col scan 1)"; SBOM_T="$(col sbom 1)"; SCAN_RATIO="$(ratio "$SCAN_T" "$SBOM_T")"; fi

# ------------------------------------------------------------------ untimed: profiles of the goals missed
# jdk.ExecutionSample (a thread running Java code, every 10 ms with settings=profile) of one or more recordings,
# summarised by top frame, by innermost Bulwark frame and by step. It does not see the JIT compiler and GC threads,
# which do much of a short-lived JVM's work: the CPU times above include them.
samples() { # OUT.json JFR...: the samples of every recording, as one JSON array
  local out="$1" f; shift
  for f in "$@"; do "$JBIN/jfr" print --json --stack-depth 128 --events jdk.ExecutionSample "$f"; done \
    | jq -s '[.[].recording.events[]]' >"$out"
}
share() { # JSON, FILTER (jq condition), KEY (jq expression), N: "pct  key" lines, the N largest
  jq -r ".[] | select($2) | $3" "$1" | tr / . | sort | uniq -c | sort -rn \
    | awk -v n="$4" '{c[NR]=$1; $1=""; k[NR]=substr($0,2); t+=c[NR]} END {for (i=1;i<=NR && i<=n;i++) printf "%5.1f%%  %s\n", 100*c[i]/t, k[i]; if (NR==0) print "(no samples)"}'
}
TOP='.values.stackTrace.frames[0].method | "\(.type.name).\(.name)"'
INNER='[.values.stackTrace.frames[] | .method | "\(.type.name).\(.name)" | select(startswith("dev/bulwark/")) | select(startswith("dev/bulwark/bench/") | not)][0] // "(no Bulwark frame)"'
in_stack() { echo "([.values.stackTrace.frames[].method | \"\\(.type.name).\\(.name)\"] | index(\"$1\")) != null"; }
# the step of a CLI run a sample belongs to (the first that matches, outermost steps last)
STEP='[.values.stackTrace.frames[].method | "\(.type.name|split("/")|last).\(.name)"] as $f | ($f | index("Main.main")) as $m
  | if ($f | index("StoreImports.openForReading")) then "open the DB (VulnDb.open)"
    elif ($f | index("Matcher.match")) then "match (Matcher.match)"
    elif ($f | index("InventoryRunner.inventory")) then "image to inventory (InventoryRunner.inventory)"
    elif ($f | index("Reports.write")) then "write the report (Reports.write)"
    elif $m then "rest of main" else "other threads" end'
steps() { # JSON RUNS: samples per run by step
  jq -r ".[] | $STEP" "$1" | sort | uniq -c | sort -rn | awk -v r="$2" '{n=$1; $1=""; printf "%7.1f  %s\n", n/r, substr($0,2)}'
}
PROFILES=""
if [ "$DO_PROFILE" = 1 ]; then
  if missed "$IMPORT_T" "$GOAL_IMPORT_S"; then
    say "untimed: JFR recording of an import"
    rm -rf "$OUT/prof/db"
    "$JAVA" "-Xmx$HEAP" "-XX:StartFlightRecording=filename=$OUT/prof/import.jfr,settings=profile" -jar "$OUT/bin/bulwark.jar" \
      db import -q --db "$OUT/prof/db" "${FEED_PATHS[@]}" >"$OUT/log/prof-import.out" 2>&1 || die "profiled import failed"
    rm -rf "$OUT/prof/db"
    samples "$OUT/prof/import.json" "$OUT/prof/import.jfr"
    PROFILES="$PROFILES
Import (\`db import\`, every thread; $(jq length "$OUT/prof/import.json") samples):

\`\`\`
$(share "$OUT/prof/import.json" true "$TOP" 8)
--
$(share "$OUT/prof/import.json" true "$INNER" 8)
\`\`\`
"
  fi
  if missed "$MATCH_MS" "$GOAL_MATCH_MS"; then
    say "untimed: JFR recording of the matching benchmark"
    "$JAVA" -cp "$JMH_CP" org.openjdk.jmh.Main 'dev.bulwark.bench.MatchBenchmark.match10k' -wi 2 -i 5 \
      -jvmArgsPrepend "-Dbulwark.vulndata=$VULNDATA -XX:StartFlightRecording=filename=$OUT/prof/match.jfr,settings=profile" \
      >"$OUT/log/prof-match.out" 2>&1 || die "profiled JMH run failed (see $OUT/log/prof-match.out)"
    samples "$OUT/prof/match.json" "$OUT/prof/match.jfr"
    IN_BENCH="$(in_stack dev/bulwark/bench/MatchBenchmark.match10k)"
    # which step of Matcher.match: the frame it called
    UNDER='[.values.stackTrace.frames[].method | "\(.type.name).\(.name)"] as $f | ($f | index("dev/bulwark/match/Matcher.match")) as $i | if $i == null or $i == 0 then "Matcher.match itself" else $f[$i-1] end'
    PROFILES="$PROFILES
Matching (samples under \`MatchBenchmark.match10k\` only, $(jq "[.[] | select($IN_BENCH)] | length" "$OUT/prof/match.json") samples): by top frame, by innermost Bulwark
frame, then by the step of \`Matcher.match\` (the method it called):

\`\`\`
$(share "$OUT/prof/match.json" "$IN_BENCH" "$TOP" 8)
--
$(share "$OUT/prof/match.json" "$IN_BENCH" "$INNER" 8)
--
$(share "$OUT/prof/match.json" "$IN_BENCH" "$UNDER" 6)
\`\`\`
"
  fi
  if [ "$DO_SCAN" = 1 ] && missed "$SCAN_RATIO" "$GOAL_SCAN_RATIO"; then
    say "untimed: JFR recordings of $SCAN_RUNS scans and $SCAN_RUNS sboms"
    for r in $(seq 1 "$SCAN_RUNS"); do
      "$JAVA" "-Xmx$HEAP" "-XX:StartFlightRecording=filename=$OUT/prof/scan.$r.jfr,settings=profile" -jar "$OUT/bin/bulwark.jar" \
        scan -q --cache-dir "$CACHE" --db "$DB" -f json -o "$OUT/scan-prof.json" "$TARGET" >"$OUT/log/prof-scan.$r.out" 2>&1 || die "profiled scan failed"
      "$JAVA" "-Xmx$HEAP" "-XX:StartFlightRecording=filename=$OUT/prof/sbom.$r.jfr,settings=profile" -jar "$OUT/bin/bulwark.jar" \
        sbom -q --cache-dir "$CACHE" -f json -o "$OUT/sbom-prof.json" "$TARGET" >"$OUT/log/prof-sbom.$r.out" 2>&1 || die "profiled sbom failed"
    done
    samples "$OUT/prof/scan.json" "$OUT/prof"/scan.*.jfr
    samples "$OUT/prof/sbom.json" "$OUT/prof"/sbom.*.jfr
    classes() { "$JAVA" "-Xmx$HEAP" "-Xlog:class+load:file=$OUT/prof/classes.txt" -jar "$OUT/bin/bulwark.jar" "$@" >/dev/null 2>&1; wc -l <"$OUT/prof/classes.txt"; }
    CLASSES_SCAN="$(classes scan -q --cache-dir "$CACHE" --db "$DB" -f json -o "$OUT/scan-prof.json" "$TARGET")"
    CLASSES_SBOM="$(classes sbom -q --cache-dir "$CACHE" -f json -o "$OUT/sbom-prof.json" "$TARGET")"
    PROFILES="$PROFILES
Scan vs sbom ($SCAN_RUNS recordings of each, warm layer cache): samples per run by step, scan then sbom; then the
scan's samples by top frame and by innermost Bulwark frame. Classes loaded: scan $CLASSES_SCAN, sbom $CLASSES_SBOM
(\`-Xlog:class+load\`).

\`\`\`
scan, $(jq length "$OUT/prof/scan.json") samples:
$(steps "$OUT/prof/scan.json" "$SCAN_RUNS")
sbom, $(jq length "$OUT/prof/sbom.json") samples:
$(steps "$OUT/prof/sbom.json" "$SCAN_RUNS")
--
$(share "$OUT/prof/scan.json" true "$TOP" 8)
--
$(share "$OUT/prof/scan.json" true "$INNER" 8)
\`\`\`
"
  fi
fi

# ------------------------------------------------------------------ table and section
IMPORT_ROW="| import all of shared/vulndata (\`db import\`, $IMPORT_RECORDS records) | $(printf '%.2f' "$IMPORT_T") s (CPU $(printf '%.1f' "$IMPORT_CPU") s) | <= $GOAL_IMPORT_S s | parse only: $(printf '%.2f' "$PARSE_T") s (CPU $(printf '%.1f' "$PARSE_CPU") s); \`cat\`: $(printf '%.2f' "$CAT_T") s | $(ratio "$IMPORT_T" "$PARSE_T")x parse, $(ratio "$IMPORT_T" "$GOAL_IMPORT_S")x goal | $(verdict "$IMPORT_T" "$GOAL_IMPORT_S") |"
MATCH_ROW="| match 10,000 packages, DB open (JMH avg; $FINDINGS findings) | $MATCH_MS ± $MATCH_ERR ms | <= $GOAL_MATCH_MS ms | DB lookups alone: $LOOKUP_MS ± $LOOKUP_ERR ms | $(ratio "$MATCH_MS" "$LOOKUP_MS")x lookups, $(ratio "$MATCH_MS" "$GOAL_MATCH_MS")x goal | $(verdict "$MATCH_MS" "$GOAL_MATCH_MS") |"
SIZE_ROW="| DB on disk (\`du -sb\` of the --db dir, median of $RUNS imports) | $(mbytes "$DB_BYTES") MB | <= ${GOAL_SIZE_RATIO}x compressed feeds | feeds as tar.gz: $(mbytes "$TGZ_BYTES") MB (zip: $(mbytes "$ZIP_BYTES") MB; plain: $(mbytes "$RAW_BYTES") MB) | ${SIZE_RATIO}x tar.gz (${SIZE_RATIO_ZIP}x zip) | $(verdict "$SIZE_RATIO" "$GOAL_SIZE_RATIO") |"
if [ "$DO_SCAN" = 1 ]; then
  SCAN_ROW="| \`scan\` of the benchmark image, warm layer cache | $(printf '%.2f' "$SCAN_T") s (CPU $(printf '%.1f' "$(cpu scan)") s) | <= ${GOAL_SCAN_RATIO}x sbom | \`sbom\`: $(printf '%.2f' "$SBOM_T") s (CPU $(printf '%.1f' "$(cpu sbom)") s) | ${SCAN_RATIO}x | $(verdict "$SCAN_RATIO" "$GOAL_SCAN_RATIO") |"
else
  SCAN_ROW="| \`scan\` vs \`sbom\` | not measured (--no-scan) | <= ${GOAL_SCAN_RATIO}x sbom | | | |"
fi
TABLE="$(cat <<EOF
| what | figure | goal | baseline/peer | ratio | met? |
|---|---|---|---|---|---|
$IMPORT_ROW
$MATCH_ROW
$SIZE_ROW
$SCAN_ROW
EOF
)"

timings() { # label -> "a, b*, c" (* others used more than NOISE meanwhile: not counted when a clean run exists)
  awk '{printf "%s%s%s", (NR>1?", ":""), $1, ($6 == 1 ? "" : "*")}' "$OUT/time/$1"
}
others() { awk '{printf "%s%s", (NR>1?", ":""), $5}' "$OUT/time/$1"; }
CPU_MODEL="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)"
[ -n "$CPU_MODEL" ] || CPU_MODEL="$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)"
MEM_GB="$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
JDK_VERSION="$("$JAVA" -version 2>&1 | head -n1)"
NOW="$(date -u +%Y-%m-%dT%H:%MZ)"
SHARED_NOTE="Load average $LOAD_BEFORE before, $LOAD_AFTER after the timed runs; $BUSY_WAITS runs found no quiet second
within ${QUIET_WAIT} s before starting; $RERUNS runs during which the rest of the machine used more than $NOISE CPU were
repeated (up to $RETRIES times); every figure is the median of the clean runs (others under $NOISE CPU) when there is one"
if awk -v a="${LOAD_BEFORE%% *}" -v b="${LOAD_AFTER%% *}" -v n="$(nproc)" 'BEGIN {exit !(a > n/2 || b > n/2)}'; then
  SHARED_NOTE="$SHARED_NOTE. **The machine was shared with concurrent builds and tests**: disturbed runs are marked
and left out of the figures, and CPU times (user + system of the command, JIT and GC threads included) are given
beside wall times"
fi
SCAN_DESC=""
if [ "$DO_SCAN" = 1 ]; then
  SCAN_DESC="
Scan vs sbom: target \`oci:.bulwark-work/bench/oci:bench\` (\`bench/build-image.sh\`: Debian bookworm + JDK, Python, GCC;
jars; node_modules; $SCAN_PKGS packages: $SCAN_PKG_TYPES); one shared \`--cache-dir\` filled by an untimed run of each
first; $SCAN_RUNS runs each, taking turns (order alternating), median. The scan found $SCAN_FINDINGS vulnerabilities
(shared/vulndata has no Debian or Maven advisories: only npm packages can match). To split the difference, each round
also timed the JVM's start (\`bulwark --version\`: $(printf '%.2f' "$(col version 1)") s, CPU $(printf '%.2f' "$(cpu version)") s) and the matching
of that image's inventory without the image (\`scan --inventory SBOM.json\`, $SCAN_PKGS packages: $(printf '%.2f' "$(col scan-inv 1)") s,
CPU $(printf '%.2f' "$(cpu scan-inv)") s). Runs kept (s; clean runs: scan $(clean scan), sbom $(clean sbom); * as above):
scan $(timings scan); sbom $(timings sbom); others' CPU-s during them: scan $(others scan); sbom $(others sbom)."
fi

REPORT="$(cat <<EOF
## $SECTION

Measured $NOW on $(nproc) CPUs ($CPU_MODEL), $MEM_GB GB RAM, $(uname -r); $JDK_VERSION; Bulwark at \`$REV\`;
every Bulwark command as \`./bulwark\` runs it (\`java -Xmx$HEAP -jar bulwark.jar\`). $SHARED_NOTE.
Feeds: the six advisory folders of \`../shared/vulndata\` (${FEEDS[*]}): $FEED_FILES files,
$(mbytes "$RAW_BYTES") MB; files in the page cache (read once first).

$TABLE

Import: $RUNS runs each, median wall time; a fresh \`--db\` dir every run. It stored $IMPORT_RECORDS records
(${IMPORT_PROBLEMS:-0} malformed ones skipped). The baseline "parse only" is our parsers without the store:
\`dev.bulwark.bench.ParseOnly\` (bench/jmh) runs \`Feeds.parseTree\` — what \`db import\` streams into H2 — over the same
folders in a fresh JVM with the same heap, counting $PARSED and storing nothing; \`cat\` reads every file once.
Runs kept (s; clean runs: import $(clean import), parse $(clean parse), cat $(clean cat); * = others used more than
$NOISE CPU meanwhile): import $(timings import); parse $(timings parse); cat $(timings cat); others' CPU-s during the
imports: $(others import).

Matching: JMH 1.37, \`MatchBenchmark\` (bench/jmh), 1 fork (-Xmx1g), 5 warm-up and 10 measured iterations of 2 s,
average time per \`Matcher.match\` call (fastest of the $MATCH_N iterations: $MATCH_MIN ms a call); the DB is imported from the same
feeds into a temporary dir in \`@Setup(Level.Trial)\` and opened once. The inventory (built from the parsed advisories,
fixed seed) holds 10,000 packages: $COMPOSITION. Alpine packages are matched by origin in release v3.11; half of
the language packages are named by some advisory, at an affected version (listed, introduced, last affected, or just
below a fix) or at a fixed one, and half by none. $FINDINGS findings on $AFFECTED packages; $KEYS_HIT lookup keys have
advisories. The matcher warned: ${MATCH_WARN:-nothing}. Baseline: \`VulnDb.advisories\` of the same 10,000 keys
(one call: the store's queries and record decoding, no version comparison, no enrichment). JMH and its setup took
$JMH_WALL s in all; the rest of the machine used $JMH_OTHERS CPU-s meanwhile.

DB size: the \`--db\` directory after each import (\`du -sb\`: the H2 file after \`SHUTDOWN COMPACT\`, the \`current\`
link, the lock file), median; the imports left $DB_SIZES MB (the same records: H2's compaction is not
deterministic); the first uses $DB_DISK KiB of disk blocks. Compressed feeds: \`tar czf\` (gzip -6) of the same six folders,
and \`zip -r\` (deflate per file, as osv.dev publishes its per-ecosystem \`all.zip\`); the goal is judged against
the smaller, tar.gz.
$SCAN_DESC

Where the time goes, for each goal missed (untimed runs with \`-XX:StartFlightRecording=settings=profile\`;
\`jfr print --events jdk.ExecutionSample\`: threads running Java code, sampled every 10 ms; JIT compiler and GC threads
are not sampled):
${PROFILES:-
(no goal missed)}
Reproduce: \`bench/vulndb-bench.sh\` (\`--runs N\`, \`--scan-runs N\`; results, logs and JFR recordings in
\`bench/out/vulndb/\`). It builds with \`./mvnw -q -B -o install -DskipTests -Dbulwark.build.dir=target-bench -pl
bulwark-cli -am\` and \`./mvnw -q -B -f bench/jmh/pom.xml package -Dbulwark.build.dir=target-bench\`, then
times (\`B\` = \`java -Xmx$HEAP -jar bulwark-cli/target-bench/bulwark.jar\`, \`F\` = the six feed folders, \`CP\` = the
classpath of bench/jmh):

\`\`\`sh
find F -type f -print0 | xargs -0 cat >/dev/null                             # baseline: read every file
java -Xmx$HEAP -cp CP dev.bulwark.bench.ParseOnly F                             # baseline: parse only
B db import --db bench/out/vulndb/db.N F                                        # import (fresh dir)
java -cp CP org.openjdk.jmh.Main dev.bulwark.bench.MatchBenchmark             # match10k, lookup10k
du -sb bench/out/vulndb/db.1; (cd ../shared/vulndata && tar czf X.tar.gz F; zip -r X.zip F)
B sbom -q --cache-dir C -f json -o FILE oci:.bulwark-work/bench/oci:bench
B scan -q --cache-dir C --db bench/out/vulndb/db.1 -f json -o FILE oci:.bulwark-work/bench/oci:bench
\`\`\`
EOF
)"

echo "$REPORT"

if [ "$WRITE_DOC" = 1 ]; then
  # Replace this section (up to the next "## " heading) or append it; the rest of the file stays as it is.
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

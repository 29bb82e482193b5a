#!/usr/bin/env bash
# Usage: bench/secrets-bench.sh [--runs N]
#
# What secret and hygiene analysis costs on top of a scan, on the benchmark image of bench/build-image.sh (a 500+ MB
# OCI layout, oci:.bulwark-work/bench/oci:bench). Two commands, each run N times (default 5), taking turns in every
# round so that load from other processes falls on both alike; the median of each is reported:
#   vuln only        bulwark scan --no-cache --scanners vuln              (inventory + matching)
#   vuln+secret+hyg  bulwark scan --no-cache --scanners vuln,secret,hygiene (the same pass over the layers, with the
#                    secret analyser offered every text file and the hygiene checks over every entry)
# Both use the same private vulnerability DB (the built-in advisories, installed once before the rounds) and
# --no-cache, so every run reads every layer. Time and max RSS from /usr/bin/time.
# Writes the markdown table, with the command that reproduces it, to .bulwark-work/bench/secrets.md and prints it.
# Environment: BULWARK_BUILD_DIR (build the CLI with -Dbulwark.build.dir=DIR; default target), BULWARK_HEAP (512m).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
W="$ROOT/.bulwark-work/bench"
OUT="$W/secrets-out"
MD="$W/secrets.md"
RUNS="${RUNS:-5}"
HEAP="${BULWARK_HEAP:-512m}"
BUILD_DIR="${BULWARK_BUILD_DIR:-target}"

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "secrets-bench.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "secrets-bench.sh: --runs wants a positive number" >&2; exit 2; }
die() { echo "secrets-bench.sh: $*" >&2; exit 1; }
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS
for t in jq /usr/bin/time awk sort; do command -v "$t" >/dev/null || die "$t is missing (scripts/install.sh; /usr/bin/time: apt-get install time)"; done

"$ROOT/bench/build-image.sh"
# shellcheck disable=SC1091
. "$W/image.env"
TARGET="oci:$BENCH_OCI:$BENCH_TAG"

JAVA=""
for c in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "$(command -v java 2>/dev/null || true)"; do
  [ -n "$c" ] && [ -x "$c" ] && { JAVA="$c"; break; }
done
[ -n "$JAVA" ] || die "no JDK found (JAVA_HOME)"
export JAVA_HOME="$(dirname "$(dirname "$JAVA")")"

rm -rf "$OUT"
mkdir -p "$OUT/bin" "$OUT/time" "$OUT/log"
( cd "$ROOT" && ./mvnw -q -B -o install -DskipTests -Dbulwark.build.dir="$BUILD_DIR" -pl bulwark-cli -am ) \
  >"$OUT/log/build.out" 2>&1 || { tail -30 "$OUT/log/build.out" >&2; die "the Bulwark build failed"; }
# a private copy: a rebuild by someone else during the rounds cannot change what is measured
cp -a "$ROOT/bulwark-cli/$BUILD_DIR/bulwark.jar" "$ROOT/bulwark-cli/$BUILD_DIR/lib" "$OUT/bin/"
BULWARK=("$JAVA" -XX:+UseSerialGC "-Xmx$HEAP" -jar "$OUT/bin/bulwark.jar")
DB="$OUT/db"
"${BULWARK[@]}" db status --db "$DB" >/dev/null 2>&1 || true
# install the built-in advisories once (untimed), with a scan of nothing but the vulnerability DB's opening
"${BULWARK[@]}" scan -q --no-cache --db "$DB" --scanners vuln -f json -o "$OUT/warmup.json" "$TARGET" >"$OUT/log/warmup.log" 2>&1 \
  || { cat "$OUT/log/warmup.log" >&2; die "the warm-up scan failed"; }

declare -A SCANNERS=([vuln]="vuln" [all]="vuln,secret,hygiene")
ORDER=(vuln all)
for r in $(seq 1 "$RUNS"); do
  for k in "${ORDER[@]}"; do
    /usr/bin/time -f '%e %M %U %S' -o "$OUT/time/$k.$r" "${BULWARK[@]}" scan -q --no-cache --db "$DB" --scanners "${SCANNERS[$k]}" \
      -f json -o "$OUT/$k.$r.json" "$TARGET" >"$OUT/log/$k.$r.log" 2>&1 || { cat "$OUT/log/$k.$r.log" >&2; die "run $k.$r failed"; }
  done
  # the other order next round: neither command always runs second
  ORDER=("${ORDER[1]}" "${ORDER[0]}")
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
sec() { for r in $(seq 1 "$RUNS"); do cut -d' ' -f1 "$OUT/time/$1.$r"; done | median; }
rss() { for r in $(seq 1 "$RUNS"); do cut -d' ' -f2 "$OUT/time/$1.$r"; done | median; }
# CPU seconds (user + system): less disturbed than wall time when other processes share the CPUs
cpu() { for r in $(seq 1 "$RUNS"); do awk '{printf "%.2f\n", $3 + $4}' "$OUT/time/$1.$r"; done | median; }
V="$(sec vuln)"; A="$(sec all)"
VR="$(rss vuln)"; AR="$(rss all)"
VC="$(cpu vuln)"; AC="$(cpu all)"
RATIO="$(awk -v a="$A" -v v="$V" 'BEGIN {printf "%.2f", a / v}')"
CRATIO="$(awk -v a="$AC" -v v="$VC" 'BEGIN {printf "%.2f", a / v}')"
SECRETS="$(jq '.secrets // [] | length' "$OUT/all.1.json")"
HYGIENE="$(jq '.hygiene // [] | length' "$OUT/all.1.json")"
WASTE="$(jq -r '.efficiency | "\(.wastedBytes) of \(.totalBytes) bytes wasted, score \(.score * 1000 | round / 1000)"' "$OUT/all.1.json")"
PKGS="$(jq '.packages | length' "$OUT/all.1.json")"
REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain -- ':!bench' ':!docs' 2>/dev/null)" ]; then REV="$REV+changes"; fi

{
  echo "### Secret and hygiene analysis: cost on top of a scan"
  echo
  echo "Image: \`$TARGET\` ($BENCH_LAYERS layers, $BENCH_COMPRESSED_BYTES bytes compressed, $BENCH_UNCOMPRESSED_BYTES uncompressed, $BENCH_ROOTFS_FILES files)."
  echo "Median of $RUNS runs each, interleaved, \`--no-cache\`, heap $HEAP, $(nproc) CPUs (shared; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)), Bulwark $REV, $(date -u +%Y-%m-%d)."
  echo
  echo "| what | median wall time (s) | ratio | median CPU time, user+sys (s) | ratio | median max RSS (MB) |"
  echo "|---|---|---|---|---|---|"
  echo "| \`scan --scanners vuln\` | $V | 1.00 | $VC | 1.00 | $((VR / 1024)) |"
  echo "| \`scan --scanners vuln,secret,hygiene\` | $A | $RATIO | $AC | $CRATIO | $((AR / 1024)) |"
  echo
  echo "The secret and hygiene run found $SECRETS secrets and $HYGIENE hygiene problems ($WASTE) among $PKGS packages."
  echo "Every run's time: vuln $(for r in $(seq 1 "$RUNS"); do cut -d' ' -f1 "$OUT/time/vuln.$r"; done | tr '\n' ' ')/ all $(for r in $(seq 1 "$RUNS"); do cut -d' ' -f1 "$OUT/time/all.$r"; done | tr '\n' ' ')"
  echo
  echo "Reproduce: \`BULWARK_BUILD_DIR=$BUILD_DIR bench/secrets-bench.sh --runs $RUNS\`"
} >"$MD"
cat "$MD"

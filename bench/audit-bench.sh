#!/usr/bin/env bash
# Usage: bench/audit-bench.sh [--runs N] [--containers N] [--no-build] [--no-doc]
#
# Issue 4: a full CIS audit of a Docker host with 100 running containers, Bulwark vs docker-bench-security on the
# same daemon, in one run. Goal: Bulwark at least 20x faster.
#
#   daemon      a dedicated private dockerd, `scripts/dockerd-variant.sh start audit-bench` (default settings:
#               no iptables, no bridge; own data-root, exec-root and unix socket; its own mount and network
#               namespaces): no TCP, no network; nobody else's test containers on it, and nobody else's
#               `scripts/dockerd.sh stop` can end it mid-run. bulwark-test/bookworm:12 is `docker load`ed into it
#               from scripts/testimages.sh's docker-archive (built first if missing).
#   containers  N (default 100) RUNNING containers of that image (`sleep infinity`) in ten kinds, by number mod 10:
#               hardened (--read-only --cap-drop ALL, no-new-privileges, memory/cpu/pids limits, user 1000, health
#               check), read-only, cap-add NET_ADMIN+SYS_PTRACE, cap-add SYS_ADMIN + seccomp=unconfined, /etc
#               mounted read-only + a named volume, a host dir bind-mounted read-write + restart always (every 50th
#               also the daemon's socket), host network/pid/uts namespaces, ulimit + memory + a password in the
#               environment, plain `docker run`, tmpfs + on-failure restart.
#   timed       in every round (order alternating, so load from other work falls on all alike), each once:
#                 Bulwark       `bulwark audit docker -H unix://SOCK -f json -o FILE` through the ./bulwark launcher
#                               (a private copy of it, next to a private copy of the jar: the launcher's own AOT cache,
#                               trained by the launcher on first use; JVM -Xmx512m), a fresh JVM each time
#                 Bulwark, jar  the same without the launcher and without an AOT cache: java -Xmx512m -jar bulwark.jar
#                 docker-bench  `scripts/docker-bench.sh run unix://SOCK LOG DOCKERD_PID`: all its checks (v1.6.0,
#                               all sections, every running container and image; DOCKERD_PID so that it reads the
#                               audited daemon's command line)
#               Medians of N rounds (default 3). /usr/bin/time gives wall and CPU time; the CPU the daemon (dockerd,
#               its containerd and shims) spent meanwhile, and what the rest of the machine used (noise), come from
#               /proc. Runs are not repeated for noise (a docker-bench run takes minutes): the noise is reported.
# Prints a markdown table and writes it to docs/BENCHMARKS.md, section "Audit of a Docker host (issue 4)".
# The containers are removed and the dedicated daemon stopped on exit (trap). Results and logs: bench/out/audit/.
#
# Environment: JAVA_HOME (a JDK >= 21; else as the launcher finds one), BULWARK_BUILD_DIR (Maven build directory,
# default target-abench, -Dbulwark.build.dir), QUIET_WAIT (seconds to wait for a quiet second before each run,
# default 60).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/audit"
DOC="$ROOT/docs/BENCHMARKS.md"
SECTION="Audit of a Docker host (issue 4)"
RUNS=3
COUNT=100
BUILD=1
WRITE_DOC=1
GOAL=20
VARIANT=audit-bench
LABEL="dev.bulwark.bench=audit"
BUILD_DIR="${BULWARK_BUILD_DIR:-target-abench}"
QUIET_WAIT="${QUIET_WAIT:-60}"

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="${2:-}"; shift 2 ;;
    --containers) COUNT="${2:-}"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-doc) WRITE_DOC=0; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "audit-bench.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "audit-bench.sh: --runs wants a positive number" >&2; exit 2; }
[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] || { echo "audit-bench.sh: --containers wants a positive number" >&2; exit 2; }

die() { echo "audit-bench.sh: $*" >&2; exit 1; }
say() { echo "audit-bench.sh: $*" >&2; }
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS BULWARK_HEAP DOCKER_HOST DOCKER_CONTEXT

for t in jq awk /usr/bin/time unshare; do command -v "$t" >/dev/null || die "$t is missing (scripts/install.sh; /usr/bin/time: apt-get install time)"; done
DOCKER="$(command -v /usr/bin/docker || command -v docker || true)"
[ -n "$DOCKER" ] || die "no docker client (scripts/install.sh)"
[ "$(id -u)" = 0 ] || die "needs root (a private dockerd)"

# The JDK the launcher would pick: $JAVA_HOME, java on PATH, /usr/lib/jvm/*, the first one >= 21.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1 | cut -d. -f1; }
JAVA=""
for c in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/*/bin/java; do
  [ -n "$c" ] && [ -x "$c" ] || continue
  v="$(java_major "$c")"
  if [ -n "$v" ] && [ "$v" -ge 21 ]; then JAVA="$c"; break; fi
done
[ -n "$JAVA" ] || die "no JDK >= 21 (JAVA_HOME, PATH, /usr/lib/jvm)"
export JAVA_HOME; JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$OUT"
mkdir -p "$OUT/time" "$OUT/log" "$OUT/res"

# ------------------------------------------------------------------ Bulwark: build, private copy, AOT cache
JAR="$ROOT/bulwark-cli/$BUILD_DIR/bulwark.jar"
if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ]; then
  say "building bulwark-cli (-Dbulwark.build.dir=$BUILD_DIR)"
  "$ROOT/mvnw" -q -B -o -f "$ROOT/pom.xml" install -DskipTests "-Dbulwark.build.dir=$BUILD_DIR" -pl bulwark-cli -am \
    >"$OUT/log/build.log" 2>&1 || { tail -30 "$OUT/log/build.log" >&2; die "the Bulwark build failed"; }
fi
[ -f "$JAR" ] || die "$JAR missing after the build"
# A private tree shaped like the checkout for the launcher: bulwark, .mvn (its AOT training scans it) and
# bulwark-cli/target/{bulwark.jar,lib}; no sources there, so the launcher never rebuilds, and a rebuild by someone
# else during the run cannot change what is measured.
B="$OUT/bin"
mkdir -p "$B/bulwark-cli/target"
cp -a "$ROOT/bulwark" "$B/bulwark"
cp -a "$ROOT/.mvn" "$B/.mvn"
cp -a "$JAR" "$(dirname "$JAR")/lib" "$B/bulwark-cli/target/"
"$B/bulwark" --version >"$OUT/log/launcher-first-use.out" 2>&1 || { cat "$OUT/log/launcher-first-use.out" >&2; die "the launcher failed"; }
BULWARK_VERSION="$(tail -n1 "$OUT/log/launcher-first-use.out")"
AOT="none"
for f in "$B/bulwark-cli/target/bulwark.aot" "$B/bulwark-cli/target/bulwark.jsa"; do [ -f "$f" ] && AOT="$(basename "$f") ($(du -m "$f" | cut -f1) MB)"; done
[ "$AOT" != none ] || say "the launcher made no AOT cache: the launcher row runs without one"
REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain -- ':!bench' ':!docs' 2>/dev/null)" ]; then REV="$REV+changes"; fi
LAUNCHER_BLOB="$(git -C "$ROOT" hash-object "$ROOT/bulwark" 2>/dev/null || echo unknown)"
if [ "$LAUNCHER_BLOB" = "$(git -C "$ROOT" rev-parse HEAD:bulwark 2>/dev/null || true)" ]; then LAUNCHER_STATE="as committed"
else LAUNCHER_STATE="with uncommitted changes, blob ${LAUNCHER_BLOB:0:10}"; fi

# ------------------------------------------------------------------ daemon, image, containers
. "$ROOT/.bulwark-work/images/manifest.env" 2>/dev/null || true
IMAGE="${BOOKWORM_IMAGE:-bulwark-test/bookworm:12}"
ARCHIVE="${BOOKWORM_DOCKER_ARCHIVE:-$ROOT/.bulwark-work/images/bookworm.tar}"
if [ ! -f "$ARCHIVE" ]; then
  say "no $ARCHIVE: building the test images (scripts/dockerd.sh start, scripts/registry.sh start, scripts/testimages.sh)"
  "$ROOT/scripts/dockerd.sh" start && "$ROOT/scripts/registry.sh" start && "$ROOT/scripts/testimages.sh" \
    || die "scripts/testimages.sh failed"
  . "$ROOT/.bulwark-work/images/manifest.env"
  IMAGE="$BOOKWORM_IMAGE"; ARCHIVE="$BOOKWORM_DOCKER_ARCHIVE"
fi

VD="$ROOT/.bulwark-work/dockerd-variants/$VARIANT"
SHARED="$OUT/shared"
cleanup() {
  local rc=$? ids
  trap - EXIT INT TERM
  if [ -n "${SOCK:-}" ] && [ -S "$SOCK" ]; then
    ids="$("$DOCKER" -H "unix://$SOCK" ps -aq --filter "label=$LABEL" 2>/dev/null || true)"
    # shellcheck disable=SC2086
    [ -z "$ids" ] || "$DOCKER" -H "unix://$SOCK" rm -f -v $ids >/dev/null 2>&1 || say "could not remove every container"
    "$DOCKER" -H "unix://$SOCK" volume prune -f >/dev/null 2>&1 || true
  fi
  "$ROOT/scripts/dockerd-variant.sh" stop "$VARIANT" >/dev/null 2>&1 || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting the dedicated dockerd ($VARIANT)"
SOCK="$("$ROOT/scripts/dockerd-variant.sh" start "$VARIANT")" || die "scripts/dockerd-variant.sh start $VARIANT failed"
HOST="unix://$SOCK"
DPID="$(cat "$VD/dockerd.pid")"
dk() { "$DOCKER" -H "$HOST" "$@"; }
dk image inspect "$IMAGE" >/dev/null 2>&1 || dk load -q -i "$ARCHIVE" >"$OUT/log/load.out" 2>&1 || die "docker load $ARCHIVE failed"
dk image inspect "$IMAGE" >/dev/null 2>&1 || die "$IMAGE not in $ARCHIVE"
IMAGE_ID="$(dk image inspect -f '{{.Id}}' "$IMAGE")"
[ -z "${BOOKWORM_IMAGE_ID:-}" ] || [ "$IMAGE_ID" = "$BOOKWORM_IMAGE_ID" ] || say "note: $IMAGE is $IMAGE_ID here, $BOOKWORM_IMAGE_ID in manifest.env"
# leftovers of an interrupted run
old="$(dk ps -aq --filter "label=$LABEL")"
# shellcheck disable=SC2086
[ -z "$old" ] || dk rm -f -v $old >/dev/null

mkdir -p "$SHARED"
kind_name() {
  case "$1" in
    0) echo "hardened" ;; 1) echo "read-only" ;; 2) echo "cap-add NET_ADMIN,SYS_PTRACE" ;;
    3) echo "cap-add SYS_ADMIN, seccomp=unconfined" ;; 4) echo "/etc:ro + named volume" ;;
    5) echo "host dir rw, restart always" ;; 6) echo "host network, pid, uts" ;;
    7) echo "ulimit, memory, password in env" ;; 8) echo "plain" ;; 9) echo "tmpfs, restart on-failure" ;;
  esac
}
start_one() { # start_one I: docker run of container I (kind I mod 10)
  local i="$1" a
  a=(run -d --name "$(printf 'abench-%03d' "$i")" --label "$LABEL" --label "dev.bulwark.bench.kind=$((i % 10))")
  case $((i % 10)) in
    0) a+=(--network none --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges --memory 256m
           --cpus 0.5 --pids-limit 100 --restart on-failure:5 -u 1000 --health-cmd true --health-interval 10m) ;;
    1) a+=(--network none --read-only -u 1000) ;;
    2) a+=(--network none --cap-add NET_ADMIN --cap-add SYS_PTRACE) ;;
    3) a+=(--network none --cap-add SYS_ADMIN --security-opt seccomp=unconfined) ;;
    4) a+=(--network none -v /etc:/host/etc:ro -v "abench-data-$i:/data") ;;
    5) a+=(--network none -v "$SHARED:/shared" --restart always)
       [ $((i % 50)) -ne 5 ] || a+=(-v "$SOCK:/var/run/docker.sock") ;;
    6) a+=(--network host --pid host --uts host) ;;
    7) a+=(--network none --ulimit nofile=1024:2048 --memory 128m -e APP_PASSWORD=s3cret) ;;
    8) a+=(--network none) ;;
    9) a+=(--network none --tmpfs /run --restart on-failure:3) ;;
  esac
  dk "${a[@]}" "$IMAGE" sleep infinity >/dev/null
}
say "starting $COUNT containers"
export -f start_one dk
export DOCKER HOST LABEL SHARED SOCK IMAGE
seq 1 "$COUNT" | xargs -P 4 -I{} bash -c 'start_one {}' || die "docker run failed"
RUNNING="$(dk ps -q --filter "label=$LABEL" --filter status=running | wc -l)"
[ "$RUNNING" = "$COUNT" ] || die "$RUNNING of $COUNT containers running"
ALL_CONTAINERS="$(dk ps -aq | wc -l)"; ALL_IMAGES="$(dk images -q | sort -u | wc -l)"
KINDS="$(for k in 1 2 3 4 5 6 7 8 9 0; do
  n="$(dk ps -q --filter "label=dev.bulwark.bench.kind=$k" | wc -l)"; printf '%s %s; ' "$n" "$(kind_name "$k")"; done | sed 's/; $//')"

# ------------------------------------------------------------------ measuring
HZ="$(getconf CLK_TCK)"
busy() { awk -v hz="$HZ" '/^cpu / {printf "%.2f\n", ($2+$3+$4+$7+$8+$9)/hz}' /proc/stat; }
# CPU seconds of the audited daemon: dockerd, and its containerd and shims (their command lines name its exec-root),
# with their waited-for children (runc, exec'd processes).
daemon_cpu() {
  local p s=0
  for p in "$DPID" $(pgrep -f -- "$VD/run/" 2>/dev/null || true); do
    [ -r "/proc/$p/stat" ] && s=$((s + $(awk '{sub(/^.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  awk -v s="$s" -v hz="$HZ" 'BEGIN {printf "%.2f\n", s/hz}'
}
wait_quiet() { # up to QUIET_WAIT s for a second in which the machine uses < 0.15 CPU
  local t=0 a b
  while [ "$t" -lt "$QUIET_WAIT" ]; do
    a="$(busy)"; sleep 1; b="$(busy)"
    awk -v a="$a" -v b="$b" 'BEGIN {exit !(b - a < 0.15)}' && return 0
    t=$((t + 1))
  done
  NOT_QUIET=$((NOT_QUIET + 1))
}
NOT_QUIET=0
# measure LABEL ROUND CMD...: appends "wall maxrss user sys daemon-cpu others-cpu" to OUT/time/LABEL
measure() {
  local label="$1" r="$2" b0 b1 d0 d1 line; shift 2
  wait_quiet
  b0="$(busy)"; d0="$(daemon_cpu)"
  if ! /usr/bin/time -f '%e %M %U %S' -o "$OUT/time/$label.$r" "$@" >"$OUT/log/$label.$r.out" 2>"$OUT/log/$label.$r.err"; then
    tail -20 "$OUT/log/$label.$r.err" >&2
    die "$label (round $r) failed: $*"
  fi
  d1="$(daemon_cpu)"; b1="$(busy)"
  line="$(tail -n1 "$OUT/time/$label.$r" | awk -v b="$b1" -v a="$b0" -v d="$d1" -v c="$d0" \
    '{dd=d-c; o=b-a-$3-$4-dd; if (o<0) o=0; printf "%s %s %s %s %.2f %.2f\n", $1, $2, $3, $4, dd, o}')"
  echo "$line" >>"$OUT/time/$label"
  printf '  %-14s %6s s  (CPU %s s, daemon %s s, others %s s)\n' "$label" "${line%% *}" \
    "$(echo "$line" | awk '{print $3+$4}')" "$(echo "$line" | cut -d' ' -f5)" "$(echo "$line" | cut -d' ' -f6)" >&2
}
LAUNCHER=("$B/bulwark" audit docker -H "$HOST" -f json)
PLAIN=("$JAVA" -Xmx512m -jar "$B/bulwark-cli/target/bulwark.jar" audit docker -H "$HOST" -f json)
DBENCH=("$ROOT/scripts/docker-bench.sh" run "$HOST")

say "warm-up (untimed): one audit with each JVM command line, docker-bench section 2"
"${LAUNCHER[@]}" -o "$OUT/res/warmup.json" >"$OUT/log/warmup.out" 2>&1 || { cat "$OUT/log/warmup.out" >&2; die "bulwark audit docker failed"; }
"${PLAIN[@]}" -o "$OUT/res/warmup-jar.json" >>"$OUT/log/warmup.out" 2>&1 || { cat "$OUT/log/warmup.out" >&2; die "bulwark audit docker (jar) failed"; }
"${DBENCH[@]}" "$OUT/res/warmup-docker-bench" "$DPID" -- -c check_2 >>"$OUT/log/warmup.out" 2>&1 \
  || { tail -20 "$OUT/log/warmup.out" >&2; die "docker-bench failed"; }
sync
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START="$(date -u +%Y-%m-%dT%H:%MZ)"
T0="$(date +%s)"

for r in $(seq 1 "$RUNS"); do
  say "round $r of $RUNS"
  bw() { measure bulwark "$r" "${LAUNCHER[@]}" -o "$OUT/res/bulwark.$r.json"; }
  jar() { measure bulwark-jar "$r" "${PLAIN[@]}" -o "$OUT/res/bulwark-jar.$r.json"; }
  db() { measure docker-bench "$r" "${DBENCH[@]}" "$OUT/res/docker-bench.$r" "$DPID"; }
  if [ $((r % 2)) = 1 ]; then bw; jar; db; else db; jar; bw; fi
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
ELAPSED=$(( $(date +%s) - T0 ))

# ------------------------------------------------------------------ what each covered (round 1)
R1="$OUT/res/bulwark.1.json"; D1="$OUT/res/docker-bench.1.json"
BW_CHECKS="$(jq '[.results[].checkId] | unique | length' "$R1")"
BW_RESULTS="$(jq '.results | length' "$R1")"
BW_CONTAINERS="$(jq '[.results[] | select(.location | test("^[0-9a-f]{64}$")) | .location] | unique | length' "$R1")"
BW_SUMMARY="$(jq -r '.summary | "\(.warn) WARN, \(.pass) PASS, \(.info) INFO, \(.note) NOTE, \(.error) ERROR"' "$R1")"
BW_WARNINGS="$(jq '.warnings | length' "$R1")"
DB_CHECKS="$(jq '.checks' "$D1")"
DB_VERSION="$(jq -r '.dockerbenchsecurity' "$D1")"
DB_RESULTS="$(jq -r '[.tests[].results[].result] | group_by(.) | map("\(length) \(.[0])") | join(", ")' "$D1")"
DB_REF="$(cat "$("$ROOT/scripts/docker-bench.sh" path)/.ref" 2>/dev/null || echo unknown)"
DB_CONTAINERS="$(jq '[.tests[].results[] | select(.id == "5.2") | .items // [] | .[]] | unique | length' "$D1")"

# ------------------------------------------------------------------ table
median() { sort -n | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$OUT/time/$1" | median; }
cpu() { awk '{print $3+$4}' "$OUT/time/$1" | median; }
runs() { awk '{print $1}' "$OUT/time/$1" | paste -sd' ' | sed 's/ /, /g'; }
DBT="$(col docker-bench 1)"
row() { # label, tool shown
  local t ratio goal
  t="$(col "$1" 1)"
  ratio="$(awk -v a="$DBT" -v b="$t" 'BEGIN {printf "%.1f", a/b}')"
  if [ "$1" = docker-bench ]; then goal="(baseline)"; ratio="1.0"
  elif awk -v x="$ratio" -v g="$GOAL" 'BEGIN {exit !(x >= g)}'; then goal="yes (>= ${GOAL}x)"
  else goal="**no** (< ${GOAL}x)"; fi
  printf '| %s | %.2f | %sx | %s | %s | %.2f | %.2f | %.2f | %.0f |\n' "$2" "$t" "$ratio" "$goal" "$(runs "$1")" \
    "$(cpu "$1")" "$(col "$1" 5)" "$(col "$1" 6)" "$(awk -v k="$(col "$1" 2)" 'BEGIN {print k/1024}')"
}
TABLE="$( {
  echo "| tool | median (s) | ratio (docker-bench / tool) | goal met? | runs (s) | CPU (s) | daemon CPU (s) | others' CPU (s) | max RSS (MB) |"
  echo "|---|---:|---:|---|---|---:|---:|---:|---:|"
  row bulwark "**Bulwark** (\`./bulwark audit docker\`, launcher + AOT cache)"
  row bulwark-jar "Bulwark (\`java -jar\`, no AOT cache)"
  row docker-bench "docker-bench-security $DB_VERSION (all checks)"
} )"

CPU_MODEL="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)"
[ -n "$CPU_MODEL" ] || CPU_MODEL="$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)"
MEM_GB="$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
JDK_VERSION="$("$JAVA" -version 2>&1 | head -n1)"
DOCKERD_VERSION="$(dk version -f '{{.Server.Version}}' 2>/dev/null || echo '?')"
CLIENT_VERSION="$(dk version -f '{{.Client.Version}}' 2>/dev/null || echo '?')"

REPORT="$(cat <<EOF
## $SECTION

Issue 4: "Full audit of a host with 100 containers, Bulwark vs docker-bench-security on the same daemon, as a
ratio in one run. Goal: at least ${GOAL}x faster."

Measured $START on $(nproc) CPUs ($CPU_MODEL), $MEM_GB GB RAM, $(uname -r); $JDK_VERSION; dockerd $DOCKERD_VERSION
(docker CLI $CLIENT_VERSION); docker-bench-security $DB_VERSION (commit ${DB_REF:0:12}, \`third_party/\`, unmodified);
Bulwark at \`$REV\` ($BULWARK_VERSION). Median of $RUNS runs each; in each round every command ran once, the order
alternating (Bulwark first in odd rounds, docker-bench first in even ones); $ELAPSED s for the rounds. Load average
$LOAD_START when the script started, $LOAD_BEFORE before the rounds (after the build and the container starts),
$LOAD_AFTER after them: other engineers' builds and tests share this machine.

$TABLE

ratio: docker-bench's median over the tool's median. CPU: user + system of the command and its children (for
docker-bench: bash, and the \`docker\` CLI, jq, awk... processes it starts); daemon CPU: what dockerd, its
containerd and shims (with runc and exec'd processes) used meanwhile, serving the tool; others' CPU: the rest of the
machine meanwhile (noise; 0 on a quiet machine). Before each run the script waited up to $QUIET_WAIT s for a second in which the whole machine used < 0.15 CPU
($NOT_QUIET of $((3 * RUNS)) runs found no such second and started anyway); runs are not repeated for noise.

Host: a dedicated private dockerd (\`scripts/dockerd-variant.sh start $VARIANT\`: its own data-root, exec-root, unix
socket, mount and network namespaces; no iptables, no bridge), $ALL_CONTAINERS containers, all running, and $ALL_IMAGES image
(\`$IMAGE\`, \`docker load\`ed from \`scripts/testimages.sh\`'s archive), each container \`sleep infinity\`:
$KINDS. Both tools talk to it over its unix socket only.

What each covered (round 1): Bulwark $BW_RESULTS results for $BW_CHECKS checks ($BW_SUMMARY), $BW_CONTAINERS
containers, $BW_WARNINGS warnings; docker-bench $DB_CHECKS checks ($DB_RESULTS), $DB_CONTAINERS containers named by 5.2.

Reproduce (as root, from the checkout; builds bulwark-cli into \`$BUILD_DIR\`, starts and stops its own dockerd,
removes its containers; results and logs in \`bench/out/audit/\`; options: \`--runs N\` (default 3), \`--containers N\`
(default 100), \`--no-build\`, \`--no-doc\`):

\`\`\`sh
JAVA_HOME=$JAVA_HOME bench/audit-bench.sh
\`\`\`

The timed commands (\`SOCK\` = \`.bulwark-work/dockerd-variants/$VARIANT/docker.sock\`, \`PID\` = that dockerd's pid;
\`bulwark\` = a copy of the \`./bulwark\` launcher beside a copy of \`bulwark-cli/$BUILD_DIR/{bulwark.jar,lib}\`: it
runs \`java -Xmx512m -XX:AOTCache=bulwark.aot -jar bulwark.jar\`, with the AOT cache the launcher trained on its
first use (its training run is a \`scan\`, not an audit), $AOT; the launcher $LAUNCHER_STATE):

\`\`\`sh
bulwark audit docker -H unix://SOCK -f json -o FILE
$JAVA -Xmx512m -jar bulwark.jar audit docker -H unix://SOCK -f json -o FILE
scripts/docker-bench.sh run unix://SOCK LOG PID
# = cd .bulwark-work/peers/docker-bench-security && PATH=SHIM:\$PATH DOCKER_HOST=unix://SOCK bash ./docker-bench-security.sh -b -l LOG
#   (SHIM: a pgrep that answers PID for "dockerd", so docker-bench reads this daemon's command line)
\`\`\`
EOF
)"

echo "$REPORT"

if [ "$WRITE_DOC" = 1 ]; then
  # Replace this section (up to the next "## " heading) or append it; the rest of the file stays as it is.
  printf '%s\n' "$REPORT" >"$OUT/section.md"
  awk -v h="## $SECTION" -v f="$OUT/section.md" '
    function emit() { while ((getline l < f) > 0) print l; done = 1 }
    $0 == h { if (!done) { emit() } skip = 1; next }
    skip && /^## / { skip = 0; print ""; }
    !skip { print }
    END { if (!done) { print ""; emit() } }' "$DOC" >"$DOC.audit-bench.tmp"
  mv "$DOC.audit-bench.tmp" "$DOC"
  say "wrote section \"$SECTION\" of docs/BENCHMARKS.md"
fi

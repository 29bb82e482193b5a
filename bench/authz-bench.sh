#!/usr/bin/env bash
# Usage: bench/authz-bench.sh [CLIENTS] [SECONDS] [CREATES]
#
# `bulwark authz serve` measured two ways, printed as markdown and written to .bulwark-work/bench/authz.md:
#  1. decisions/s over the plugin socket: CLIENTS (default 8) concurrent keep-alive connections sending dockerd's real
#     captured `docker run --privileged` AuthZReq (/work/shared/samples; decoded, judged by the baseline, denied) and a
#     plain create (allowed), for SECONDS (default 10) after a warm-up; with and without --audit-log. The load client
#     is a small JDK-only Java program written below (curl forks per call and measures itself, not the plugin).
#  2. end to end: CREATES (default 200) `docker create` calls through a private dockerd (scripts/dockerd-variant.sh with PLUGIN_DIR)
#     with --authorization-plugin=bulwark vs the same dockerd without it, in alternating blocks of 50 so drift hits both.
# Needs: a JDK >= 21, the built CLI (BULWARK_JAR, default bulwark-cli/target/bulwark.jar), and for part 2 dockerd and
# the test image (scripts/testimages.sh). Everything runs on unix sockets.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib.sh
. "$ROOT/scripts/lib.sh"
CLIENTS="${1:-8}"
SECONDS_RUN="${2:-10}"
CREATES="${3:-200}"
JAR="${BULWARK_JAR:-$ROOT/bulwark-cli/target/bulwark.jar}"
OUT_DIR="$ROOT/.bulwark-work/bench"
OUT="$OUT_DIR/authz.md"
WORK="$ROOT/.bulwark-work/authz-bench"
JDK="$(find_jdk)"
JAVA="$JDK/bin/java"
SAMPLE="${AUTHZ_SAMPLE:-/work/shared/samples/authz-req-sample.json}"
[ -f "$JAR" ] || { echo "authz-bench.sh: $JAR missing: build with ./mvnw -q install -DskipTests (or set BULWARK_JAR)" >&2; exit 1; }
[ -f "$SAMPLE" ] || { echo "authz-bench.sh: $SAMPLE missing" >&2; exit 1; }
mkdir -p "$OUT_DIR" "$WORK/plugins"
CPUS="$(nproc)"
GC=()
[ "$CPUS" -le 2 ] && GC=(-XX:+UseSerialGC)

SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  "$ROOT/scripts/dockerd-variant.sh" stop authzbench >/dev/null 2>&1 || true
}
trap cleanup EXIT

# ------------------------------------------------------------------ the load client
cat >"$WORK/AuthzLoad.java" <<'EOF'
import java.io.*;
import java.net.*;
import java.nio.channels.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/** N keep-alive connections to an authz plugin socket, each sending AuthZReqs back to back; prints calls/s and latency. */
public class AuthzLoad {
    public static void main(String[] a) throws Exception {
        Path sock = Path.of(a[0]);
        int clients = Integer.parseInt(a[1]);
        int warm = Integer.parseInt(a[2]);
        int secs = Integer.parseInt(a[3]);
        byte[] deny = Files.readAllBytes(Path.of(a[4]));
        String plain = "{\"Image\":\"bulwark-test/bookworm:12\",\"Cmd\":[\"true\"],\"HostConfig\":{\"NetworkMode\":\"default\",\"Privileged\":false}}";
        byte[] allow = ("{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\",\"RequestBody\":\""
            + Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8))
            + "\",\"RequestHeaders\":{\"Content-Type\":\"application/json\"}}").getBytes(StandardCharsets.UTF_8);
        byte[][] reqs = {frame(deny), frame(allow)};
        AtomicBoolean measuring = new AtomicBoolean(false), stop = new AtomicBoolean(false);
        LongAdder calls = new LongAdder(), allowed = new LongAdder();
        long[][] lat = new long[clients][];
        int[] nlat = new int[clients];
        List<Thread> ts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            lat[id] = new long[4_000_000 / clients];
            Thread t = new Thread(() -> {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(sock));
                    InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 8192);
                    OutputStream out = Channels.newOutputStream(ch);
                    int i = id;
                    while (!stop.get()) {
                        byte[] r = reqs[i++ & 1];
                        long t0 = System.nanoTime();
                        out.write(r);
                        String body = readReply(in);
                        long dt = System.nanoTime() - t0;
                        if (!body.startsWith("{\"Allow\":")) throw new IllegalStateException("unexpected reply " + body);
                        if (measuring.get()) {
                            calls.increment();
                            if (body.startsWith("{\"Allow\":true")) allowed.increment();
                            if (nlat[id] < lat[id].length) lat[id][nlat[id]++] = dt;
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            t.start();
            ts.add(t);
        }
        Thread.sleep(warm * 1000L);
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(secs * 1000L);
        measuring.set(false);
        double el = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : ts) t.join();
        long n = calls.sum();
        long[] all = new long[Arrays.stream(nlat).sum()];
        int k = 0;
        for (int c = 0; c < clients; c++) { System.arraycopy(lat[c], 0, all, k, nlat[c]); k += nlat[c]; }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "%d %.0f %.0f %.0f %.0f %d%n", n, n / el, pct(all, 0.50) / 1e3, pct(all, 0.99) / 1e3,
            pct(all, 0.999) / 1e3, allowed.sum());
    }

    static double pct(long[] s, double p) { return s.length == 0 ? 0 : s[Math.min(s.length - 1, (int) (p * s.length))]; }

    static byte[] frame(byte[] body) {
        byte[] h = ("POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\nContent-Length: " + body.length
            + "\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\nContent-Type: application/vnd.docker.plugins.v1.2+json\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
        byte[] o = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, o, h.length, body.length);
        return o;
    }

    static String readReply(InputStream in) throws IOException {
        int len = -1;
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("server closed");
            if (c == '\n') {
                String l = line.toString().trim();
                line.setLength(0);
                if (l.isEmpty()) break;
                if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) len = Integer.parseInt(l.substring(15).trim());
            } else {
                line.append((char) c);
            }
        }
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }
}
EOF

start_server() { # $1: extra args
  rm -f "$WORK/plugins/bulwark.sock"
  # shellcheck disable=SC2086
  "$JAVA" "${GC[@]}" -Xmx512m -jar "$JAR" authz serve --socket "$WORK/plugins/bulwark.sock" $1 >"$WORK/serve.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do [ -S "$WORK/plugins/bulwark.sock" ] && return 0; sleep 0.25; done
  echo "authz-bench.sh: the plugin did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1
}
stop_server() {
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

socket_run() { # $1 label, $2 server args, $3 file for the rate
  start_server "$2"
  local r
  r="$("$JAVA" "${GC[@]}" -cp "$WORK/classes" AuthzLoad "$WORK/plugins/bulwark.sock" "$CLIENTS" 5 "$SECONDS_RUN" "$SAMPLE")"
  stop_server
  read -r n rate p50 p99 p999 allowed <<<"$r"
  echo "$rate" >"$3"
  echo "| $1 | $CLIENTS | $n | **$rate** | $p50 | $p99 | $p999 | $allowed |"
}

rm -f "$WORK/audit.jsonl"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# the Java source launcher compiles the client on every start: compile it once instead
"$JDK/bin/javac" -d "$WORK/classes" "$WORK/AuthzLoad.java"
ROWS1="$(socket_run "baseline policy, no audit log" "" "$WORK/rate1")"
ROWS2="$(socket_run "baseline policy, --audit-log (group commit)" "--audit-log $WORK/audit.jsonl" "$WORK/rate2")"
RATE1="$(cat "$WORK/rate1")"
AUDIT_LINES="$(wc -l <"$WORK/audit.jsonl")"

# ------------------------------------------------------------------ end to end through dockerd
E2E=""
if command -v dockerd >/dev/null && [ -f "$ROOT/.bulwark-work/images/manifest.env" ]; then
  # shellcheck disable=SC1091
  . "$ROOT/.bulwark-work/images/manifest.env"
  DOCKER="$(command -v /usr/bin/docker || command -v docker)"
  DSOCK="unix://$ROOT/.bulwark-work/dockerd-variants/authzbench/docker.sock"
  PLUGIN_DIR="$WORK/plugins" "$ROOT/scripts/dockerd-variant.sh" start authzbench "" >/dev/null
  "$DOCKER" -H "$DSOCK" image inspect "$BOOKWORM_IMAGE" >/dev/null 2>&1 || "$DOCKER" -H "$DSOCK" load -q -i "$BOOKWORM_DOCKER_ARCHIVE" >/dev/null
  block=50
  t_with=0; t_without=0; n_with=0; n_without=0
  creates() { # $1 count; prints elapsed ns
    local s e i
    s=$(date +%s%N)
    for ((i = 0; i < $1; i++)); do "$DOCKER" -H "$DSOCK" create "$BOOKWORM_IMAGE" true >/dev/null 2>"$WORK/create.err" || { cat "$WORK/create.err" >&2; exit 1; }; done
    e=$(date +%s%N)
    "$DOCKER" -H "$DSOCK" container prune -f >/dev/null
    echo $((e - s))
  }
  start_server ""
  left=$CREATES
  while [ "$left" -gt 0 ]; do
    b=$((left < block ? left : block))
    PLUGIN_DIR="$WORK/plugins" "$ROOT/scripts/dockerd-variant.sh" start authzbench "" >/dev/null
    t_without=$((t_without + $(creates "$b"))); n_without=$((n_without + b))
    PLUGIN_DIR="$WORK/plugins" "$ROOT/scripts/dockerd-variant.sh" start authzbench "" --authorization-plugin=bulwark >/dev/null
    t_with=$((t_with + $(creates "$b"))); n_with=$((n_with + b))
    left=$((left - b))
  done
  stop_server
  "$ROOT/scripts/dockerd-variant.sh" stop authzbench >/dev/null
  ratio="$(awk -v a="$t_with" -v b="$t_without" 'BEGIN{printf "%.3f", a/b}')"
  ms_with="$(awk -v a="$t_with" -v n="$n_with" 'BEGIN{printf "%.1f", a/n/1e6}')"
  ms_without="$(awk -v a="$t_without" -v n="$n_without" 'BEGIN{printf "%.1f", a/n/1e6}')"
  E2E="| \`docker create\` ×$n_with through dockerd, with vs without \`--authorization-plugin=bulwark\` | $ms_with ms | $ms_without ms | **$ratio** (goal ≤ 1.10) |"
  RATIO_GOAL="$(awk -v r="$ratio" 'BEGIN{print (r <= 1.10) ? "met" : "missed"}')"
  RATIO_CELL="$ratio"
else
  E2E="| \`docker create\` through dockerd | not run: dockerd or the test images missing (scripts/install.sh, scripts/testimages.sh) | | |"
  RATIO_GOAL="not measured"
  RATIO_CELL="—"
fi
RATE_GOAL="$(awk -v r="$RATE1" 'BEGIN{print (r >= 20000) ? "met" : "missed"}')"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

{
  echo "## bulwark authz serve ($(date -u +%Y-%m-%d), $CPUS CPUs, $("$JAVA" -version 2>&1 | head -1))"
  echo
  echo "| goal (issue 5) | measured | |"
  echo "|---|---|---|"
  echo "| over the socket on $CPUS cores: ≥ 20,000 decisions/s (baseline policy, no audit log) | $RATE1/s | **$RATE_GOAL** |"
  echo "| end to end: \`docker create\` with the plugin / without, one run: ≤ 1.10 | $RATIO_CELL | **$RATIO_GOAL** |"
  echo "| in process: decision p99 ≤ 100 µs | see the JMH section (PolicyBenchmark, .bulwark-work/bench/policy-jmh.md) | |"
  echo
  echo "Load average before the runs: $LOAD_BEFORE; after: $LOAD_AFTER (1, 5, 15 min). On a shared machine the figures are what this run saw."
  echo
  echo "Decisions over the plugin socket (HTTP/1.1 keep-alive, alternating dockerd's real captured privileged create, denied, and a plain create, allowed; the baseline policy; ${SECONDS_RUN} s after 5 s warm-up; client and server share the CPUs). Goal ≥ 20,000/s."
  echo
  echo "| server | clients | calls | calls/s | p50 µs | p99 µs | p99.9 µs | allowed |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "$ROWS1"
  echo "$ROWS2"
  echo
  echo "The audit log run wrote $AUDIT_LINES lines."
  echo
  echo "| end to end | with plugin (per call) | without (per call) | ratio |"
  echo "|---|---|---|---|"
  echo "$E2E"
  echo
  echo "Reproduce: \`BULWARK_JAR=$JAR bench/authz-bench.sh $CLIENTS $SECONDS_RUN $CREATES\`"
} | tee "$OUT"

package dev.bulwark.cli;

import dev.bulwark.server.BulwarkServer;
import dev.bulwark.server.ServerConfig;
import dev.bulwark.server.ServerException;
import dev.bulwark.server.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `bulwark serve`: Bulwark as a service (REST API, dashboard, scan workers). */
@Command(name = "serve", mixinStandardHelpOptions = true, subcommands = {ServeTokenCommand.class, ServeSubmitCommand.class},
        description = {"Bulwark as a service: REST API, dashboard, scan workers sharing jobs through the server DB.",
                "Any number of processes on one PostgreSQL share the work (docs/serve.md)."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ServeStoreOptions store;
    @Mixin
    DbOptions db;
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where the API listens (default 127.0.0.1:8443; port 0: any free one).")
    String listen = "127.0.0.1:8443";

    @Option(names = "--workers", paramLabel = "N", description = "Scan workers in this process (default 2; 0: API only).")
    int workers = 2;

    @Option(names = "--worker-only", description = "No API: only take jobs from the server DB.")
    boolean workerOnly;

    @Option(names = "--lease", paramLabel = "DURATION", description = "How long a claimed job stays a worker's without renewal (default 30s).")
    String lease = "30s";

    @Option(names = "--poll", paramLabel = "DURATION", description = "How long an idle worker waits before looking for jobs again (default 1s).")
    String poll = "1s";

    @Option(names = "--vulndb-check", paramLabel = "DURATION", description = "How often to look for a vulnerability DB update, which re-matches every stored inventory (default 1m).")
    String vulnDbCheck = "1m";

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "The workers' local layer cache (default ~/.cache/bulwark).")
    Path cacheDir;

    @Option(names = "--dev-open-read", description = "Answer GET requests without a token (local use; writes still need one).")
    boolean devOpenRead;

    @Option(names = "--allow-local-sources", description = "Allow scans of this host's files and Docker Engine (docker-archive:, oci:, rootfs:, docker:).")
    boolean allowLocalSources;

    @Option(names = "--plain-http", description = "Speak HTTP to registries (loopback registries always get HTTP).")
    boolean plainHttp;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: serve HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--max-body", paramLabel = "BYTES", description = "Largest request body accepted (default 4194304).")
    long maxBody = ServerConfig.DEFAULT_MAX_BODY;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", description = "Allow browsers on this origin to call the API (default: CORS off).")
    String corsOrigin;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig cfg;
        try {
            String[] hp = hostPort(listen);
            if (!workerOnly && !hp[0].equals("127.0.0.1") && !hp[0].equals("::1") && !hp[0].equals("localhost") && tlsCert == null) {
                err.println("bulwark: warning: listening on " + hp[0] + " without TLS: tokens cross the network in clear");
            }
            if (maxBody < 1024 || maxBody > (256L << 20)) throw new IllegalArgumentException("--max-body must be between 1024 and 268435456");
            if (corsOrigin != null && !corsOrigin.matches("https?://[A-Za-z0-9.:\\[\\]-]+")) {
                throw new IllegalArgumentException("--cors-origin must be an origin such as https://dash.example:8443");
            }
            cfg = new ServerConfig(hp[0], Integer.parseInt(hp[1]), !workerOnly, workers, duration("--lease", lease), duration("--poll", poll),
                    db.location(), duration("--vulndb-check", vulnDbCheck),
                    cacheDir != null ? cacheDir : new ImageOptions().effectiveCacheDir(), devOpenRead, allowLocalSources, plainHttp, tlsCert, tlsKey,
                    maxBody, corsOrigin);
        } catch (IllegalArgumentException e) {
            err.println("bulwark: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        try {
            Store s = store.open(db, Math.max(4, workers + 4));
            BulwarkServer server = BulwarkServer.start(cfg, s, System.getenv(), line -> {
                synchronized (err) {
                    err.println(line);
                    err.flush();
                }
            });
            Thread hook = new Thread(server::close, "bulwark-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            if (cfg.api()) {
                err.println("bulwark serve: listening on " + (tlsCert != null ? "https" : "http") + "://" + hostForUrl(cfg.host()) + ":" + server.port()
                        + " (server DB " + s.describe() + ", " + workers + " worker(s))");
            } else {
                err.println("bulwark serve: " + workers + " worker(s) on server DB " + s.describe());
            }
            err.flush();
            server.join();
            return ExitCode.OK.code;
        } catch (ServerException | InterruptedException e) {
            return ExitCode.report(e, err);
        }
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    static String[] hostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("--listen wants HOST:PORT, not '" + s + "'");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen: '" + s.substring(colon + 1) + "' is not a port number");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--listen: port " + port + " is out of range");
        return new String[]{host, Integer.toString(port)};
    }

    /** "30s", "5m", "2h", "500ms" or ISO-8601 ("PT30S"). */
    static Duration duration(String option, String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("pt")) return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration d = switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException();
            };
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException();
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + ": invalid duration '" + s + "' (examples: 30s, 5m, 500ms)");
        }
    }
}

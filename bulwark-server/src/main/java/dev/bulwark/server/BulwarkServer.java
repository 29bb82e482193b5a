package dev.bulwark.server;

import dev.bulwark.server.api.ApiHandler;
import dev.bulwark.server.api.Tls;
import dev.bulwark.server.jobs.ScanRunner;
import dev.bulwark.server.jobs.Workers;
import dev.bulwark.server.store.Audits;
import dev.bulwark.server.store.Jobs;
import dev.bulwark.server.store.Results;
import dev.bulwark.server.store.Store;
import dev.bulwark.server.store.Tokens;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server facade: one process's API (and dashboard) and scan workers over a {@link Store}. Start as many as
 * wanted on one PostgreSQL; each can be API only, workers only, or both.
 */
public final class BulwarkServer implements AutoCloseable {
    private final Store store;
    private final Server http;
    private final Workers workers;
    private final ServerConnector connector;

    private BulwarkServer(Store store, Server http, ServerConnector connector, Workers workers) {
        this.store = store;
        this.http = http;
        this.connector = connector;
        this.workers = workers;
    }

    /**
     * Starts the API and workers on an open store (which the server then owns and closes).
     *
     * @param env the environment scans see (DOCKER_HOST, DOCKER_CONFIG)
     * @param log where the server's own one-line messages go
     */
    public static BulwarkServer start(ServerConfig cfg, Store store, Map<String, String> env, Consumer<String> log) throws ServerException {
        Jobs jobs = new Jobs(store);
        Results results = new Results(store);
        Workers workers = null;
        Server http = null;
        ServerConnector connector = null;
        try {
            if (cfg.workers() > 0) {
                ScanRunner runner = new ScanRunner(cfg.vulnDb(), cfg.cacheDir(), cfg.plainHttp(), env,
                        digest -> results.inventoryOf(digest, ScanRunner.SCANNER));
                // the DB's version is recorded (and the built-in advisories installed) before any worker matches
                try {
                    int n = results.queueRematches(runner.currentVersion());
                    if (n > 0) log.accept("bulwark serve: the vulnerability DB changed: " + n + " image(s) queued to be matched again");
                } catch (dev.bulwark.vulndb.VulnDbException e) {
                    throw new ServerException(cfg.vulnDb().describe(), e.getMessage(), e);
                }
                workers = new Workers(cfg.workers(), store, cfg.cacheDir(), jobs, results, runner, cfg.lease(), cfg.poll(), cfg.vulnDbCheck(), log);
                workers.start();
            }
            if (cfg.api()) {
                QueuedThreadPool pool = new QueuedThreadPool(32, 4);
                pool.setName("bulwark-http");
                http = new Server(pool);
                HttpConfiguration hc = new HttpConfiguration();
                hc.setSendServerVersion(false);
                hc.setSendXPoweredBy(false);
                hc.setRequestHeaderSize(16 * 1024);
                HttpConnectionFactory h1 = new HttpConnectionFactory(hc);
                if (cfg.tlsCert() != null) {
                    hc.addCustomizer(new SecureRequestCustomizer());
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStore(Tls.keyStore(cfg.tlsCert(), cfg.tlsKey()));
                    ssl.setKeyStorePassword("bulwark");
                    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
                    connector = new ServerConnector(http, new SslConnectionFactory(ssl, h1.getProtocol()), h1);
                } else {
                    connector = new ServerConnector(http, h1);
                }
                connector.setHost(cfg.host());
                connector.setPort(cfg.port());
                connector.setIdleTimeout(30_000);
                http.addConnector(connector);
                Workers w = workers;
                http.setHandler(new ApiHandler(new Tokens(store), jobs, results, new Audits(store),
                        new ApiHandler.Settings(cfg.devOpenRead(), cfg.allowLocalSources(), cfg.maxBodyBytes(), cfg.corsOrigin()),
                        () -> {
                            if (w != null) w.nudge();
                        }, log));
                http.setErrorHandler(new dev.bulwark.server.api.ProblemErrorHandler());
                http.setStopTimeout(5_000);
                try {
                    http.start();
                } catch (Exception e) {
                    throw new ServerException(cfg.host() + ":" + cfg.port(), "cannot listen: " + rootMessage(e), e);
                }
            }
            return new BulwarkServer(store, http, connector, workers);
        } catch (ServerException | RuntimeException e) {
            if (workers != null) workers.close();
            if (http != null) {
                try {
                    http.stop();
                } catch (Exception ignored) {
                    // already failing: the first error is the one to report
                }
            }
            store.close();
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The port the API listens on (the real one when 0 was asked), or -1 without an API. */
    public int port() {
        return connector == null ? -1 : connector.getLocalPort();
    }

    public Store store() {
        return store;
    }

    /** Blocks until the API stops (or returns at once without an API: workers run until close). */
    public void join() throws InterruptedException {
        if (http != null) http.join();
        else Thread.currentThread().join();
    }

    @Override
    public void close() {
        if (http != null) {
            try {
                http.stop();
            } catch (Exception ignored) {
                // stopping: nothing left to tell
            }
        }
        if (workers != null) workers.close();
        store.close();
    }
}

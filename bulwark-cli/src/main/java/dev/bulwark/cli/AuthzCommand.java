package dev.bulwark.cli;

import dev.bulwark.model.BulwarkException;
import dev.bulwark.policy.Policies;
import dev.bulwark.policy.PolicyEngine;
import dev.bulwark.policy.authz.AuditLog;
import dev.bulwark.policy.authz.AuthzServer;
import dev.bulwark.policy.authz.PolicyReloader;
import dev.bulwark.policy.docker.DockerRequests;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `bulwark authz`: The Docker authorization plugin. */
@Command(name = "authz", mixinStandardHelpOptions = true, description = "The Docker authorization plugin.",
        subcommands = {AuthzCommand.Serve.class})
final class AuthzCommand {

    /** Options both servers share: the policy, its reloading, and the audit log. */
    static final class PolicyOptions {
        @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (default: the built-in baseline). Reloaded when it changes and on SIGHUP.")
        Path policy;
        @Option(names = "--no-watch", description = "Do not watch the policy file (SIGHUP still reloads it).")
        boolean noWatch;
        @Option(names = "--audit-log", paramLabel = "FILE", description = "Append every decision to FILE as JSON lines (created if absent, never truncated).")
        Path auditLog;
        @Option(names = "--syslog", paramLabel = "TARGET", arity = "0..1", fallbackValue = "/dev/log",
                description = "Also send decisions to syslog (RFC 5424): a unix socket PATH, stream or datagram (default /dev/log), or udp:HOST:PORT.")
        String syslog;

        /** Opens the audit log; problems after start go to err. */
        AuditLog openAudit(PrintWriter err) throws IOException {
            if (auditLog == null && syslog == null) return AuditLog.none();
            return AuditLog.open(auditLog, syslog, m -> line(err, "warning: " + m));
        }

        /** The policy in force and its reloader (null with the baseline, which never changes). */
        PolicyReloader reloader(AuditLog audit, PrintWriter err) throws BulwarkException, IOException {
            if (policy == null) return null;
            return PolicyReloader.start(policy, Policies::load, new PolicyReloader.Listener() {
                @Override
                public void reloaded(Path file, String trigger) {
                    line(err, "policy reloaded from " + file + " (" + trigger + ")");
                    event(audit, err, true, "policy reloaded from " + file + " (" + trigger + ")");
                }

                @Override
                public void rejected(Path file, String trigger, String error) {
                    line(err, "error: new policy rejected (" + trigger + "): " + error);
                    event(audit, err, false, "new policy rejected (" + trigger + "): " + error);
                }
            }, !noWatch);
        }

        Supplier<PolicyEngine> engine(PolicyReloader reloader) {
            if (reloader != null) return reloader;
            PolicyEngine baseline = Policies.baseline();
            return () -> baseline;
        }

        String describe() {
            return policy == null ? "the built-in baseline" : policy.toString();
        }
    }

    static void line(PrintWriter err, String s) {
        synchronized (err) {
            err.println("bulwark: " + s);
            err.flush();
        }
    }

    static void event(AuditLog audit, PrintWriter err, boolean ok, String message) {
        try {
            audit.event("policy-reload", ok, message);
        } catch (IOException e) {
            line(err, "warning: cannot write the audit log: " + e.getMessage());
        }
    }

    /**
     * Blocks until SIGTERM or SIGINT, reloading the policy on SIGHUP. The handlers replace the JVM's defaults so a
     * stop is orderly (socket removed, exit 0) rather than an exit by signal.
     */
    static void serveUntilSignalled(Runnable stop, PolicyReloader reloader, PrintWriter err) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        sun.misc.SignalHandler term = sig -> done.countDown();
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), term);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), term);
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
            if (reloader != null) {
                Thread.ofPlatform().daemon(true).start(() -> reloader.reload("SIGHUP", true));
            } else {
                line(err, "SIGHUP: serving the built-in baseline, nothing to reload");
            }
        });
        Thread hook = new Thread(stop);
        Runtime.getRuntime().addShutdownHook(hook);
        done.await();
        stop.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve the Docker authorization plugin protocol on a unix socket, deciding every Engine API call by the policy.",
                    "Start it before dockerd, then run dockerd with --authorization-plugin=NAME. Stop with SIGTERM; SIGHUP reloads the policy."})
    static final class Serve implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        PolicyOptions options;
        @Option(names = "--name", paramLabel = "NAME", defaultValue = "bulwark", description = "Plugin name dockerd is given (default: ${DEFAULT-VALUE}).")
        String name;
        @Option(names = "--socket", paramLabel = "PATH",
                description = "Unix socket to listen on (default: /run/docker/plugins/NAME.sock, or /run/bulwark/NAME.sock with --spec-dir).")
        Path socket;
        @Option(names = "--spec-dir", paramLabel = "DIR",
                description = "Write DIR/NAME.spec pointing at the socket, for daemons that find plugins by spec file (/etc/docker/plugins).")
        Path specDir;
        @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "4194304",
                description = "Largest plugin call accepted; a larger one is denied (default: ${DEFAULT-VALUE}).")
        int maxBody;
        @Option(names = "--warm-up", paramLabel = "N", defaultValue = "1000",
                description = "Decide N rounds of typical calls before opening the socket, so dockerd's first calls find the"
                        + " decision path compiled (default: ${DEFAULT-VALUE}; 0 to skip).")
        int warmUp;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (warmUp < 0) {
                err.println("bulwark: --warm-up must be 0 or more");
                return ExitCode.USAGE.code;
            }
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                err.println("bulwark: --name " + name + ": letters, digits, '.', '_' and '-' only");
                return ExitCode.USAGE.code;
            }
            Path sock = socket != null ? socket
                    : specDir != null ? Path.of("/run/bulwark", name + ".sock") : Path.of("/run/docker/plugins", name + ".sock");
            AuthzServer.Config config;
            try {
                config = new AuthzServer.Config(sock, specDir == null ? null : specDir.resolve(name + ".spec"),
                        AuthzServer.Config.DEFAULT_MAX_HEADER, maxBody, 256);
            } catch (IllegalArgumentException e) {
                return ExitCode.report(e, err);
            }
            PolicyOptions o = options;
            AuditLog audit = null;
            PolicyReloader reloader = null;
            AuthzServer server = null;
            try {
                audit = o.openAudit(err);
                reloader = o.reloader(audit, err);
                if (warmUp > 0) AuthzServer.warmUp(o.engine(reloader), DockerRequests::decode, warmUp);
                server = AuthzServer.start(config, o.engine(reloader), DockerRequests::decode, audit, m -> line(err, "warning: " + m));
                line(err, "authz plugin '" + name + "' listening on unix://" + sock.toAbsolutePath()
                        + (config.specFile() == null ? "" : " (spec " + config.specFile() + ")") + ", policy " + o.describe()
                        + (o.auditLog == null ? "" : ", audit log " + o.auditLog));
                AuthzServer s = server;
                serveUntilSignalled(s::close, reloader, err);
                line(err, "authz plugin stopped");
                return ExitCode.OK.code;
            } catch (BulwarkException | IOException e) {
                return ExitCode.report(e, err);
            } catch (InterruptedException e) {
                return ExitCode.report(e, err);
            } finally {
                if (server != null) server.close();
                try {
                    if (reloader != null) reloader.close();
                    if (audit != null) audit.close();
                } catch (IOException ignored) {
                    // exiting
                }
            }
        }
    }
}

package dev.bulwark.cli;

import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.ImageRef;
import dev.bulwark.policy.ImageTrust;
import dev.bulwark.trust.ImageVerifier;
import dev.bulwark.trust.Keys;
import dev.bulwark.trust.NotaryServer;
import dev.bulwark.trust.NotaryVerifier;
import dev.bulwark.trust.TrustPolicy;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

        @Option(names = "--key", paramLabel = "PUB",
                description = "signed(image) holds for images signed by this public key, over the digest the registry serves (repeatable: any one).")
        List<Path> trustKeys = new ArrayList<>();
        @Option(names = "--trust-policy", paramLabel = "FILE",
                description = "signed(image) follows this trust policy: keys, annotations or Notary per registry/repository (docs/trust.md).")
        Path trustPolicy;
        @Option(names = "--notary", paramLabel = "URL", description = "signed(image) holds for tags with valid Docker Content Trust data on this Notary server.")
        String notary;
        @Option(names = "--notary-ca", paramLabel = "FILE", description = "CA certificate(s) the Notary server's TLS certificate must chain to.")
        Path notaryCa;
        @Option(names = "--trust-dir", paramLabel = "DIR", description = "Where Notary roots and seen versions are kept (default: ~/.bulwark/trust).")
        Path trustDir;
        @Option(names = "--trust-ttl", paramLabel = "SECONDS", defaultValue = "300",
                description = "How long a verified image stays verified before the registry is asked again (default: ${DEFAULT-VALUE}; refusals: 10 s at most).")
        long trustTtl;
        @Option(names = "--trust-timeout", paramLabel = "MS", defaultValue = "3000",
                description = "How long a decision waits for a verification; slower is a deny (default: ${DEFAULT-VALUE}).")
        long trustTimeout;
        @picocli.CommandLine.Mixin
        SignCommand.RegistryOptions registry;

        private ImageTrust trust;

        /**
         * Builds the image trust of {@code signed(image)} from the options (none given: none, and a rule that calls
         * signed() denies). Reads the keys or the trust policy now, so a bad file stops the server before it starts.
         */
        void prepareTrust() throws BulwarkException, IOException {
            int modes = (notary != null ? 1 : 0) + (trustPolicy != null ? 1 : 0) + (!trustKeys.isEmpty() ? 1 : 0);
            if (modes == 0) {
                if (notaryCa != null) throw new IllegalArgumentException("--notary-ca goes with --notary");
                return;
            }
            if (modes > 1) throw new IllegalArgumentException("give one of --key, --trust-policy or --notary");
            if (trustTtl < 0 || trustTimeout < 1) throw new IllegalArgumentException("--trust-ttl must be 0 or more, --trust-timeout 1 or more");
            SourceOptions source = registry.options();
            Path dir = trustDir != null ? trustDir : Path.of(System.getProperty("user.home"), ".bulwark", "trust");
            ImageTrust verifier;
            if (notary != null) {
                ImageVerifier v = new ImageVerifier(TrustPolicy.ofKeys(List.of(), Map.of()), source);
                String server = notary;
                Path ca = notaryCa;
                verifier = image -> {
                    ImageRef ref = ImageRef.parse(image);
                    NotaryVerifier nv = new NotaryVerifier(dir, null, Clock.systemUTC());
                    return verdict(v.verifyNotary(ref, nv, NotaryServer.open(server, ca, ref.registry() + "/" + ref.repository())));
                };
            } else {
                TrustPolicy p;
                if (trustPolicy != null) {
                    p = TrustPolicy.load(trustPolicy);
                } else {
                    List<PublicKey> pubs = new ArrayList<>();
                    for (Path k : trustKeys) pubs.add(Keys.readPublic(k));
                    p = TrustPolicy.ofKeys(pubs, Map.of());
                }
                ImageVerifier v = new ImageVerifier(p, source, dir);
                verifier = image -> verdict(v.verify(ImageRef.parse(image)));
            }
            Duration ttl = Duration.ofSeconds(trustTtl);
            Duration negative = ttl.compareTo(Duration.ofSeconds(10)) < 0 ? ttl : Duration.ofSeconds(10);
            trust = ImageTrust.cached(verifier, ttl, negative, 10_000, Duration.ofMillis(trustTimeout));
        }

        private static ImageTrust.Verdict verdict(ImageVerifier.Verification v) {
            String name = v.ref().registry() + "/" + v.ref().repository() + (v.digest() == null ? "" : "@" + v.digest());
            return v.verified() ? ImageTrust.Verdict.trusted(name + ": " + String.join("; ", v.signers()))
                    : ImageTrust.Verdict.untrusted(name + ": " + String.join("; ", v.reasons()));
        }

        Supplier<PolicyEngine> engine(PolicyReloader reloader) {
            return engine(reloader, trust);
        }

        /**
         * The engine without image trust, for the warm-up: its made-up requests must not send a registry lookup
         * anywhere (signed() then fails, which only denies a request nobody made).
         */
        Supplier<PolicyEngine> warmUpEngine(PolicyReloader reloader) {
            return engine(reloader, null);
        }

        private static Supplier<PolicyEngine> engine(PolicyReloader reloader, ImageTrust t) {
            if (reloader != null) return t == null ? reloader : () -> ImageTrust.bind(reloader.get(), t);
            PolicyEngine baseline = t == null ? Policies.baseline() : ImageTrust.bind(Policies.baseline(), t);
            return () -> baseline;
        }

        String describeTrust() {
            if (trust == null) return "";
            return ", image trust " + (notary != null ? "Notary " + notary : trustPolicy != null ? "policy " + trustPolicy
                    : trustKeys.size() + " key" + (trustKeys.size() == 1 ? "" : "s"));
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
     * stop is orderly (socket removed, exit 0) rather than an exit by signal. {@code announce} runs once they are in
     * place: whoever reads "listening" may signal at once (a SIGHUP before that would end the JVM).
     */
    static void serveUntilSignalled(Runnable stop, PolicyReloader reloader, PrintWriter err, Runnable announce)
            throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        sun.misc.SignalHandler term = sig -> done.countDown();
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), term);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), term);
        // A signal ignored when the JVM started (nohup) cannot be handled: the JVM keeps it ignored and says so by
        // returning SIG_IGN. Then only a change of the file reloads the policy: say so rather than fail silently.
        sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
            if (reloader != null) {
                Thread.ofPlatform().daemon(true).start(() -> reloader.reload("SIGHUP", true));
            } else {
                line(err, "SIGHUP: serving the built-in baseline, nothing to reload");
            }
        });
        Thread hook = new Thread(stop);
        Runtime.getRuntime().addShutdownHook(hook);
        announce.run();
        if (previous == sun.misc.SignalHandler.SIG_IGN) {
            line(err, "warning: SIGHUP is ignored by this process (started under nohup?): the policy reloads only when its file changes");
        }
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
                o.prepareTrust();
                audit = o.openAudit(err);
                reloader = o.reloader(audit, err);
                if (warmUp > 0) AuthzServer.warmUp(o.warmUpEngine(reloader), DockerRequests::decode, warmUp);
                server = AuthzServer.start(config, o.engine(reloader), DockerRequests::decode, audit, m -> line(err, "warning: " + m));
                String listening = "authz plugin '" + name + "' listening on unix://" + sock.toAbsolutePath()
                        + (config.specFile() == null ? "" : " (spec " + config.specFile() + ")") + ", policy " + o.describe()
                        + (o.auditLog == null ? "" : ", audit log " + o.auditLog) + o.describeTrust();
                AuthzServer s = server;
                serveUntilSignalled(s::close, reloader, err, () -> line(err, listening));
                line(err, "authz plugin stopped");
                return ExitCode.OK.code;
            } catch (BulwarkException | IOException | IllegalArgumentException e) {
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

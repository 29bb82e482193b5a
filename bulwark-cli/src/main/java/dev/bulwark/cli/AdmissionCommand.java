package dev.bulwark.cli;

import dev.bulwark.model.BulwarkException;
import dev.bulwark.policy.admission.AdmissionServer;
import dev.bulwark.policy.admission.Reviewer;
import dev.bulwark.policy.authz.AuditLog;
import dev.bulwark.policy.authz.PolicyReloader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `bulwark admission`: The Kubernetes validating admission webhook. */
@Command(name = "admission", mixinStandardHelpOptions = true, description = "The Kubernetes validating admission webhook.",
        subcommands = {AdmissionCommand.Serve.class})
final class AdmissionCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve a ValidatingAdmissionWebhook over HTTPS: POST /validate (AdmissionReview v1), GET /healthz.",
                    "The policy applies to the pod spec of every workload kind; audit rules become warnings. Manifests: deploy/admission/."})
    static final class Serve implements Callable<Integer> {
        @Mixin
        AuthzCommand.PolicyOptions options;
        @Option(names = "--tls-cert", paramLabel = "PEM", required = true, description = "Server certificate chain (PEM, leaf first).")
        Path tlsCert;
        @Option(names = "--tls-key", paramLabel = "PEM", required = true, description = "Its private key (PEM: PKCS#8, or PKCS#1 RSA; not encrypted).")
        Path tlsKey;
        @Option(names = "--address", paramLabel = "ADDR", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String address;
        @Option(names = "--port", paramLabel = "PORT", defaultValue = "8443", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
        int port;
        @Option(names = "--dry-run", description = "Allow everything; what would be denied becomes a warning and an audit line (decision would-deny).")
        boolean dryRun;
        @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "4194304",
                description = "Largest AdmissionReview accepted (default: ${DEFAULT-VALUE}).")
        int maxBody;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            AdmissionServer.Config config;
            try {
                config = new AdmissionServer.Config(address, port, tlsCert, tlsKey, dryRun, maxBody);
            } catch (IllegalArgumentException e) {
                return ExitCode.report(e, err);
            }
            AuditLog audit = null;
            PolicyReloader reloader = null;
            AdmissionServer server = null;
            try {
                options.prepareTrust();
                audit = options.openAudit(err);
                reloader = options.reloader(audit, err);
                server = AdmissionServer.start(config, options.engine(reloader), reviewer(), audit,
                        m -> AuthzCommand.line(err, "warning: " + m));
                String listening = "admission webhook listening on https://" + address + ":" + server.port() + "/validate"
                        + (dryRun ? " (dry run: nothing is denied)" : "") + ", policy " + options.describe()
                        + (options.auditLog == null ? "" : ", audit log " + options.auditLog) + options.describeTrust();
                AdmissionServer s = server;
                AuthzCommand.serveUntilSignalled(s::close, reloader, err, () -> AuthzCommand.line(err, listening));
                AuthzCommand.line(err, "admission webhook stopped");
                return ExitCode.OK.code;
            } catch (AdmissionServer.TlsProblem e) {
                err.println("bulwark: " + e.getMessage());
                return ExitCode.INPUT.code;
            } catch (BulwarkException | IOException | InterruptedException | IllegalArgumentException e) {
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

    /** The policy module's review of an AdmissionReview: every container of the pod spec, combined. */
    static Reviewer reviewer() {
        return (engine, review) -> dev.bulwark.policy.kube.KubeAdmission.review(engine, review).decision();
    }
}

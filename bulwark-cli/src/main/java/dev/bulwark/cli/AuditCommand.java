package dev.bulwark.cli;

import dev.bulwark.audit.file.FileAuditor;
import dev.bulwark.audit.file.FileKind;
import dev.bulwark.audit.host.HostAuditor;
import dev.bulwark.audit.host.HostView;
import dev.bulwark.docker.DockerClient;
import dev.bulwark.docker.DockerTls;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Severity;
import dev.bulwark.report.ReportFormat;
import dev.bulwark.report.ReportOptions;
import dev.bulwark.report.Reports;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `bulwark audit FILE...` (Dockerfiles, Compose files, Kubernetes manifests) and `bulwark audit docker` (a live
 * host against the CIS Docker Benchmark).
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Audit Dockerfiles, Compose files and Kubernetes manifests (the kind is recognised by name and content),",
                "or a live Docker host with 'bulwark audit docker', against the CIS Docker Benchmark v1.6."},
        subcommands = {AuditCommand.Docker.class, AuditCommand.DockerfileFiles.class, AuditCommand.ComposeFiles.class,
                AuditCommand.KubernetesFiles.class})
final class AuditCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Dockerfiles, Compose files, Kubernetes manifests.")
    List<Path> files = new ArrayList<>();
    @Mixin
    Common common;
    @Spec
    CommandSpec spec;

    /** Output and exit-code options of both forms. */
    static final class Common {
        @Mixin
        OutputOptions output;
        @Option(names = "--exit-code", paramLabel = "N", description = "Exit with N when a check fails (FAIL at the --severity levels; default 0).")
        int exitCode;
        @Option(names = {"-s", "--severity"}, paramLabel = "LEVELS", split = ",",
                description = "Severities of failures that count for --exit-code (default: all).")
        List<String> severities = List.of();
        @Option(names = "--hide-pass", description = "Leave passed checks out of the table (counts and score still include them).")
        boolean hidePass;

        /** The output format, refused up front when it has no audit form (SBOM formats). */
        ReportFormat format() {
            ReportFormat f = ReportFormat.parse(output.format);
            if (!f.appliesToAudits()) {
                throw new IllegalArgumentException("format " + f.label() + " does not apply to audits (use table, json, sarif, junit or html)");
            }
            return f;
        }

        int finish(AuditReport report, PrintWriter err) throws IOException {
            Set<Severity> counted = ScanCommand.severities(severities);
            ReportFormat format = format();
            ReportOptions opts = ReportOptions.defaults().withQuiet(hidePass);
            if (!output.quiet) for (String w : report.warnings()) err.println("bulwark: warning: " + w);
            output.write(System.out, out -> Reports.write(report, format, out, opts));
            boolean failed = report.results().stream()
                    .anyMatch(r -> r.status() == AuditStatus.FAIL && counted.contains(r.severity()));
            return failed ? exitCode : ExitCode.OK.code;
        }
    }

    @Override
    public Integer call() {
        return auditFiles(files, null, common, spec.commandLine().getErr());
    }

    /** `bulwark audit dockerfile|compose|k8s PATH...`: the kind is given, not recognised. */
    abstract static class KindCommand implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files to audit.")
        List<Path> paths = new ArrayList<>();
        @Mixin
        Common common;
        @Spec
        CommandSpec spec;

        abstract FileKind kind();

        @Override
        public Integer call() {
            return auditFiles(paths, kind(), common, spec.commandLine().getErr());
        }
    }

    @Command(name = "dockerfile", mixinStandardHelpOptions = true, description = "Audit Dockerfiles (CIS section 4 and good practice).")
    static final class DockerfileFiles extends KindCommand {
        @Override
        FileKind kind() {
            return FileKind.DOCKERFILE;
        }
    }

    @Command(name = "compose", mixinStandardHelpOptions = true, description = "Audit Compose files (CIS section 5 on every service).")
    static final class ComposeFiles extends KindCommand {
        @Override
        FileKind kind() {
            return FileKind.COMPOSE;
        }
    }

    @Command(name = "k8s", mixinStandardHelpOptions = true, description = "Audit Kubernetes manifests (workload security contexts, host access, limits).")
    static final class KubernetesFiles extends KindCommand {
        @Override
        FileKind kind() {
            return FileKind.KUBERNETES;
        }
    }

    static int auditFiles(List<Path> files, FileKind kind, Common common, PrintWriter err) {
        if (files.isEmpty()) {
            err.println("bulwark: give files to audit, or 'bulwark audit docker' for the Docker host");
            return ExitCode.USAGE.code;
        }
        try {
            common.format();
            ScanCommand.severities(common.severities);
            List<AuditResult> results = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Path f : files) {
                AuditReport r = kind == null ? FileAuditor.audit(f) : FileAuditor.audit(f, kind);
                results.addAll(r.results());
                warnings.addAll(r.warnings());
                names.add(f.toString());
            }
            AuditReport report = new AuditReport(String.join(", ", names), results, warnings, Instant.now(), FileAuditor.TOOL);
            return common.finish(report, err);
        } catch (BulwarkException | IOException | IllegalArgumentException e) {
            return ExitCode.report(e, err);
        }
    }

    @Command(name = "docker", mixinStandardHelpOptions = true,
            description = "Audit the Docker host, daemon, images and containers (DOCKER_HOST or /var/run/docker.sock) against the CIS Docker Benchmark v1.6.")
    static final class Docker implements Callable<Integer> {
        @Mixin
        Common common;
        @Option(names = {"-H", "--host"}, paramLabel = "URL", description = "Docker Engine: unix:///path or tcp://host:port (default: DOCKER_HOST, else the local socket).")
        String host;
        @Option(names = "--tls", arity = "0..1", paramLabel = "BOOL", description = "Use TLS (implied by --tlsverify).")
        Boolean tls;
        @Option(names = "--tlsverify", arity = "0..1", paramLabel = "BOOL", description = "Use TLS and verify the daemon (default: DOCKER_TLS_VERIFY).")
        Boolean tlsVerify;
        @Option(names = "--tlscacert", paramLabel = "FILE", description = "Trust certs signed only by this CA (default: DOCKER_CERT_PATH/ca.pem).")
        Path tlsCaCert;
        @Option(names = "--tlscert", paramLabel = "FILE", description = "Client certificate (default: DOCKER_CERT_PATH/cert.pem).")
        Path tlsCert;
        @Option(names = "--tlskey", paramLabel = "FILE", description = "Client key (default: DOCKER_CERT_PATH/key.pem).")
        Path tlsKey;
        @Option(names = "--only", paramLabel = "IDS", split = ",", description = "Run only these checks, groups or sections (5.4, 1.1, 2).")
        List<String> only = new ArrayList<>();
        @Option(names = "--skip", paramLabel = "IDS", split = ",", description = "Skip these checks, groups or sections.")
        List<String> skip = new ArrayList<>();
        @Option(names = "--include-stopped", description = "Check stopped containers too (docker-bench checks running ones).")
        boolean includeStopped;
        @Option(names = "--root", paramLabel = "DIR", description = "Read host files under DIR instead of / (an offline copy of a host).")
        Path root;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                common.format();
                ScanCommand.severities(common.severities);
                DockerTls tlsSettings = DockerTls.resolve(System.getenv(), tls, tlsVerify, tlsCaCert, tlsCert, tlsKey);
                String h = host != null ? host : System.getenv().getOrDefault("DOCKER_HOST", "");
                if (h.isBlank()) h = tlsSettings != null ? DockerTls.DEFAULT_TLS_HOST : "unix://" + DockerClient.DEFAULT_SOCKET;
                try (DockerClient docker = DockerClient.connect(h, tlsSettings)) {
                    HostView view = HostView.local().withIncludeStopped(includeStopped);
                    if (root != null) view = view.withRoot(root);
                    HostAuditor auditor = new HostAuditor(docker, view);
                    if (!only.isEmpty()) auditor = auditor.only(only);
                    if (!skip.isEmpty()) auditor = auditor.skip(skip);
                    return common.finish(auditor.audit(), err);
                }
            } catch (BulwarkException | IOException | IllegalArgumentException e) {
                return ExitCode.report(e, err);
            }
        }
    }
}

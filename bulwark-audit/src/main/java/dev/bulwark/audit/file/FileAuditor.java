package dev.bulwark.audit.file;

import dev.bulwark.model.AuditReport;
import org.yaml.snakeyaml.nodes.Node;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Audits the files that define containers: Dockerfiles (CIS Docker Benchmark section 4 and DF-* checks), Compose
 * files (section 5 on every service) and Kubernetes manifests (section 5 and K8S-* checks on every container of
 * every workload). Each result names the file, the line (and column for YAML), what was seen, and the exact change
 * that fixes it. The kind is detected from the file name and, failing that, the content.
 *
 * <p>Files larger than 8 MiB, binary or non-UTF-8 files, malformed Dockerfiles or YAML, YAML with more than 50
 * aliases to collections, duplicate keys or nesting deeper than 64 levels are refused with an
 * {@link AuditException} whose {@link AuditException#oneLine()} is "file:line[:col]: what".
 */
public final class FileAuditor {
    /** The auditor's name in reports. */
    public static final String TOOL = "bulwark";
    /** Larger files are refused. */
    public static final long MAX_BYTES = Input.MAX_BYTES;

    private static final Pattern COMPOSE_NAME = Pattern.compile("(?:docker-)?compose(?:[.-][^/]*)?\\.ya?ml");
    private static final Pattern DOCKERFILE_START = Pattern.compile("(?i)(?:FROM|ARG)\\s+\\S.*");

    private FileAuditor() {
    }

    /** Audits a file, detecting its kind. */
    public static AuditReport audit(Path file) throws AuditException {
        return audit(file, null);
    }

    /** Audits a file as the given kind (null: detect it). */
    public static AuditReport audit(Path file, FileKind kind) throws AuditException {
        return audit(file.toString(), Input.read(file), kind);
    }

    /** Audits text as if it were a file of this name, detecting its kind. */
    public static AuditReport audit(String name, String content) throws AuditException {
        return audit(name, content, null);
    }

    /** Audits text as if it were a file of this name, as the given kind (null: detect it). */
    public static AuditReport audit(String name, String content, FileKind kind) throws AuditException {
        String text = Input.check(name, content);
        List<Node> docs = null;
        FileKind k = kind != null ? kind : byName(name);
        if (k == null) {
            if (looksLikeDockerfile(text)) {
                k = FileKind.DOCKERFILE;
            } else {
                docs = yamlIfAny(name, text);
                k = byContent(name, docs);
            }
        }
        Results r = new Results(name);
        switch (k) {
            case DOCKERFILE -> DockerfileChecks.run(DockerfileParser.parse(name, text), r);
            case COMPOSE -> {
                if (docs == null) docs = Yamls.load(name, text);
                if (docs.isEmpty()) throw AuditException.at(name, 0, "is empty: no Compose services to audit");
                if (docs.size() > 1) r.warning(name + ": more than one YAML document: only the first is a Compose file");
                ComposeChecks.run(name, docs.get(0), r);
            }
            case KUBERNETES -> {
                if (docs == null) docs = Yamls.load(name, text);
                if (docs.stream().noneMatch(d -> KubernetesChecks.isObject(d) || isList(d))) {
                    throw AuditException.at(name, 0, "has no Kubernetes objects (documents with apiVersion and kind)");
                }
                KubernetesChecks.run(name, docs, r);
            }
        }
        return new AuditReport(name, r.sorted(), r.warnings(), Instant.now(), TOOL);
    }

    /** The kind a file name says, or null when the name does not tell. */
    public static FileKind byName(String name) {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (base.equals("dockerfile") || base.startsWith("dockerfile.") || base.endsWith(".dockerfile")
                || base.equals("containerfile") || base.startsWith("containerfile.") || base.endsWith(".containerfile")) {
            return FileKind.DOCKERFILE;
        }
        if (COMPOSE_NAME.matcher(base).matches()) return FileKind.COMPOSE;
        return null;
    }

    private static boolean looksLikeDockerfile(String text) {
        for (String line : text.lines().limit(10_000).toList()) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            return DOCKERFILE_START.matcher(l).matches();
        }
        return false;
    }

    /** YAML documents; for a file whose name does not say YAML, a parse failure means "not one of ours". */
    private static List<Node> yamlIfAny(String name, String text) throws AuditException {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean yamlName = lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
        try {
            return Yamls.load(name, text);
        } catch (AuditException e) {
            if (yamlName || e.getMessage().startsWith("refused")) throw e;
            throw none(name);
        }
    }

    private static FileKind byContent(String name, List<Node> docs) throws AuditException {
        for (Node d : docs) {
            if (KubernetesChecks.isObject(d)) return FileKind.KUBERNETES;
        }
        if (!docs.isEmpty() && Yamls.isMap(Yamls.get(docs.get(0), "services"))) return FileKind.COMPOSE;
        throw none(name);
    }

    private static boolean isList(Node d) {
        return Yamls.get(d, "items") != null;
    }

    private static AuditException none(String name) {
        return AuditException.at(name, 0, "is none of the files Bulwark audits: not a Dockerfile (FROM ...), a Compose"
                + " file (services:) or a Kubernetes manifest (apiVersion and kind)");
    }
}

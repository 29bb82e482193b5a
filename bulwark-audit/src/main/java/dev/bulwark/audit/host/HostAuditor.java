package dev.bulwark.audit.host;

import dev.bulwark.docker.DockerClient;
import dev.bulwark.model.AuditReport;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code bulwark audit docker}: the CIS Docker Benchmark (v1.6.0, with the v1.7.0 changes and v1.8.0's devicemapper
 * check) on a live Docker host — the daemon behind a {@link DockerClient}, its configuration (daemon.json, dockerd's
 * command line, {@code /info}), the host's files and audit rules, every container and image.
 *
 * <p>Each check gives one {@link AuditResult} per subject (the host, the daemon, a file, a container, an image) with
 * the evidence that decided it and the exact fix. Facts are fetched once and concurrently (every container's and
 * image's inspect in parallel); independent checks run in parallel on virtual threads. The audit only reads: it sends
 * GET requests to the Engine API and reads files.
 *
 * <pre>{@code
 * try (DockerClient docker = DockerClient.fromEnvironment(System.getenv())) {
 *     AuditReport report = new HostAuditor(docker, HostView.local()).audit();
 * }
 * }</pre>
 */
public final class HostAuditor {
    public static final String TOOL = "bulwark audit docker (CIS Docker Benchmark v1.6.0)";

    private final DockerClient docker;
    private final HostView view;
    private final Set<String> only;
    private final Set<String> skip;

    /** Audits the live host ({@link HostView#local()}) behind {@code docker}. */
    public HostAuditor(DockerClient docker) {
        this(docker, HostView.local());
    }

    public HostAuditor(DockerClient docker, HostView view) {
        this(docker, view, Set.of(), Set.of());
    }

    private HostAuditor(DockerClient docker, HostView view, Set<String> only, Set<String> skip) {
        this.docker = Objects.requireNonNull(docker, "docker");
        this.view = Objects.requireNonNull(view, "view");
        this.only = Set.copyOf(only);
        this.skip = Set.copyOf(skip);
    }

    /** Runs only the checks selected: exact ids ("5.5"), sections ("5") or groups ("1.1"); empty runs all. */
    public HostAuditor only(Collection<String> selectors) {
        return new HostAuditor(docker, view, Set.copyOf(selectors), skip);
    }

    /** Leaves out the checks selected (same selectors as {@link #only}). */
    public HostAuditor skip(Collection<String> selectors) {
        return new HostAuditor(docker, view, only, Set.copyOf(selectors));
    }

    /** Every check this auditor knows, in benchmark order. */
    public static List<CheckInfo> catalogue() {
        return Catalogue.checks().stream().map(Check::info).toList();
    }

    /** A check is selected by its id, a prefix of it ("1.1"), or its section ("2" selects DOCKER-DEVICEMAPPER too). */
    static boolean selected(CheckInfo info, Set<String> selectors) {
        return selected(info.id(), selectors) || selectors.contains(Integer.toString(info.section()));
    }

    static boolean selected(String id, Set<String> selectors) {
        for (String s : selectors) {
            if (id.equals(s) || id.startsWith(s + ".")) return true;
        }
        return false;
    }

    /** Runs the audit. Problems that keep checks from running become ERROR results and report warnings. */
    public AuditReport audit() {
        List<Check> checks = Catalogue.checks().stream()
            .filter(c -> only.isEmpty() || selected(c.info(), only))
            .filter(c -> !selected(c.info(), skip))
            .toList();
        List<AuditResult> results = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Facts facts = new Facts(view, docker, executor);
            facts.prefetch();
            List<CompletableFuture<List<AuditResult>>> futures = new ArrayList<>();
            for (Check c : checks) {
                futures.add(CompletableFuture.supplyAsync(() -> run(c, facts), executor));
            }
            for (var f : futures) results.addAll(f.join());
            try {
                facts.info();
            } catch (Memo.FactException e) {
                warnings.add("the Docker daemon at " + docker.host() + " did not answer: " + e.getMessage());
            }
            warnings.addAll(facts.warnings());
        }
        return new AuditReport("docker:" + docker.host(), results, warnings, Instant.now(), TOOL);
    }

    private static List<AuditResult> run(Check c, Facts facts) {
        try {
            List<AuditResult> r = c.run(facts);
            return r.isEmpty() ? List.of(Check.result(c.info(), Check.Verdict.info("nothing to check"), "host", "")) : r;
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            return List.of(Check.result(c.info(), Check.Verdict.error(msg), "daemon", ""));
        }
    }

    /** The score of each section, docker-bench-security style (a check counts once, by its worst verdict). */
    public static List<SectionScore> scores(AuditReport report) {
        Map<String, AuditStatus> worst = new LinkedHashMap<>();
        for (AuditResult r : report.results()) worst.merge(r.checkId(), r.status(), HostAuditor::worse);
        Map<Integer, int[]> counts = new LinkedHashMap<>();
        Map<String, Integer> sectionOf = new LinkedHashMap<>();
        for (CheckInfo i : catalogue()) sectionOf.put(i.id(), i.section());
        worst.forEach((id, status) -> {
            int section = sectionOf.getOrDefault(id, 0);
            int[] c = counts.computeIfAbsent(section, k -> new int[AuditStatus.values().length]);
            c[status.ordinal()]++;
        });
        List<SectionScore> out = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            int[] c = e.getValue();
            int pass = c[AuditStatus.PASS.ordinal()];
            int fail = c[AuditStatus.FAIL.ordinal()];
            out.add(new SectionScore(e.getKey(), sectionName(e.getKey()), pass, fail, c[AuditStatus.WARN.ordinal()],
                    c[AuditStatus.MANUAL.ordinal()], c[AuditStatus.INFO.ordinal()], c[AuditStatus.ERROR.ordinal()],
                    pass - fail));
        });
        return out;
    }

    /** ERROR > FAIL > WARN > MANUAL > INFO > PASS. */
    static AuditStatus worse(AuditStatus a, AuditStatus b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(AuditStatus s) {
        return switch (s) {
            case PASS -> 0;
            case INFO -> 1;
            case MANUAL -> 2;
            case WARN -> 3;
            case FAIL -> 4;
            case ERROR -> 5;
        };
    }

    static String sectionName(int section) {
        return switch (section) {
            case 1 -> "Host Configuration";
            case 2 -> "Docker daemon configuration";
            case 3 -> "Docker daemon configuration files";
            case 4 -> "Container Images and Build File";
            case 5 -> "Container Runtime";
            case 6 -> "Docker Security Operations";
            case 7 -> "Docker Swarm Configuration";
            default -> "Other";
        };
    }
}

package dev.bulwark.match.suppress;

import dev.bulwark.model.Finding;
import dev.bulwark.model.Package;
import dev.bulwark.model.Suppression;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Takes findings out of the results on the user's word: ignore files ({@code --ignorefile}, Trivy's
 * {@code .trivyignore} and {@code .trivyignore.yaml} forms) and VEX documents ({@code --vex}: OpenVEX and
 * CycloneDX). Immutable once loaded; {@link #apply} may be called any number of times, from any thread.
 *
 * <p>A finding is suppressed when an ignore entry in force names it, or else when the newest VEX statement that
 * names its vulnerability (id or alias) and its package (or the scanned image) says {@code not_affected} or
 * {@code fixed}. A newer {@code affected} or {@code under_investigation} statement brings it back. Nothing is ever
 * added: {@code kept} and {@code suppressed} together hold exactly the findings given, each once.
 */
public final class Suppressions {
    /** Ignore files and VEX documents larger than this are refused. */
    public static final long MAX_FILE_BYTES = Documents.MAX_BYTES;
    private static final Suppressions NONE = new Suppressions(List.of(), List.of(), List.of());

    private final List<IgnoreRule> rules;
    private final Map<String, List<Integer>> rulesById;
    private final List<VexStatement> statements;
    private final Map<String, List<VexStatement>> statementsById;
    private final List<String> warnings;

    private Suppressions(List<IgnoreRule> rules, List<VexStatement> statements, List<String> warnings) {
        this.rules = List.copyOf(rules);
        Map<String, List<Integer>> ruleIndex = new HashMap<>();
        for (int i = 0; i < this.rules.size(); i++) {
            ruleIndex.computeIfAbsent(Ids.key(this.rules.get(i).id()), k -> new ArrayList<>()).add(i);
        }
        this.rulesById = ruleIndex;
        this.statements = List.copyOf(statements);
        this.warnings = List.copyOf(warnings);
        Map<String, List<VexStatement>> byId = new HashMap<>();
        for (VexStatement s : this.statements) {
            for (String id : s.ids()) byId.computeIfAbsent(id, k -> new ArrayList<>()).add(s);
        }
        this.statementsById = byId;
    }

    /** What {@link #apply} returns. */
    public record Result(List<Finding> kept, List<Suppression> suppressed, List<String> warnings) {
        public Result {
            kept = List.copyOf(kept);
            suppressed = List.copyOf(suppressed);
            warnings = List.copyOf(warnings);
        }
    }

    /** Suppresses nothing. */
    public static Suppressions none() {
        return NONE;
    }

    /**
     * Reads ignore files and VEX documents. The format of each is told by its content: an ignore file is the text
     * or the YAML form; a VEX document is OpenVEX or CycloneDX JSON, possibly inside an in-toto statement or a DSSE
     * envelope.
     *
     * @param today entries of ignore files that expire on or before this day are not in force (and warned about)
     * @throws SuppressionException a file that cannot be used at all: missing, over {@link #MAX_FILE_BYTES}, not
     *                              UTF-8, not parseable, or of another format; entries that cannot be used in an
     *                              otherwise readable file are {@link #warnings()} instead
     */
    public static Suppressions load(List<Path> ignoreFiles, List<Path> vexFiles, LocalDate today)
            throws SuppressionException {
        Objects.requireNonNull(today, "today");
        List<Source> ignore = new ArrayList<>();
        for (Path p : ignoreFiles == null ? List.<Path>of() : ignoreFiles) ignore.add(new Source(p.toString(), Documents.read(p)));
        List<Source> vex = new ArrayList<>();
        for (Path p : vexFiles == null ? List.<Path>of() : vexFiles) vex.add(new Source(p.toString(), Documents.read(p)));
        return parse(ignore, vex, today);
    }

    /** A file's name (as messages show it) and content. */
    record Source(String name, byte[] bytes) {
    }

    /** {@link #load} without the file system. */
    static Suppressions parse(List<Source> ignoreFiles, List<Source> vexFiles, LocalDate today) throws SuppressionException {
        List<IgnoreRule> rules = new ArrayList<>();
        List<VexStatement> statements = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Source s : ignoreFiles) {
            if (s.bytes().length > Documents.MAX_BYTES) throw new SuppressionException(s.name(), "larger than "
                    + (Documents.MAX_BYTES >> 20) + " MiB", null);
            Warnings w = new Warnings(s.name(), warnings);
            rules.addAll(IgnoreFiles.parse(s.name(), Documents.text(s.name(), s.bytes()), today, w));
            w.close();
        }
        Vex.Order order = new Vex.Order();
        for (Source s : vexFiles) {
            if (s.bytes().length > Documents.MAX_BYTES) throw new SuppressionException(s.name(), "larger than "
                    + (Documents.MAX_BYTES >> 20) + " MiB", null);
            Warnings w = new Warnings(s.name(), warnings);
            statements.addAll(Vex.parse(s.name(), Documents.text(s.name(), s.bytes()), order, w));
            w.close();
        }
        return new Suppressions(rules, statements, warnings);
    }

    /** Problems met while loading: expired entries, unusable entries and statements. */
    public List<String> warnings() {
        return warnings;
    }

    /** Ignore entries in force. */
    public int ignoreEntries() {
        return rules.size();
    }

    /** Usable VEX statements. */
    public int vexStatements() {
        return statements.size();
    }

    public boolean isEmpty() {
        return rules.isEmpty() && statements.isEmpty();
    }

    /**
     * Splits findings into kept and suppressed, without knowledge of the scanned image: statements whose product
     * is the image ({@code pkg:oci/...}) are then not applied (a warning says so).
     */
    public Result apply(List<Finding> findings) {
        return apply(findings, null);
    }

    /**
     * Splits findings into kept and suppressed.
     *
     * @param findings the findings, in report order; {@code kept} keeps that order
     * @param target   the scanned image and its packages, or null when unknown: needed for statements whose product
     *                 is the image itself, and for statements about subcomponents of a product other than the image
     *                 (the product must be among the packages)
     */
    public Result apply(List<Finding> findings, ScanTarget target) {
        Objects.requireNonNull(findings, "findings");
        Set<String> warn = new LinkedHashSet<>(warnings);
        List<Finding> kept = new ArrayList<>();
        List<Suppression> suppressed = new ArrayList<>();
        Presence present = new Presence(findings, target);
        for (Finding f : findings) {
            Purl pkgPurl = Purl.tryParse(f.pkg().purl());
            Suppression s = byIgnoreFile(f, pkgPurl);
            if (s == null) s = byVex(f, pkgPurl, target, present, warn);
            if (s == null) kept.add(f);
            else suppressed.add(s);
        }
        return new Result(kept, suppressed, new ArrayList<>(warn));
    }

    /** The first entry in load order that names the finding. */
    private Suppression byIgnoreFile(Finding f, Purl pkgPurl) {
        if (rules.isEmpty()) return null;
        int first = Integer.MAX_VALUE;
        for (String id : idsOf(f)) {
            for (int i : rulesById.getOrDefault(id, List.of())) {
                if (i < first && rules.get(i).matches(f, pkgPurl)) first = i;
            }
        }
        if (first == Integer.MAX_VALUE) return null;
        IgnoreRule r = rules.get(first);
        return new Suppression(f, IgnoreFiles.BY, r.reason(), r.where());
    }

    private static Set<String> idsOf(Finding f) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(Ids.key(f.id()));
        for (String a : f.aliases()) ids.add(Ids.key(a));
        return ids;
    }

    private Suppression byVex(Finding f, Purl pkgPurl, ScanTarget target, Presence present, Set<String> warn) {
        if (statements.isEmpty()) return null;
        Set<VexStatement> candidates = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String id : idsOf(f)) candidates.addAll(statementsById.getOrDefault(id, List.of()));
        VexStatement newest = null;
        for (VexStatement s : candidates) {
            if (!applies(s, f, pkgPurl, target, present, warn)) continue;
            if (newest == null || s.supersedes(newest)) newest = s;
        }
        if (newest == null || !newest.status().suppresses()) return null;
        return new Suppression(f, newest.by(), newest.reason(), newest.where());
    }

    private static boolean applies(VexStatement s, Finding f, Purl pkgPurl, ScanTarget target, Presence present,
                                   Set<String> warn) {
        for (VexStatement.Product p : s.products()) {
            if (p.subcomponents().isEmpty()) {
                for (Purl purl : p.purls()) {
                    if (purl.isOci() ? isImage(purl, s, target, warn) : purl.matches(pkgPurl)) return true;
                }
                continue;
            }
            boolean sub = p.subcomponents().stream()
                    .anyMatch(c -> c.stream().anyMatch(purl -> !purl.isOci() && purl.matches(pkgPurl)));
            if (!sub) continue;
            for (Purl purl : p.purls()) {
                if (purl.isOci() ? isImage(purl, s, target, warn) : present.contains(purl)) return true;
            }
            if (p.purls().stream().noneMatch(Purl::isOci)) {
                warn.add(s.where() + ": names " + f.pkg().name() + " as a subcomponent of " + p.purls().get(0)
                        + ", which is not among the scanned packages; not applied to " + f.id());
            }
        }
        return false;
    }

    private static boolean isImage(Purl oci, VexStatement s, ScanTarget target, Set<String> warn) {
        if (target == null || !target.hasImage()) {
            warn.add(s.where() + ": is about the image " + oci + ", but the scanned image's name and digest are"
                    + " unknown; not applied");
            return false;
        }
        return target.isImage(oci);
    }

    /** Whether a product purl names a package of the scan: the target's packages, or those of the findings. */
    private static final class Presence {
        private final List<Package> packages;
        private final List<Finding> findings;
        private List<Purl> purls;

        Presence(List<Finding> findings, ScanTarget target) {
            this.packages = target == null ? List.of() : target.packages();
            this.findings = findings;
        }

        boolean contains(Purl product) {
            if (purls == null) {
                purls = new ArrayList<>();
                for (Package p : packages) add(p);
                for (Finding f : findings) add(f.pkg());
            }
            for (Purl p : purls) {
                if (product.matches(p)) return true;
            }
            return false;
        }

        private void add(Package p) {
            Purl purl = Purl.tryParse(p.purl());
            if (purl != null) purls.add(purl);
        }
    }
}

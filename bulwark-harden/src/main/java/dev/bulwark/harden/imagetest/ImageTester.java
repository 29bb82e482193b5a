package dev.bulwark.harden.imagetest;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.imagetest.TestResult.Mismatch;
import dev.bulwark.harden.run.Isolation;
import dev.bulwark.harden.run.RunSpec;
import dev.bulwark.harden.run.Runner;
import dev.bulwark.harden.run.vm.MicroVm;
import dev.bulwark.image.ImageException;
import dev.bulwark.image.ImageRunConfig;
import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Digest;
import dev.bulwark.model.Finding;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.model.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs a spec against an image: `bulwark test IMAGE --spec FILE` (docs/image-test.md). File, metadata and licence
 * file checks read the image without running it; command tests run it through {@link Runner}; licence checks on the
 * SBOM and the security gates ask {@link ImageFacts}. A test that cannot be carried out is an ERROR result, never a
 * silent pass; only a problem with the image itself (it cannot be opened or read) ends the run with an exception.
 */
public final class ImageTester {
    static final int MAX_LISTED = 10;

    /**
     * Where and how command tests run.
     *
     * @param runc      the runc binary
     * @param rootfsDir where the unpacked image is cached (as `bulwark run --rootfs-dir`)
     * @param workDir   bundles and runc state, one per run, removed afterwards
     * @param idMap     the user namespace's mapping, or null for none
     * @param runsc     gVisor's runsc for tests with {@code isolation: sandbox}, or null (such a test is then an error)
     * @param vm        QEMU, kernel and busybox for tests with {@code isolation: vm}, or null (likewise)
     */
    public record RunSetup(Path runc, Path rootfsDir, Path workDir, RunSpec.IdMap idMap, Path runsc,
                           MicroVm.Options vm) {
        /** Containers only. */
        public RunSetup(Path runc, Path rootfsDir, Path workDir, RunSpec.IdMap idMap) {
            this(runc, rootfsDir, workDir, idMap, null, null);
        }
    }

    /**
     * @param source how to open the image (and a base image)
     * @param run    how command tests run; null when the spec has none (a spec with command tests then fails to start)
     * @param log    progress lines (may be null)
     */
    public record Options(SourceOptions source, RunSetup run, Consumer<String> log) {
        public Options {
            Objects.requireNonNull(source, "source");
        }
    }

    private ImageTester() {}

    public static ImageTestReport run(String target, Spec spec, ImageFacts facts, Options o)
            throws ImageException, HardenException, InterruptedException {
        Consumer<String> log = o.log() == null ? s -> {} : o.log();
        if (!spec.commands().isEmpty() && o.run() == null) throw new HardenException(spec.file(), "the spec has command tests but no runner was set up");
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<TestResult> results = new ArrayList<>();
        ImageInfo info;
        ImageRunConfig config;
        FileTree tree;
        try (ImageSource src = ImageSources.open(target, o.source())) {
            info = src.info();
            config = ImageRunConfig.of(src);
            tree = needsTree(spec) ? FileTree.read(src, wanted(spec)) : null;
        }
        String specFile = spec.file();
        if (!spec.commands().isEmpty()) {
            boolean shared = spec.commands().stream().anyMatch(t -> t.isolation() != Isolation.VM);
            boolean vm = spec.commands().stream().anyMatch(t -> t.isolation() == Isolation.VM);
            Runner.Prepared prepared = shared ? Runner.prepare(target, o.source(), o.run().rootfsDir(), o.run().idMap(), log) : null;
            // the VM's kernel is the wall: it shares the image unshifted, as `bulwark run --isolation vm` does
            Runner.Prepared unshifted = null;
            try {
                if (vm) unshifted = o.run().idMap() == null && prepared != null ? prepared : Runner.prepare(target, o.source(), o.run().rootfsDir(), null, log);
                CommandChecks cc = new CommandChecks(target, prepared, unshifted, tree, o.run(), log);
                for (Spec.CommandTest t : spec.commands()) {
                    log.accept("command test: " + t.name() + (t.isolation() == Isolation.CONTAINER ? "" : " (" + t.isolation().id() + ")"));
                    results.add(cc.check(t, specFile + ":" + t.line()));
                }
            } finally {
                for (Runner.Prepared p : new LinkedHashSet<>(java.util.Arrays.asList(prepared, unshifted))) {
                    if (p == null) continue;
                    try {
                        Runner.release(p);
                    } catch (java.io.IOException e) {
                        log.accept("cannot remove the temporary root filesystem: " + e.getMessage());
                    }
                }
            }
        }
        for (Spec.FileTest t : spec.files()) results.add(FileChecks.check(t, tree, specFile + ":" + t.line()));
        if (spec.metadata() != null) results.addAll(metadata(spec.metadata(), info, config, specFile, o.source()));
        Memo memo = new Memo(facts);
        if (spec.licences() != null) results.addAll(licences(spec.licences(), tree, memo, specFile));
        if (spec.gates() != null) results.addAll(gates(spec.gates(), memo, specFile));
        return new ImageTestReport(target, info.imageId() == null ? "" : info.imageId().toString(), specFile, results, started,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private static boolean needsTree(Spec spec) {
        return !spec.files().isEmpty() || !spec.commands().isEmpty()
                || (spec.licences() != null && (spec.licences().requiredFiles() != null || spec.licences().packageCopyright() != null));
    }

    /** Paths whose contents are read: content tests, and the user and group databases names are looked up in. */
    private static Set<String> wanted(Spec spec) {
        Set<String> w = new LinkedHashSet<>(List.of("/etc/passwd", "/etc/group"));
        for (Spec.FileTest t : spec.files()) if (t.needsContent()) w.add(t.path());
        return w;
    }

    // ------------------------------------------------------------------ metadata

    private static List<TestResult> metadata(Spec.MetadataTest t, ImageInfo info, ImageRunConfig c, String file, SourceOptions so)
            throws InterruptedException {
        List<TestResult> out = new ArrayList<>();
        if (t.user() != null) out.add(equal("metadata", "user", file, t.user(), c.user(), q(t.user().value()), q(c.user())));
        if (t.workdir() != null) out.add(equal("metadata", "workdir", file, t.workdir(), c.workingDir(), q(t.workdir().value()), q(c.workingDir())));
        if (t.entrypoint() != null) out.add(equal("metadata", "entrypoint", file, t.entrypoint(), c.entrypoint(), list(t.entrypoint().value()), list(c.entrypoint())));
        if (t.cmd() != null) out.add(equal("metadata", "cmd", file, t.cmd(), c.cmd(), list(t.cmd().value()), list(c.cmd())));
        if (t.healthcheck() != null) {
            out.add(equal("metadata", "healthcheck", file, t.healthcheck(), c.healthcheck(), t.healthcheck().value() ? "a HEALTHCHECK" : "no HEALTHCHECK",
                    c.healthcheck() ? "a HEALTHCHECK" : "no HEALTHCHECK"));
        }
        if (t.env() != null) {
            out.add(needsValues(c, "env", file, t.env().line(), () -> {
                Map<String, String> found = new java.util.LinkedHashMap<>();
                for (String e : c.env()) found.put(e.contains("=") ? e.substring(0, e.indexOf('=')) : e, e.contains("=") ? e.substring(e.indexOf('=') + 1) : "");
                return pairs("env", t.env().value(), found);
            }));
        }
        if (t.labels() != null) out.add(needsValues(c, "labels", file, t.labels().line(), () -> pairs("label", t.labels().value(), c.labels())));
        if (t.exposedPorts() != null) out.add(contains("exposedPorts", file, t.exposedPorts(), c.exposedPorts()));
        if (t.volumes() != null) out.add(needsValues(c, "volumes", file, t.volumes().line(),
                () -> contains("volumes", file, t.volumes(), c.volumes()).mismatches()));
        if (t.base() != null) out.add(base(t.base(), info, file, so));
        // in the order the spec wrote them
        out.sort(Comparator.comparingInt(r -> Integer.parseInt(r.location().substring(r.location().lastIndexOf(':') + 1))));
        return out;
    }

    private interface Check {
        List<Mismatch> run();
    }

    /** A source without an image config (a root filesystem) gives only facts: ENV values, labels and volumes are unknown. */
    private static TestResult needsValues(ImageRunConfig c, String what, String file, int line, Check check) {
        long s = System.nanoTime();
        if (!c.complete())
            return TestResult.error("metadata", what, file + ":" + line, "the image source gives no " + what
                    + " values (it has no image config)", FileChecks.since(s));
        return TestResult.of("metadata", what, file + ":" + line, check.run(), "", FileChecks.since(s));
    }

    private static <T> TestResult equal(String kind, String name, String file, Spec.Expect<T> want, Object found, String wantText, String foundText) {
        long s = System.nanoTime();
        List<Mismatch> m = want.value().equals(found) ? List.of() : List.of(new Mismatch(name, wantText, foundText));
        return TestResult.of(kind, name, file + ":" + want.line(), m, "", FileChecks.since(s));
    }

    private static List<Mismatch> pairs(String what, Map<String, String> want, Map<String, String> found) {
        List<Mismatch> m = new ArrayList<>();
        for (Map.Entry<String, String> e : want.entrySet()) {
            String f = found.get(e.getKey());
            if (!e.getValue().equals(f)) m.add(new Mismatch(what + " " + e.getKey(), q(e.getValue()), f == null ? "not set" : q(f)));
        }
        return m;
    }

    private static TestResult contains(String name, String file, Spec.Expect<List<String>> want, List<String> found) {
        long s = System.nanoTime();
        List<Mismatch> m = new ArrayList<>();
        for (String w : want.value()) if (!found.contains(w)) m.add(new Mismatch(name, w, found.isEmpty() ? "none" : String.join(", ", found)));
        return TestResult.of("metadata", name, file + ":" + want.line(), m, "", FileChecks.since(s));
    }

    /** The base's layers (by diffID) must be the first layers of the image; a digest pins which base that is. */
    private static TestResult base(Spec.Expect<Spec.BaseImage> want, ImageInfo info, String file, SourceOptions so) throws InterruptedException {
        long s = System.nanoTime();
        String loc = file + ":" + want.line();
        Spec.BaseImage b = want.value();
        ImageInfo base;
        try (ImageSource src = ImageSources.open(b.image(), so)) {
            base = src.info();
        } catch (ImageException e) {
            return TestResult.error("metadata", "base", loc, "cannot open the base image: " + e.oneLine(), FileChecks.since(s));
        }
        List<Mismatch> m = new ArrayList<>();
        List<Digest> mine = info.layers().stream().map(LayerInfo::diffId).toList();
        List<Digest> theirs = base.layers().stream().map(LayerInfo::diffId).toList();
        if (theirs.contains(null) || mine.contains(null)) {
            return TestResult.error("metadata", "base", loc, "a root filesystem has no layer digests to compare", FileChecks.since(s));
        }
        if (theirs.size() > mine.size() || !mine.subList(0, theirs.size()).equals(theirs)) {
            int same = 0;
            while (same < Math.min(mine.size(), theirs.size()) && mine.get(same).equals(theirs.get(same))) same++;
            m.add(new Mismatch("base", "built on " + b.image() + " (its " + theirs.size() + " layer(s) first)",
                    same + " of its " + theirs.size() + " layer(s) at the bottom of the image's " + mine.size()
                            + (same < mine.size() && same < theirs.size() ? " (layer " + same + " is " + mine.get(same) + ", the base has " + theirs.get(same) + ")" : "")));
        }
        if (b.digest() != null) {
            String id = base.imageId() == null ? "" : base.imageId().toString();
            String md = base.manifestDigest() == null ? "" : base.manifestDigest().toString();
            if (!b.digest().equals(id) && !b.digest().equals(md))
                m.add(new Mismatch("base digest", b.digest(), "image id " + (id.isEmpty() ? "unknown" : id) + (md.isEmpty() ? "" : ", manifest " + md)));
        }
        return TestResult.of("metadata", "base", loc, m, "", FileChecks.since(s));
    }

    // ------------------------------------------------------------------ licences

    private static List<TestResult> licences(Spec.LicenceTest t, FileTree tree, Memo facts, String file) throws InterruptedException {
        List<TestResult> out = new ArrayList<>();
        if (t.requiredFiles() != null) {
            long s = System.nanoTime();
            List<Mismatch> m = new ArrayList<>();
            for (String p : t.requiredFiles().value()) {
                FileTree.Entry e = tree.resolve(p);
                if (e == null) m.add(new Mismatch("licence file", p, "nothing there"));
                else if (!FileChecks.typeOf(e).equals("file")) m.add(new Mismatch("licence file", p + " as a regular file", FileChecks.typeOf(e)));
            }
            out.add(TestResult.of("licence", "required licence files", file + ":" + t.requiredFiles().line(), m, "", FileChecks.since(s)));
        }
        if (t.packageCopyright() != null && t.packageCopyright().value()) {
            long s = System.nanoTime();
            String loc = file + ":" + t.packageCopyright().line();
            try {
                List<String> missing = new ArrayList<>();
                int debs = 0;
                for (Package p : facts.packages()) {
                    if (p.type() != PackageType.DEB) continue;
                    debs++;
                    String path = "/usr/share/doc/" + p.name() + "/copyright";
                    FileTree.Entry e = tree.resolve(path);
                    if (e == null || !FileChecks.typeOf(e).equals("file")) missing.add(p.name() + " " + p.version());
                }
                List<Mismatch> m = missing.isEmpty() ? List.of() : List.of(new Mismatch("copyright", "/usr/share/doc/NAME/copyright for each of "
                        + debs + " Debian packages", missing.size() + " without: " + listed(missing)));
                out.add(TestResult.of("licence", "package copyright files", loc, m, "", FileChecks.since(s)));
            } catch (BulwarkException e) {
                out.add(TestResult.error("licence", "package copyright files", loc, "cannot list the packages: " + e.oneLine(), FileChecks.since(s)));
            }
        }
        if (t.forbidden() != null) {
            long s = System.nanoTime();
            String loc = file + ":" + t.forbidden().line();
            try {
                List<Pattern> pats = t.forbidden().value().stream().map(ImageTester::glob).toList();
                List<String> hits = new ArrayList<>();
                for (Package p : facts.packages()) {
                    List<String> bad = new ArrayList<>();
                    for (String expr : p.licenses()) {
                        for (String id : licenceIds(expr)) if (pats.stream().anyMatch(x -> x.matcher(id).matches()) && !bad.contains(id)) bad.add(id);
                    }
                    if (!bad.isEmpty()) hits.add(p.name() + " " + p.version() + " (" + String.join(", ", bad) + ")");
                }
                List<String> unique = List.copyOf(new LinkedHashSet<>(hits));
                List<Mismatch> m = unique.isEmpty() ? List.of() : List.of(new Mismatch("licences", "no package under " + String.join(", ", t.forbidden().value()),
                        unique.size() + " package(s): " + listed(unique)));
                out.add(TestResult.of("licence", "forbidden licences", loc, m, "", FileChecks.since(s)));
            } catch (BulwarkException e) {
                out.add(TestResult.error("licence", "forbidden licences", loc, "cannot list the packages: " + e.oneLine(), FileChecks.since(s)));
            }
        }
        return out;
    }

    /** The licence ids of an SPDX expression: operators, exceptions and parentheses dropped. */
    static List<String> licenceIds(String expr) {
        List<String> out = new ArrayList<>();
        String[] tokens = expr.replace("(", " ").replace(")", " ").trim().split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            String tk = tokens[i];
            String up = tk.toUpperCase(Locale.ROOT);
            if (up.equals("AND") || up.equals("OR") || tk.isEmpty()) continue;
            if (up.equals("WITH")) {
                i++;
                continue;
            }
            out.add(tk);
        }
        return out;
    }

    /** "AGPL-*" as a case-insensitive whole-id match; "+" and "." are literal. */
    static Pattern glob(String g) {
        StringBuilder b = new StringBuilder();
        for (char c : g.toCharArray()) b.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        return Pattern.compile(b.toString(), Pattern.CASE_INSENSITIVE);
    }

    // ------------------------------------------------------------------ gates

    private static List<TestResult> gates(Spec.Gates g, Memo facts, String file) throws InterruptedException {
        List<TestResult> out = new ArrayList<>();
        if (g.severity() != null) {
            long s = System.nanoTime();
            Severity min = g.severity().value();
            String name = "no vulnerability at or above " + min + (g.ignoreUnfixed() ? " with a fix" : "");
            String loc = file + ":" + g.severity().line();
            try {
                List<Finding> hits = facts.vulnerabilities().stream()
                        .filter(f -> f.severity() != Severity.UNKNOWN && f.severity().compareTo(min) >= 0)
                        .filter(f -> !g.ignoreUnfixed() || f.status() == dev.bulwark.model.FindingStatus.FIXED)
                        .sorted(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::id)).toList();
                List<Mismatch> m = hits.isEmpty() ? List.of() : List.of(new Mismatch("vulnerabilities", "none at or above " + min,
                        hits.size() + ": " + listed(hits.stream().map(f -> f.severity() + " " + f.id() + " in " + f.pkg().name() + " " + f.pkg().version()).toList())));
                out.add(TestResult.of("gate", name, loc, m, "", FileChecks.since(s)));
            } catch (BulwarkException e) {
                out.add(TestResult.error("gate", name, loc, "cannot match vulnerabilities: " + e.oneLine(), FileChecks.since(s)));
            }
        }
        if (g.noSecrets() != null && g.noSecrets().value()) {
            long s = System.nanoTime();
            String loc = file + ":" + g.noSecrets().line();
            try {
                List<SecretFinding> found = facts.secrets();
                List<Mismatch> m = found.isEmpty() ? List.of() : List.of(new Mismatch("secrets", "none", found.size() + ": " + listed(found.stream()
                        .map(f -> f.ruleId() + " in " + f.path() + (f.line() > 0 ? ":" + f.line() : "") + (f.deletedLater() ? " (deleted by a later layer)" : "")).toList())));
                out.add(TestResult.of("gate", "no secrets", loc, m, "", FileChecks.since(s)));
            } catch (BulwarkException e) {
                out.add(TestResult.error("gate", "no secrets", loc, "cannot scan for secrets: " + e.oneLine(), FileChecks.since(s)));
            }
        }
        if (g.audit() != null) {
            long s = System.nanoTime();
            String name = "audit " + String.join(",", g.audit().value());
            String loc = file + ":" + g.audit().line();
            try {
                List<AuditResult> rs = facts.audit(g.audit().value());
                List<Mismatch> m = new ArrayList<>();
                for (AuditResult r : rs) {
                    if (r.status() == AuditStatus.FAIL)
                        m.add(new Mismatch(r.checkId(), "PASS (" + r.title() + ")", "FAIL: " + r.evidence()));
                }
                if (rs.isEmpty()) out.add(TestResult.error("gate", name, loc, "no audit check ran on the image", FileChecks.since(s)));
                else out.add(TestResult.of("gate", name, loc, m, "", FileChecks.since(s)));
            } catch (BulwarkException e) {
                out.add(TestResult.error("gate", name, loc, "cannot audit: " + e.oneLine(), FileChecks.since(s)));
            }
        }
        return out;
    }

    /** Each fact is asked for once, whichever tests need it. */
    private static final class Memo {
        private final ImageFacts facts;
        private List<Package> packages;
        private BulwarkException packagesError;

        Memo(ImageFacts facts) {
            this.facts = facts;
        }

        List<Package> packages() throws BulwarkException, InterruptedException {
            if (packagesError != null) throw packagesError;
            if (packages == null) {
                try {
                    packages = facts.packages();
                } catch (BulwarkException e) {
                    packagesError = e;
                    throw e;
                }
            }
            return packages;
        }

        List<Finding> vulnerabilities() throws BulwarkException, InterruptedException {
            return facts.vulnerabilities();
        }

        List<SecretFinding> secrets() throws BulwarkException, InterruptedException {
            return facts.secrets();
        }

        List<AuditResult> audit(List<String> checks) throws BulwarkException, InterruptedException {
            return facts.audit(checks);
        }
    }

    private static String listed(List<String> items) {
        return String.join(", ", items.subList(0, Math.min(MAX_LISTED, items.size()))) + (items.size() > MAX_LISTED ? " and " + (items.size() - MAX_LISTED) + " more" : "");
    }

    private static String q(String s) {
        return "'" + dev.bulwark.image.PathNames.printable(s) + "'";
    }

    private static String list(List<String> l) {
        return "[" + String.join(", ", l.stream().map(ImageTester::q).toList()) + "]";
    }
}

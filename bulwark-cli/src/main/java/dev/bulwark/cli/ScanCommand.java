package dev.bulwark.cli;

import dev.bulwark.match.Matcher;
import dev.bulwark.match.suppress.ScanTarget;
import dev.bulwark.match.suppress.Suppressions;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Finding;
import dev.bulwark.model.HygieneFinding;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.scan.secret.SecretConfig;
import dev.bulwark.model.FindingStatus;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.ScanReport;
import dev.bulwark.model.Severity;
import dev.bulwark.model.VulnDbInfo;
import dev.bulwark.report.ReportFormat;
import dev.bulwark.report.ReportOptions;
import dev.bulwark.report.Reports;
import dev.bulwark.vulndb.DbLocation;
import dev.bulwark.vulndb.VulnDb;
import dev.bulwark.vulndb.VulnDbException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `bulwark scan TARGET`: the inventory of an image matched against the vulnerability DB. The DB is opened
 * read-only and the network is never used; a machine without a DB gets the built-in advisories.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Scan an image for known vulnerabilities in its OS and language packages, secrets in its layers and config, and hygiene problems.")
final class ScanCommand implements Callable<Integer> {
    /** The default ignore file, read when present in the working directory. */
    static final String DEFAULT_IGNOREFILE = ".bulwarkignore";

    @Mixin
    ImageOptions image;

    @Option(names = "--inventory", paramLabel = "FILE", description = "Match an inventory written by 'bulwark sbom -f json' instead of reading an image.")
    Path inventory;

    @Mixin
    OutputOptions output;
    @Mixin
    DbOptions db;
    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--severity"}, paramLabel = "LEVELS", split = ",",
            description = "Report only these severities (comma-separated: UNKNOWN,NEGLIGIBLE,LOW,MEDIUM,HIGH,CRITICAL). Default: all.")
    List<String> severities = List.of();

    @Option(names = "--exit-code", paramLabel = "N", description = "Exit with N when findings remain after filters (default 0).")
    int exitCode;

    @Option(names = "--ignore-unfixed", description = "Leave out findings that have no fixed version yet.")
    boolean ignoreUnfixed;

    @Option(names = "--ignorefile", paramLabel = "FILE", description = "Ids to ignore, with reasons and expiry dates (default: ./" + DEFAULT_IGNOREFILE + " when present). Repeatable.")
    List<Path> ignoreFiles = new ArrayList<>();

    @Option(names = "--vex", paramLabel = "FILE", description = "OpenVEX or CycloneDX VEX document; not_affected and fixed statements suppress findings. Repeatable.")
    List<Path> vexFiles = new ArrayList<>();

    @Option(names = "--scanners", split = ",", paramLabel = "SCANNER[,SCANNER...]", description = {
            "What to look for: vuln (known vulnerabilities), secret (keys and tokens in every layer and the image config),",
            "hygiene (CIS image checks, wasted bytes, caches). Default: vuln,secret."})
    List<String> scanners = List.of(VULN, SECRET);

    @Option(names = "--secret-config", paramLabel = "FILE", description = "YAML: extra secret rules, disabled rules, allowed paths and values (docs/secrets.md).")
    Path secretConfig;

    static final String VULN = "vuln";
    static final String SECRET = "secret";
    static final String HYGIENE = "hygiene";

    @Option(names = "--max-db-age", paramLabel = "AGE", description = "Refuse to scan with a DB older than AGE (7d, 48h...); default: warn when older than 7 days and scan.")
    String maxDbAge;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ReportFormat format;
        Set<Severity> wanted;
        Duration maxAge;
        Set<String> chosen;
        try {
            format = ReportFormat.parse(output.format);
            wanted = severities(severities);
            maxAge = maxDbAge == null ? null : DbOptions.parseAge(maxDbAge);
            chosen = scanners(scanners);
            if (secretConfig != null && !chosen.contains(SECRET))
                throw new IllegalArgumentException("--secret-config needs the secret scanner (--scanners ...,secret)");
        } catch (IllegalArgumentException e) {
            err.println("bulwark: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        boolean vulns = chosen.contains(VULN);
        if (inventory != null && image.target != null) {
            err.println("bulwark: give a TARGET or --inventory, not both");
            return ExitCode.USAGE.code;
        }
        try {
            List<Path> ignores = new ArrayList<>(ignoreFiles);
            if (ignores.isEmpty() && Files.isRegularFile(Path.of(DEFAULT_IGNOREFILE))) ignores.add(Path.of(DEFAULT_IGNOREFILE));
            // bad ignore and VEX files stop the scan before the image is read
            Suppressions suppressions = ignores.isEmpty() && vexFiles.isEmpty() ? Suppressions.none()
                    : Suppressions.load(ignores, vexFiles, LocalDate.now());
            // a bad secret config stops the scan before the image is read, too
            SecretConfig secrets = !chosen.contains(SECRET) ? null
                    : secretConfig == null ? SecretConfig.defaults() : SecretConfig.load(secretConfig);
            // the DB opens (and its classes load) on another thread while the image is read
            DbLocation location = db.location();
            CompletableFuture<VulnDb> opening = !vulns ? CompletableFuture.completedFuture(null) : CompletableFuture.supplyAsync(() -> {
                try {
                    return VulnDb.openOrInstallBuiltin(location);
                } catch (VulnDbException e) {
                    throw new CompletionException(e);
                }
            });
            Inventory inv;
            try {
                if (inventory != null) {
                    try (InputStream in = Files.newInputStream(inventory)) {
                        inv = Reports.readInventoryJson(in);
                    } catch (java.nio.file.NoSuchFileException e) {
                        throw new IOException(inventory + ": no such file");
                    }
                } else {
                    inv = InventoryRunner.inventory(image, output.quiet, err, secrets, chosen.contains(HYGIENE));
                }
            } catch (BulwarkException | IOException | InterruptedException | RuntimeException e) {
                closeQuietly(opening);
                throw e;
            }
            InventoryRunner.printWarnings(inv, output.quiet, err);
            ScanReport report;
            List<SecretFinding> secretsFound = chosen.contains(SECRET)
                    ? inv.secrets().stream().filter(f -> wanted.contains(f.severity())).toList() : List.of();
            List<HygieneFinding> hygieneFound = chosen.contains(HYGIENE)
                    ? inv.hygiene().stream().filter(f -> wanted.contains(f.severity())).toList() : List.of();
            if (chosen.contains(HYGIENE) && inventory == null) {
                try {
                    HygieneFinding trust = ContentTrustCheck.check(inv.image(), image.sourceOptions(System.in));
                    if (trust != null && wanted.contains(trust.severity())) {
                        hygieneFound = new ArrayList<>(hygieneFound);
                        hygieneFound.add(trust);
                    }
                } catch (dev.bulwark.trust.TrustException e) {
                    if (!output.quiet) err.println("warning: content trust not checked: " + e.oneLine());
                }
            }
            if (!vulns) {
                report = new ScanReport(inv, List.of(), List.of(), null, List.of(), secretsFound, hygieneFound);
            } else try (VulnDb vdb = await(opening)) {
                VulnDbInfo info = vdb.info();
                List<String> warnings = new ArrayList<>(suppressions.warnings());
                String stale = staleness(info, maxAge);
                if (stale != null) {
                    if (maxAge != null) {
                        err.println("bulwark: " + stale + " (--max-db-age " + maxDbAge + "): run 'bulwark db update'");
                        return ExitCode.INPUT.code;
                    }
                    warnings.add(stale + ": run 'bulwark db update'");
                }
                Matcher.Result matched = new Matcher(vdb).match(inv);
                warnings.addAll(matched.warnings());
                List<Finding> filtered = new ArrayList<>();
                for (Finding f : matched.findings()) {
                    if (!wanted.contains(f.severity())) continue;
                    if (ignoreUnfixed && f.status() != FindingStatus.FIXED) continue;
                    filtered.add(f);
                }
                Suppressions.Result s = suppressions.apply(filtered, ScanTarget.of(inv));
                warnings.addAll(s.warnings());
                report = new ScanReport(inv, s.kept(), s.suppressed(), info, warnings, secretsFound, hygieneFound);
            }
            if (!output.quiet) {
                for (String w : report.warnings()) err.println("bulwark: warning: " + w);
                err.flush();
            }
            ScanReport done = report;
            output.write(System.out, out -> Reports.write(done, format, out, ReportOptions.defaults()));
            return report.hasFindings() ? exitCode : ExitCode.OK.code;
        } catch (BulwarkException | IOException | IllegalArgumentException | InterruptedException e) {
            return ExitCode.report(e, err);
        }
    }

    private static VulnDb await(CompletableFuture<VulnDb> opening) throws VulnDbException, InterruptedException {
        try {
            return opening.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
            if (c instanceof VulnDbException v) throw v;
            if (c instanceof RuntimeException r) throw r;
            throw new IllegalStateException(c);
        }
    }

    /** The scan failed before matching: close the DB once it has opened, whatever it did. */
    private static void closeQuietly(CompletableFuture<VulnDb> opening) {
        opening.whenComplete((v, e) -> {
            if (v != null) {
                try {
                    v.close();
                } catch (VulnDbException ignored) {
                    // nothing to report: the scan's own error is the one the user sees
                }
            }
        });
    }

    /** A line saying the DB is old, or null when it is fresh enough (7 days without --max-db-age). */
    static String staleness(VulnDbInfo info, Duration maxAge) {
        if (info.builtAt() == null) return "the vulnerability DB has no build date";
        Duration limit = maxAge != null ? maxAge : Duration.ofDays(7);
        Instant newest = info.builtAt();
        // the age that matters is the data's: the newest fetch among the sources, else the build
        for (VulnDbInfo.Source s : info.sources()) if (s.updatedAt() != null && s.updatedAt().isAfter(newest)) newest = s.updatedAt();
        boolean onlyBuiltin = !info.sources().isEmpty()
                && info.sources().stream().allMatch(s -> VulnDb.BUILTIN_ORIGIN.equals(s.origin()));
        if (onlyBuiltin && maxAge == null) {
            return "only the built-in advisories are installed (a small real sample, not complete)";
        }
        Duration age = Duration.between(newest, Instant.now());
        if (age.compareTo(limit) <= 0) return null;
        return "the vulnerability DB is " + age.toDays() + " days old";
    }

    /** The scanners named (Trivy's --scanners vocabulary: vuln, secret; plus hygiene), case-insensitive. */
    static Set<String> scanners(List<String> names) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String n : names) {
            String s = n.strip().toLowerCase(Locale.ROOT);
            if (s.isEmpty()) continue;
            if (!s.equals(VULN) && !s.equals(SECRET) && !s.equals(HYGIENE))
                throw new IllegalArgumentException("unknown scanner '" + n.strip() + "' (valid: vuln, secret, hygiene)");
            out.add(s);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--scanners: name at least one of vuln, secret, hygiene");
        return out;
    }

    static Set<Severity> severities(List<String> names) {
        if (names.isEmpty()) return EnumSet.allOf(Severity.class);
        Set<Severity> out = EnumSet.noneOf(Severity.class);
        for (String n : names) {
            try {
                out.add(Severity.valueOf(n.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown severity '" + n.strip()
                        + "' (valid: UNKNOWN, NEGLIGIBLE, LOW, MEDIUM, HIGH, CRITICAL)");
            }
        }
        return out;
    }
}

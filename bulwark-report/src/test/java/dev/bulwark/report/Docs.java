package dev.bulwark.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The reactor's docs/ as the tests see it (Surefire runs in the module directory). */
final class Docs {
    private Docs() {
    }

    static String reportFindings() {
        Path p = Path.of("..", "docs", "report-findings.md");
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("docs/report-findings.md is missing: " + p.toAbsolutePath(), e);
        }
    }

    static String reportJson() {
        Path p = Path.of("..", "docs", "report-json.md");
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("docs/report-json.md is missing: " + p.toAbsolutePath(), e);
        }
    }

    static String reportAudit() {
        Path p = Path.of("..", "docs", "report-audit.md");
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("docs/report-audit.md is missing: " + p.toAbsolutePath(), e);
        }
    }
}

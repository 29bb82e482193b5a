package dev.bulwark.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Properties;

/**
 * How reports are written.
 *
 * @param width         terminal columns the table must fit in; 0 or less for no limit (output to a file or pipe)
 * @param color         ANSI emphasis in the table (only when a terminal is attached; the CLI decides)
 * @param toolName      the tool named as the document's creator in SBOMs
 * @param toolVersion   its version
 * @param clock         source of the SBOM creation time (fixed in tests so documents are byte-for-byte stable)
 * @param namespaceBase absolute URI under which SPDX document namespaces are minted; no fragment
 * @param quiet         audit tables leave PASS results out (the counts and the score still include them)
 */
public record ReportOptions(int width, boolean color, String toolName, String toolVersion, Clock clock,
                            String namespaceBase, boolean quiet) {
    public static final int DEFAULT_WIDTH = 80;
    public static final String DEFAULT_NAMESPACE_BASE = "https://bulwark.dev/spdxdocs";

    public ReportOptions {
        Objects.requireNonNull(clock, "clock");
        if (toolName == null || toolName.isBlank()) throw new IllegalArgumentException("report options: empty tool name");
        if (toolVersion == null || toolVersion.isBlank()) throw new IllegalArgumentException("report options: empty tool version");
        namespaceBase = checkNamespaceBase(namespaceBase);
    }

    /** Options without quiet mode (the shape before audits had reports). */
    public ReportOptions(int width, boolean color, String toolName, String toolVersion, Clock clock, String namespaceBase) {
        this(width, color, toolName, toolVersion, clock, namespaceBase, false);
    }

    /** 80 columns, no colour, this build's name and version, the system clock, Bulwark's namespace base, not quiet. */
    public static ReportOptions defaults() {
        return new ReportOptions(DEFAULT_WIDTH, false, "bulwark", Build.VERSION, Clock.systemUTC(), DEFAULT_NAMESPACE_BASE, false);
    }

    public ReportOptions withWidth(int columns) {
        return new ReportOptions(columns, color, toolName, toolVersion, clock, namespaceBase, quiet);
    }

    public ReportOptions withColor(boolean on) {
        return new ReportOptions(width, on, toolName, toolVersion, clock, namespaceBase, quiet);
    }

    public ReportOptions withTool(String name, String version) {
        return new ReportOptions(width, color, name, version, clock, namespaceBase, quiet);
    }

    public ReportOptions withClock(Clock c) {
        return new ReportOptions(width, color, toolName, toolVersion, c, namespaceBase, quiet);
    }

    /** Every document is stamped with {@code created}: for reproducible output and tests. */
    public ReportOptions withCreated(Instant created) {
        return withClock(Clock.fixed(created, ZoneOffset.UTC));
    }

    public ReportOptions withNamespaceBase(String base) {
        return new ReportOptions(width, color, toolName, toolVersion, clock, base, quiet);
    }

    /** Quiet mode for audit tables: PASS results are counted but not listed. */
    public ReportOptions withQuiet(boolean on) {
        return new ReportOptions(width, color, toolName, toolVersion, clock, namespaceBase, on);
    }

    private static String checkNamespaceBase(String base) {
        if (base == null || base.isBlank()) return DEFAULT_NAMESPACE_BASE;
        try {
            URI u = new URI(base.strip());
            // SPDX forbids '#' in a namespace: element references are written namespace#SPDXRef-...
            if (!u.isAbsolute() || u.getRawFragment() != null || base.contains("#"))
                throw new IllegalArgumentException("SPDX namespace base must be an absolute URI without '#': " + base);
            String s = u.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("SPDX namespace base is not a URI: " + base, e);
        }
    }

    /** The version Maven wrote into version.properties when this module was built. */
    private static final class Build {
        static final String VERSION = load();

        private static String load() {
            try (InputStream in = ReportOptions.class.getResourceAsStream("version.properties")) {
                if (in == null) return "unknown";
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "").strip();
                // an unfiltered copy (an IDE's resource copy) still says ${project.version}
                return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

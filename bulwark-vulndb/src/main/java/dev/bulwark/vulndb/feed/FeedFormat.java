package dev.bulwark.vulndb.feed;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The feed formats this package reads, each with its parser and a test that recognises its files. */
public enum FeedFormat {
    OSV_JSON, OSV_YAML, NODEJS_SECURITY_WG, RUSTSEC, ALPINE_SECDB_YAML, ALPINE_SECDB_JSON, DEBIAN_TRACKER,
    NVD_CVE_API, CISA_KEV, EPSS_CSV;

    /** How many leading bytes {@link #detect} wants to see. */
    public static final int HEAD_BYTES = 64 * 1024;

    // {"389-ds-base":{"CVE-2012-0833":{...  -- a package name, then an issue name: nothing else opens like this
    private static final Pattern DEBIAN_OPENING = Pattern.compile("^\\s*\\{\\s*\"[^\"\\\\]*\"\\s*:\\s*\\{\\s*\"(?:CVE|TEMP)-");
    private static final Pattern YAML_ID = Pattern.compile("(?m)^id:\\s*\\S");
    private static final Pattern SECURITY_WG_PATH = Pattern.compile("(.*/)?vuln/(npm|core|deps)/[^/]*");

    public FeedParser parser() {
        return parser(Limits.DEFAULT);
    }

    public FeedParser parser(Limits limits) {
        return switch (this) {
            case OSV_JSON -> OsvParser.json(limits);
            case OSV_YAML -> OsvParser.yaml(limits);
            case NODEJS_SECURITY_WG -> new NodejsSecurityWgParser(limits);
            case RUSTSEC -> new RustSecParser(limits);
            case ALPINE_SECDB_YAML -> AlpineSecdbParser.yaml(limits);
            case ALPINE_SECDB_JSON -> AlpineSecdbParser.json(limits);
            case DEBIAN_TRACKER -> new DebianTrackerParser(limits);
            case NVD_CVE_API -> new NvdCveParser(limits);
            case CISA_KEV -> new KevParser(limits);
            case EPSS_CSV -> new EpssParser();
        };
    }

    /**
     * Recognises a file from its name (extension and, for security-wg, its directory) and its first bytes.
     * Names are matched without any ".gz" suffix (the caller decompresses first).
     *
     * @param name a path with '/' separators, as in an archive
     * @param head up to {@link #HEAD_BYTES} leading bytes
     * @return empty for files of no known format (licences, READMEs, JSON schemas, scripts)
     */
    public static Optional<FeedFormat> detect(String name, byte[] head) {
        String n = name.replace('\\', '/').toLowerCase(Locale.ROOT);
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        String start = text.stripLeading();
        if (n.endsWith(".md")) {
            return start.startsWith("```toml") ? Optional.of(RUSTSEC) : Optional.empty();
        }
        if (n.endsWith(".csv")) {
            return start.startsWith("#model_version") || start.regionMatches(true, 0, "cve,epss", 0, 8)
                    ? Optional.of(EPSS_CSV) : Optional.empty();
        }
        if (n.endsWith(".yaml") || n.endsWith(".yml")) {
            if (text.contains("distroversion:")) return Optional.of(ALPINE_SECDB_YAML);
            return YAML_ID.matcher(text).find() ? Optional.of(OSV_YAML) : Optional.empty();
        }
        if (!n.endsWith(".json") || !start.startsWith("{") && !start.startsWith("[")) return Optional.empty();
        if (DEBIAN_OPENING.matcher(text).find()) return Optional.of(DEBIAN_TRACKER);
        if (text.contains("\"$schema\"")) return Optional.empty(); // a JSON schema describing a feed, not a feed
        if (text.contains("\"cveID\"")) return Optional.of(CISA_KEV);
        if (text.contains("\"NVD_CVE\"") || text.contains("\"vulnerabilities\"") && text.contains("\"lastModified\"")) {
            return Optional.of(NVD_CVE_API);
        }
        if (text.contains("\"distroversion\"")) return Optional.of(ALPINE_SECDB_JSON);
        if (SECURITY_WG_PATH.matcher(n).matches() || text.contains("\"module_name\"")
                || text.contains("\"vulnerable_versions\"")) {
            return Optional.of(NODEJS_SECURITY_WG);
        }
        if (text.contains("\"schema_version\"") || text.contains("\"id\"") && text.contains("\"modified\"")) {
            return Optional.of(OSV_JSON);
        }
        return Optional.empty();
    }
}

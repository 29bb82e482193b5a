package dev.bulwark.scan.secret;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bulwark.model.Digest;
import dev.bulwark.model.Severity;
import dev.bulwark.scan.ScanException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The secret scanner's settings: the built-in rules, minus those disabled, plus a user's; allow-lists; the largest
 * file read. {@code --secret-config FILE} is YAML (docs/secrets.md):
 *
 * <pre>
 * rules:                       # extra rules
 *   - id: acme-api-key
 *     title: ACME API key
 *     severity: HIGH
 *     keywords: [acme_]        # lower-case literals, one of which every match holds (files without any are skipped)
 *     regex: 'acme_[A-Za-z0-9]{32}'
 *     secretGroup: 0           # which group is the secret (default 0, the whole match)
 *     entropy: 3.0             # minimum bits per character (default 0: none)
 *     paths: '\.conf$'         # optional: only files whose path this finds
 * disable: [jwt]               # built-in rule ids
 * allow:
 *   paths: ['^/opt/fixtures/'] # regexes found in a path: the file is not read
 *   values: ['^acme_TEST']     # regexes found in a secret: it is not reported
 * maxFileSize: 1048576         # bytes; larger files are not read (default 1 MiB)
 * </pre>
 */
public final class SecretConfig {
    public static final int DEFAULT_MAX_FILE_SIZE = 1 << 20;
    /** A config file is a few rules: anything bigger is not one. */
    private static final long MAX_CONFIG_BYTES = 1 << 20;

    private final List<Rule> rules;
    private final AllowList allow;
    private final int maxFileSize;
    private final String fingerprint;

    private SecretConfig(List<Rule> rules, AllowList allow, int maxFileSize, String fingerprint) {
        this.rules = List.copyOf(rules);
        this.allow = allow;
        this.maxFileSize = maxFileSize;
        this.fingerprint = fingerprint;
    }

    public static SecretConfig defaults() {
        return new SecretConfig(BuiltinRules.all(), AllowList.builtin(), DEFAULT_MAX_FILE_SIZE, "builtin");
    }

    /** The rules in force, built-in first. */
    public List<String> ruleIds() {
        return rules.stream().map(Rule::id).toList();
    }

    List<Rule> rules() {
        return rules;
    }

    AllowList allow() {
        return allow;
    }

    public int maxFileSize() {
        return maxFileSize;
    }

    /** Identifies the settings: part of the layer-cache key, so a changed config never reuses old results. */
    public String fingerprint() {
        return fingerprint;
    }

    // ------------------------------------------------------------------ the YAML file

    record FileDoc(List<RuleDoc> rules, List<String> disable, AllowDoc allow, @JsonProperty("maxFileSize") Long maxFileSize) {
    }

    record RuleDoc(String id, String title, String severity, List<String> keywords, String regex,
                   @JsonProperty("secretGroup") Integer secretGroup, Double entropy, String paths) {
    }

    record AllowDoc(List<String> paths, List<String> values) {
    }

    /** Reads a config file; any problem is one line naming the file and, where known, the line. */
    public static SecretConfig load(Path file) throws ScanException {
        String where = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw new ScanException(where, "is a directory, not a secret config file", null);
            if (Files.size(file) > MAX_CONFIG_BYTES) throw new ScanException(where, "over " + MAX_CONFIG_BYTES + " bytes: not a secret config file", null);
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) MAX_CONFIG_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw new ScanException(where, "no such file", null);
        } catch (IOException e) {
            throw new ScanException(where, "cannot read: " + e.getMessage(), null);
        }
        return parse(bytes, where);
    }

    static SecretConfig parse(byte[] yaml, String where) throws ScanException {
        ObjectMapper mapper = YAMLMapper.builder(YAMLFactory.builder().build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        if (new String(yaml, StandardCharsets.UTF_8).isBlank()) return defaults();
        FileDoc doc;
        try {
            doc = mapper.readValue(yaml, FileDoc.class);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String at = loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() : "";
            throw new ScanException(where + at, "not a valid secret config: " + e.getOriginalMessage().lines().findFirst().orElse(""), null);
        } catch (IOException | RuntimeException e) {
            throw new ScanException(where, "not a valid secret config: " + e.getMessage(), null);
        }
        if (doc == null) return defaults();
        List<Rule> rules = new ArrayList<>(BuiltinRules.all());
        Set<String> ids = new LinkedHashSet<>(rules.stream().map(Rule::id).toList());
        if (doc.disable() != null) {
            for (String id : doc.disable()) {
                if (id == null || !ids.contains(id.strip()))
                    throw new ScanException(where, "disable: unknown rule '" + id + "' (built-in rules: " + String.join(", ", ids) + ")", null);
                rules.removeIf(r -> r.id().equals(id.strip()));
            }
        }
        if (doc.rules() != null) {
            for (RuleDoc r : doc.rules()) {
                if (r == null) throw new ScanException(where, "rules: an empty entry", null);
                String id = r.id() == null ? "" : r.id().strip();
                if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"))
                    throw new ScanException(where, "rules: id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'", null);
                if (rules.stream().anyMatch(x -> x.id().equals(id))) throw new ScanException(where, "rules: duplicate id '" + id + "'", null);
                if (r.regex() == null || r.regex().isEmpty()) throw new ScanException(where, "rule '" + id + "': regex is missing", null);
                Pattern p = compile(r.regex(), where, "rule '" + id + "': regex");
                int group = r.secretGroup() == null ? 0 : r.secretGroup();
                if (group < 0 || group > p.matcher("").groupCount())
                    throw new ScanException(where, "rule '" + id + "': secretGroup " + group + " but the regex has " + p.matcher("").groupCount() + " groups", null);
                Severity sev = Severity.HIGH;
                if (r.severity() != null) {
                    sev = Severity.parse(r.severity());
                    if (sev == Severity.UNKNOWN && !r.severity().strip().equalsIgnoreCase("unknown"))
                        throw new ScanException(where, "rule '" + id + "': unknown severity '" + r.severity() + "' (LOW, MEDIUM, HIGH, CRITICAL)", null);
                }
                double entropy = r.entropy() == null ? 0 : r.entropy();
                if (entropy < 0 || entropy > 8 || Double.isNaN(entropy)) throw new ScanException(where, "rule '" + id + "': entropy must be 0 to 8 bits per character", null);
                List<String> kw = new ArrayList<>();
                if (r.keywords() != null) for (String k : r.keywords()) {
                    if (k == null || k.isEmpty()) throw new ScanException(where, "rule '" + id + "': empty keyword", null);
                    kw.add(k.toLowerCase(Locale.ROOT));
                }
                Pattern paths = r.paths() == null ? null : compile(r.paths(), where, "rule '" + id + "': paths");
                rules.add(new Rule(id, r.title() == null ? id : r.title(), sev, kw, p, group, entropy, 0, paths, null));
                ids.add(id);
            }
        }
        List<Pattern> allowPaths = new ArrayList<>(), allowValues = new ArrayList<>();
        if (doc.allow() != null) {
            if (doc.allow().paths() != null) for (String s : doc.allow().paths()) allowPaths.add(compile(s, where, "allow.paths"));
            if (doc.allow().values() != null) for (String s : doc.allow().values()) allowValues.add(compile(s, where, "allow.values"));
        }
        long max = doc.maxFileSize() == null ? DEFAULT_MAX_FILE_SIZE : doc.maxFileSize();
        if (max < 1 || max > (256L << 20)) throw new ScanException(where, "maxFileSize must be 1 byte to 256 MiB", null);
        String fp = Digest.sha256(yaml).hex().substring(0, 16);
        return new SecretConfig(rules, new AllowList(List.of(), allowPaths, allowValues), (int) max, fp);
    }

    private static Pattern compile(String regex, String where, String what) throws ScanException {
        if (regex == null) throw new ScanException(where, what + ": empty", null);
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ScanException(where, what + ": bad regex: " + e.getDescription() + " near index " + e.getIndex(), null);
        }
    }
}

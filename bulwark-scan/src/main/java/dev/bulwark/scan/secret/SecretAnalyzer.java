package dev.bulwark.scan.secret;

import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.model.Severity;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for secrets in the files the layer walker already streams, in every layer: a file a later layer deletes is
 * still offered when its own layer is read, so nothing needs a second read. Cheap refusals come first: path
 * allow-list and size on the entry alone, then a binary check on the first bytes, before any content is copied off
 * the layer stream.
 */
public final class SecretAnalyzer implements Analyzer {
    public static final String TYPE = "secret";
    /** Bump when the built-in rules or their output change. */
    private static final int VERSION = 4; // 2: LABEL values and the history of steps without a layer; 3: AWS key id entropy 2.5; 4: CPython's own test suite allowed
    /** Only the start of a file is checked for NUL bytes: text files with a binary tail are rare, and cheap to miss. */
    private static final int BINARY_PROBE = 8192;
    /** ENV, LABEL and build-ARG names whose values are credentials whatever they look like. */
    static final Pattern SENSITIVE_NAME = Pattern.compile(
            "(?i)(?:^|_)(?:password|passwd|pwd|secret|token|api_?key|apikey|access_?key|private_?key|credentials?|auth)(?:$|_)");
    private static final Pattern NOT_A_VALUE = Pattern.compile("(?i)_(?:file|path|dir|url|name|user|username|id|type|mode|enabled|length)$");

    private final SecretConfig config;
    private final SecretDetector detector;

    public SecretAnalyzer(SecretConfig config) {
        this.config = config;
        this.detector = new SecretDetector(config.rules(), config.allow());
    }

    public SecretAnalyzer() {
        this(SecretConfig.defaults());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int version() {
        return VERSION;
    }

    @Override
    public String options() {
        return config.fingerprint();
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return size > 0 && size <= config.maxFileSize() && !detector.allowList().path(path);
    }

    @Override
    public boolean accepts(byte[] head) {
        return !binary(head, head.length);
    }

    static boolean binary(byte[] b, int len) {
        for (int i = 0; i < len; i++) if (b[i] == 0) return true;
        return false;
    }

    @Override
    public FileResult analyze(FileInput input) throws IOException {
        int max = config.maxFileSize();
        byte[] data;
        try (InputStream in = input.open()) {
            data = in.readNBytes(max);
        }
        if (binary(data, Math.min(data.length, BINARY_PROBE))) return null;
        List<SecretDetector.Hit> hits;
        try {
            hits = detector.scan(input.path(), data, data.length);
        } catch (StackOverflowError e) {
            // a pathological input for one regex: say so, and keep scanning the rest of the image
            return FileResult.warning(TYPE, input.path(), "secret rules gave up on this file (too deeply nested for a regex)");
        }
        if (hits.isEmpty()) return null;
        List<SecretFinding> out = new ArrayList<>(hits.size());
        for (SecretDetector.Hit h : hits) out.add(finding(h, input.path()));
        return FileResult.ofSecrets(TYPE, input.path(), out);
    }

    private static SecretFinding finding(SecretDetector.Hit h, String where) {
        return new SecretFinding(h.rule().id(), h.severity(), h.title(), Redaction.redact(h.secret(), h.rule().knownPrefix()),
                where, null, false, h.line());
    }

    /**
     * Secrets in the image config: every history line (build ARGs show there as "|2 NAME=value ... /bin/sh -c"), and
     * ENV and LABEL values when the source gives them ({@code env} and {@code labels}: null when it does not). A value
     * any rule matches is reported under that rule; a non-empty value of a credential-named build ARG or ENV
     * variable ("DEPLOY_TOKEN", "DB_PASSWORD") is reported as such even if no rule knows its format.
     */
    public List<SecretFinding> scanConfig(ImageInfo info, List<String> env, java.util.Map<String, String> labels) {
        return scanConfig(info, env, labels, List.of());
    }

    /**
     * As {@link #scanConfig(ImageInfo, List, java.util.Map)}, and the history lines of steps that added no layer
     * (ENV, LABEL, ARG: {@code emptyLayerHistory}), which {@link ImageInfo#layers()} does not carry.
     */
    public List<SecretFinding> scanConfig(ImageInfo info, List<String> env, java.util.Map<String, String> labels,
                                          List<String> emptyLayerHistory) {
        List<SecretFinding> all = configFindings(info, env, labels);
        for (int i = 0; i < emptyLayerHistory.size(); i++) {
            String where = "config:history (no layer) " + i;
            for (SecretDetector.Hit hit : safeScan(emptyLayerHistory.get(i))) all.add(configFinding(hit, where, null));
        }
        // every RUN after an ARG repeats it in its history line: one finding per secret, at its first appearance
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<SecretFinding> out = new ArrayList<>();
        for (SecretFinding f : all) if (seen.add(f.ruleId() + "\u0000" + f.match())) out.add(f);
        return out;
    }

    private List<SecretFinding> configFindings(ImageInfo info, List<String> env, java.util.Map<String, String> labels) {
        List<SecretFinding> out = new ArrayList<>();
        List<LayerInfo> layers = info.layers();
        for (LayerInfo l : layers) {
            String h = l.createdBy();
            if (h == null || h.isEmpty()) continue;
            String where = "config:history[" + l.index() + "]";
            for (SecretDetector.Hit hit : safeScan(h)) out.add(configFinding(hit, where, l.diffId()));
            Matcher m = BUILD_ARGS.matcher(h);
            if (m.find()) {
                for (String[] kv : buildArgs(h.substring(m.end()), Integer.parseInt(m.group(1)))) {
                    if (sensitive(kv[0]) && value(kv[1]) && out.stream().noneMatch(f -> f.path().equals(where) && kv[1].startsWith(stripMask(f.match()))))
                        out.add(new SecretFinding("build-arg", Severity.HIGH, "Secret build ARG " + kv[0] + " recorded in the image history",
                                Redaction.redact(kv[1], 0), where, l.diffId(), false, 0));
                }
            }
        }
        if (env != null) {
            for (String e : env) {
                if (e == null) continue;
                int eq = e.indexOf('=');
                String name = eq < 0 ? e : e.substring(0, eq), val = eq < 0 ? "" : e.substring(eq + 1);
                String where = "config:ENV " + name;
                List<SecretDetector.Hit> hits = safeScan(e);
                for (SecretDetector.Hit hit : hits) out.add(configFinding(hit, where, null));
                if (hits.isEmpty() && sensitive(name) && value(val))
                    out.add(new SecretFinding("env-secret", Severity.HIGH, "Secret in ENV " + name, Redaction.redact(val, 0), where, null, false, 0));
            }
        }
        if (labels != null) {
            for (var e : new java.util.TreeMap<>(labels).entrySet()) {
                String where = "config:LABEL " + e.getKey();
                for (SecretDetector.Hit hit : safeScan(e.getKey() + "=" + e.getValue())) out.add(configFinding(hit, where, null));
            }
        }
        return out;
    }

    private static SecretFinding configFinding(SecretDetector.Hit h, String where, dev.bulwark.model.Digest layer) {
        return new SecretFinding(h.rule().id(), h.severity(), h.title(), Redaction.redact(h.secret(), h.rule().knownPrefix()),
                where, layer, false, 0);
    }

    private List<SecretDetector.Hit> safeScan(String text) {
        try {
            return detector.scanText(text);
        } catch (StackOverflowError e) {
            return List.of();
        }
    }

    private static String stripMask(String redacted) {
        return redacted.endsWith(Redaction.MASK) ? redacted.substring(0, redacted.length() - Redaction.MASK.length()) : redacted;
    }

    /** "|2 A=x B=y /bin/sh -c ...": the legacy builder's record of the build ARGs a RUN saw. */
    private static final Pattern BUILD_ARGS = Pattern.compile("^\\|([0-9]{1,3}) ");

    /** The first {@code n} NAME=value words (values have no spaces in this form unless quoted; quoting is kept). */
    static List<String[]> buildArgs(String rest, int n) {
        List<String[]> out = new ArrayList<>();
        int i = 0;
        for (int k = 0; k < n && i < rest.length(); k++) {
            int sp = rest.indexOf(' ', i);
            String word = sp < 0 ? rest.substring(i) : rest.substring(i, sp);
            int eq = word.indexOf('=');
            if (eq <= 0) break;
            out.add(new String[]{word.substring(0, eq), word.substring(eq + 1)});
            i = sp < 0 ? rest.length() : sp + 1;
        }
        return out;
    }

    static boolean sensitive(String name) {
        return SENSITIVE_NAME.matcher(name).find() && !NOT_A_VALUE.matcher(name).find();
    }

    private boolean value(String v) {
        String s = v.strip();
        if (s.length() < 6 || s.startsWith("$") || s.startsWith("/")) return false;
        if (s.toLowerCase(Locale.ROOT).matches("(?:true|false|yes|no|none|null|changeme|password|secret|token)")) return false;
        return !detector.allowList().value(s);
    }
}

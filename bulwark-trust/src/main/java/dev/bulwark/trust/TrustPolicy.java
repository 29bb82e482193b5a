package dev.bulwark.trust;

import dev.bulwark.model.ImageRef;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which keys an image must be signed with, per registry and repository. The first rule whose pattern matches
 * {@code registry/repository} decides; an image no rule names is refused (a policy that forgot an image must not
 * wave it through). Patterns: {@code *} within one path component, {@code **} across components.
 *
 * <pre>
 * rules:
 *   - match: 127.0.0.1:5000/team/**
 *     keys: [team.pub]              # relative to this file; any one of them suffices
 *     annotations: {env: prod}      # each must be in the signed payload's optional section
 *   - match: 127.0.0.1:5000/dct/**
 *     require: notary               # Docker Content Trust instead of keys
 *     notary: https://127.0.0.1:4443
 *     notary-ca: notary-ca.crt      # relative to this file
 *   - match: docker.io/library/*
 *     require: none                 # not verified (said so in the result)
 * </pre>
 */
public record TrustPolicy(List<Rule> rules) {
    static final int MAX_BYTES = 1 << 20;

    public TrustPolicy {
        rules = List.copyOf(rules);
    }

    /**
     * @param require  "signature" (default), "notary" or "none"
     * @param notary   the Notary server URL for "notary"
     * @param notaryCa its CA file (null: the JDK's roots)
     */
    public record Rule(String match, Pattern pattern, List<PublicKey> keys, Map<String, String> annotations, String require,
                       String notary, Path notaryCa) {
        public Rule {
            keys = List.copyOf(keys);
            annotations = Map.copyOf(annotations);
        }

        boolean matches(ImageRef ref) {
            return pattern.matcher(ref.registry() + "/" + ref.repository()).matches();
        }
    }

    /** One rule for every image: these keys, these annotations. */
    public static TrustPolicy ofKeys(List<PublicKey> keys, Map<String, String> annotations) {
        return new TrustPolicy(List.of(new Rule("**", glob("**"), keys, annotations, "signature", null, null)));
    }

    public Rule ruleFor(ImageRef ref) {
        for (Rule r : rules) if (r.matches(ref)) return r;
        return null;
    }

    static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') re.append("[^/]*");
            else if (c == '?') re.append("[^/]");
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }

    public static TrustPolicy load(Path file) throws TrustException {
        String where = file.toString();
        String text;
        try {
            if (!Files.isRegularFile(file)) throw new TrustException(where, "no such trust policy file");
            if (Files.size(file) > MAX_BYTES) throw new TrustException(where, "trust policy file is larger than 1 MiB");
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TrustException(where, "cannot read: " + e.getMessage(), e);
        }
        Object doc;
        try {
            LoaderOptions lo = new LoaderOptions();
            lo.setMaxAliasesForCollections(10);
            lo.setAllowDuplicateKeys(false);
            lo.setCodePointLimit(MAX_BYTES);
            doc = new Yaml(new SafeConstructor(lo)).load(text);
        } catch (RuntimeException e) {
            throw new TrustException(where, "malformed YAML: " + firstLine(e.getMessage()));
        }
        if (!(doc instanceof Map<?, ?> top) || !(top.get("rules") instanceof List<?> list))
            throw new TrustException(where, "expected a mapping with a 'rules' list");
        for (Object k : top.keySet()) if (!"rules".equals(k)) throw new TrustException(where, "unknown key '" + k + "'");
        List<Rule> rules = new ArrayList<>();
        int i = 0;
        for (Object o : list) {
            String at = where + " rules[" + i++ + "]";
            if (!(o instanceof Map<?, ?> m)) throw new TrustException(at, "a rule must be a mapping");
            for (Object k : m.keySet())
                if (!List.of("match", "keys", "annotations", "require", "notary", "notary-ca").contains(String.valueOf(k)))
                    throw new TrustException(at, "unknown key '" + k + "' (match, keys, annotations, require, notary, notary-ca)");
            if (!(m.get("match") instanceof String match) || match.isBlank()) throw new TrustException(at, "needs 'match: REGISTRY/REPOSITORY-PATTERN'");
            String require = m.get("require") == null ? "signature" : String.valueOf(m.get("require"));
            if (!List.of("signature", "notary", "none").contains(require))
                throw new TrustException(at, "require must be 'signature', 'notary' or 'none', not '" + require + "'");
            String notary = m.get("notary") == null ? null : String.valueOf(m.get("notary"));
            if (require.equals("notary") && notary == null) throw new TrustException(at, "require: notary needs 'notary: https://HOST:PORT'");
            Path notaryCa = m.get("notary-ca") == null ? null : file.toAbsolutePath().getParent().resolve(String.valueOf(m.get("notary-ca")));
            List<PublicKey> keys = new ArrayList<>();
            if (m.get("keys") != null) {
                if (!(m.get("keys") instanceof List<?> ks)) throw new TrustException(at, "'keys' must be a list of public key files");
                for (Object k : ks) {
                    Path p = file.toAbsolutePath().getParent().resolve(String.valueOf(k));
                    keys.add(Keys.readPublic(p));
                }
            }
            if (require.equals("signature") && keys.isEmpty()) throw new TrustException(at, "requires a signature but names no keys");
            Map<String, String> ann = new LinkedHashMap<>();
            if (m.get("annotations") != null) {
                if (!(m.get("annotations") instanceof Map<?, ?> am)) throw new TrustException(at, "'annotations' must be a mapping");
                am.forEach((k, v) -> ann.put(String.valueOf(k), String.valueOf(v)));
            }
            rules.add(new Rule(match, glob(match), keys, ann, require, notary, notaryCa));
        }
        return new TrustPolicy(rules);
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

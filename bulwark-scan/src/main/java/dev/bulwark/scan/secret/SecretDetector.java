package dev.bulwark.scan.secret;

import dev.bulwark.model.Severity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Finds secrets in text: the keyword automaton picks the rules worth trying, their regexes find candidates, and a
 * candidate is reported only if it passes the rule's entropy floor and structural check and no allow-list entry
 * names its value. Thread-safe (immutable).
 */
final class SecretDetector {
    /** One secret: the rule, the secret itself (to be redacted before it leaves this package), where. */
    record Hit(Rule rule, String secret, int line, Severity severity, String title) {
    }

    private final List<Rule> rules;
    private final List<Rule> keywordless;
    private final Keywords keywords;
    /** For each keyword index, the rules it admits. */
    private final List<List<Integer>> rulesOfKeyword = new ArrayList<>();
    private final AllowList allow;

    SecretDetector(List<Rule> rules, AllowList allow) {
        this.rules = List.copyOf(rules);
        this.allow = allow;
        List<String> words = new ArrayList<>();
        List<Rule> none = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            if (rules.get(r).keywords().isEmpty()) none.add(rules.get(r));
            for (String k : rules.get(r).keywords()) {
                int i = words.indexOf(k);
                if (i < 0) {
                    words.add(k);
                    rulesOfKeyword.add(new ArrayList<>());
                    i = words.size() - 1;
                }
                rulesOfKeyword.get(i).add(r);
            }
        }
        keywordless = List.copyOf(none);
        keywords = new Keywords(words);
    }

    AllowList allowList() {
        return allow;
    }

    List<Hit> scan(String path, byte[] data, int len) {
        BitSet found = keywords.find(data, len);
        Set<Rule> candidates = new java.util.LinkedHashSet<>();
        for (int k = found.nextSetBit(0); k >= 0; k = found.nextSetBit(k + 1))
            for (int r : rulesOfKeyword.get(k)) candidates.add(rules.get(r));
        for (Rule r : keywordless) if (r.paths() == null || r.paths().matcher(path).find()) candidates.add(r);
        candidates.removeIf(r -> r.paths() != null && !r.paths().matcher(path).find());
        if (candidates.isEmpty()) return List.of();
        // ISO-8859-1: one char per byte, so offsets and line counts are the file's; UTF-8 secrets are ASCII anyway
        String text = new String(data, 0, len, StandardCharsets.ISO_8859_1);
        return match(candidates, text);
    }

    /** Secrets in a string of the image config (an ENV value, a LABEL, a history line). */
    List<Hit> scanText(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        BitSet found = keywords.find(b, b.length);
        Set<Rule> candidates = new java.util.LinkedHashSet<>();
        for (int k = found.nextSetBit(0); k >= 0; k = found.nextSetBit(k + 1))
            for (int r : rulesOfKeyword.get(k)) if (rules.get(r).paths() == null) candidates.add(rules.get(r));
        for (Rule r : keywordless) if (r.paths() == null) candidates.add(r);
        return candidates.isEmpty() ? List.of() : match(candidates, text);
    }

    private List<Hit> match(Set<Rule> candidates, String text) {
        List<Hit> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Rule r : candidates) {
            Matcher m = r.regex().matcher(text);
            int[] line = {1, 0}; // line number, offset it was counted to
            if (r.anchors().isEmpty()) {
                while (m.find()) hit(r, m, text, line, seen, out);
                continue;
            }
            // anchored: the regex is tried only where one of its literals occurs, looking around the region freely
            m.useTransparentBounds(true).useAnchoringBounds(false);
            int next = 0;
            for (int pos : occurrences(text, r.anchors())) {
                if (pos < next) continue;
                m.region(pos, Math.min(text.length(), pos + Rule.ANCHOR_WINDOW));
                if (!m.lookingAt()) continue;
                next = Math.max(m.end(), pos + 1);
                hit(r, m, text, line, seen, out);
            }
        }
        return dropOverlaps(out);
    }

    /** Sorted start offsets of every occurrence of any of {@code literals}. */
    private static int[] occurrences(String text, List<String> literals) {
        int[] pos = new int[8];
        int n = 0;
        for (String lit : literals) {
            for (int i = text.indexOf(lit); i >= 0; i = text.indexOf(lit, i + 1)) {
                if (n == pos.length) pos = java.util.Arrays.copyOf(pos, n * 2);
                pos[n++] = i;
            }
        }
        int[] out = java.util.Arrays.copyOf(pos, n);
        if (literals.size() > 1) java.util.Arrays.sort(out);
        return out;
    }

    /** One regex match: checked, allow-listed or kept; {@code line} carries the line count forward. */
    private void hit(Rule r, Matcher m, String text, int[] line, Set<String> seen, List<Hit> out) {
        int g = Math.min(r.secretGroup(), m.groupCount());
        String secret = m.group(g);
        if (secret == null || secret.isEmpty()) return;
        Severity severity = r.severity();
        String title = r.title();
        if (r.check() == Rule.Check.KEY_BODY) {
            String body = Checks.keyBody(secret);
            if (body == null) return;
            String type = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : "PRIVATE KEY";
            if (Checks.encrypted(type, secret)) {
                severity = Severity.HIGH;
                title = "Encrypted private key (" + type.replace(" PRIVATE KEY", "").replace(" BLOCK", "").strip() + ")";
            } else {
                String kind = type.replace("PRIVATE KEY", "").replace("BLOCK", "").strip();
                title = kind.isEmpty() ? "Private key (PKCS#8)" : "Private key (" + kind + ")";
            }
            secret = body;
        } else {
            if (!Checks.pass(r.check(), secret)) return;
            if (r.minEntropy() > 0 && Entropy.of(secret.length() > r.knownPrefix() ? secret.substring(r.knownPrefix()) : secret) < r.minEntropy())
                return;
        }
        if (allow.value(secret)) return;
        // the secret's own line (a Docker config's "auth" is lines below "auths"); a key's BEGIN line
        int at = r.check() == Rule.Check.KEY_BODY || m.start(g) < 0 ? m.start() : m.start(g);
        for (int i = line[1]; i < at; i++) if (text.charAt(i) == '\n') line[0]++;
        line[1] = Math.max(line[1], at);
        if (!seen.add(r.id() + "\u0000" + line[0] + "\u0000" + secret)) return;
        out.add(new Hit(r, secret, line[0], severity, title));
    }

    /**
     * Two rules matching the same secret on the same line (a GitLab token in a .env file, an npm token after
     * _authToken=) are one secret: the rule listed first, the more specific one, keeps it.
     */
    private List<Hit> dropOverlaps(List<Hit> hits) {
        List<Hit> out = new ArrayList<>();
        for (Hit h : hits) {
            boolean covered = false;
            for (Hit o : hits) {
                if (o == h || o.line() != h.line()) continue;
                boolean overlap = o.secret().contains(h.secret()) || h.secret().contains(o.secret());
                if (overlap && rules.indexOf(o.rule()) < rules.indexOf(h.rule())) {
                    covered = true;
                    break;
                }
            }
            if (!covered) out.add(h);
        }
        out.sort(java.util.Comparator.comparingInt(Hit::line).thenComparing(h -> h.rule().id()));
        return out;
    }
}

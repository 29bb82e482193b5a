package dev.bulwark.scan.secret;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class SecretProperties {
    private static final SecretDetector DETECTOR = new SecretDetector(BuiltinRules.all(), AllowList.builtin());

    @Property(tries = 300)
    void randomBytesNeverThrow(@ForAll @Size(max = 4000) byte[] data, @ForAll("paths") String path) {
        assertThat(DETECTOR.scan(path, data, data.length)).isNotNull();
    }

    /** Text made of the rules' own fragments: the regexes' worst case, more than random bytes ever reach. */
    @Property(tries = 300)
    void fragmentSoupNeverThrows(@ForAll("soup") String text, @ForAll("paths") String path) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertThat(DETECTOR.scan(path, b, b.length)).isNotNull();
        assertThat(DETECTOR.scanText(text)).isNotNull();
    }

    @Property(tries = 500)
    void redactionNeverRevealsMoreThanItsPrefix(@ForAll @Size(max = 200) String secret, @ForAll @IntRange(max = 20) int prefix) {
        String r = Redaction.redact(secret, prefix);
        int shown = Redaction.shown(secret, prefix);
        assertThat(r).endsWith(Redaction.MASK);
        assertThat(r.length()).isEqualTo(shown + Redaction.MASK.length());
        assertThat(shown).isLessThanOrEqualTo(secret.length() / 3).isLessThanOrEqualTo(prefix + 4);
        for (int i = 0; i < shown; i++) {
            char c = secret.charAt(i);
            assertThat(r.charAt(i)).isEqualTo(c < 0x20 || c == 0x7f ? '?' : c);
        }
    }

    /** A real token planted anywhere in random text is found, on its line, whatever surrounds it (but letters). */
    @Property(tries = 200)
    void aPlantedTokenIsFoundOnItsLine(@ForAll @Size(max = 30) List<@net.jqwik.api.constraints.StringLength(max = 60) String> before,
                                       @ForAll long seed) {
        String token = new Tokens(seed).crcToken("ghp_");
        StringBuilder b = new StringBuilder();
        for (String l : before) b.append(l.replace('\n', ' ').replace('\r', ' ')).append('\n');
        int line = before.size() + 1;
        b.append("token = ").append(token).append('\n');
        byte[] data = b.toString().getBytes(StandardCharsets.UTF_8);
        String text = new String(data, StandardCharsets.ISO_8859_1);
        // lines counted as the detector counts them: by '\n' bytes
        line = (int) text.substring(0, text.indexOf("token = " + token)).chars().filter(c -> c == '\n').count() + 1;
        int expected = line;
        assertThat(DETECTOR.scan("/app/x", data, data.length)).anySatisfy(h -> {
            assertThat(h.rule().id()).isEqualTo("github-pat");
            assertThat(h.secret()).isEqualTo(token);
            assertThat(h.line()).isEqualTo(expected);
        });
    }

    /** Trying anchored rules only at their literals finds exactly what trying them everywhere finds. */
    @Property(tries = 300)
    void anchorsChangeSpeedNotResults(@ForAll("soup") String soup, @ForAll long seed, @ForAll @IntRange(max = 3) int where) {
        Tokens t = new Tokens(seed);
        List<String> planted = List.of(t.crcToken("ghp_"), t.awsKeyId(), t.slack(), t.jwt(), "postgres://u:" + t.random(12, Tokens.ALNUM) + "@db/x");
        String text = soup.substring(0, soup.length() * where / 3) + " " + planted.get((int) Math.floorMod(seed, 5L)) + "\n" + soup;
        List<Rule> unanchored = BuiltinRules.all().stream().map(r -> new Rule(r.id(), r.title(), r.severity(), r.keywords(), r.regex(),
                r.secretGroup(), r.minEntropy(), r.knownPrefix(), r.paths(), r.check())).toList();
        SecretDetector plain = new SecretDetector(unanchored, AllowList.builtin());
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        java.util.function.Function<List<SecretDetector.Hit>, List<String>> view = hits -> hits.stream()
                .map(h -> h.rule().id() + " " + h.line() + " " + h.secret() + " " + h.severity() + " " + h.title()).toList();
        List<String> anchored = view.apply(DETECTOR.scan("/app/x", b, b.length));
        assertThat(anchored).isEqualTo(view.apply(plain.scan("/app/x", b, b.length)));
        assertThat(anchored).as("the planted secret itself").isNotEmpty();
    }

    /** The keyword automaton agrees with a plain case-insensitive search. */
    @Property(tries = 300)
    void keywordsAgreeWithIndexOf(@ForAll("keywordLists") List<String> words, @ForAll("soup") String text) {
        Keywords k = new Keywords(words);
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        BitSet found = k.find(b, b.length);
        for (int i = 0; i < words.size(); i++)
            assertThat(found.get(i)).as(words.get(i) + " in " + text).isEqualTo(asciiLower(text).contains(words.get(i).toLowerCase(Locale.ROOT)));
    }

    private static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (byte x : s.getBytes(StandardCharsets.ISO_8859_1)) b.append((char) (x >= 'A' && x <= 'Z' ? x + 32 : x & 0xff));
        return b.toString();
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/app/x", "/app/.env", "/root/.npmrc", "/app/config.json", "/etc/app.env");
    }

    @Provide
    Arbitrary<List<String>> keywordLists() {
        return Arbitraries.strings().withChars("abcAB_-:/").ofMinLength(1).ofMaxLength(5).list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> soup() {
        List<String> parts = new ArrayList<>(List.of("-----BEGIN ", "PRIVATE KEY", "-----", "-----END ", "RSA ", "OPENSSH ",
                "AKIA", "aws_secret_access_key=", "ghp_", "npm_", "glpat-", "xoxb-", "eyJ", ".", "://", "@", ":", "\"auths\":",
                "\"auth\": \"", "\"", "service_account", "\"private_key_id\": \"", "AccountKey=", "pypi-AgEIcHlwaS5vcmc",
                "_authToken=", "\\n", "\n", " ", "=", "A", "a", "0", "Zz9", "+/", "abcdefABCDEF0123456789"));
        return Arbitraries.of(parts).list().ofMaxSize(120).map(l -> String.join("", l));
    }
}

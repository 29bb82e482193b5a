package dev.bulwark.scan.secret;

import dev.bulwark.model.Severity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecretDetectorTest {
    private final Tokens t = new Tokens(42);
    private final SecretDetector d = new SecretDetector(BuiltinRules.all(), AllowList.builtin());

    private List<SecretDetector.Hit> scan(String path, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return d.scan(path, b, b.length);
    }

    private void finds(String path, String text, String rule, String secret, int line) {
        List<SecretDetector.Hit> hits = scan(path, text);
        assertThat(hits).as(rule + " in " + text).anySatisfy(h -> {
            assertThat(h.rule().id()).isEqualTo(rule);
            assertThat(h.secret()).isEqualTo(secret);
            assertThat(h.line()).isEqualTo(line);
        });
    }

    @Test
    void everyBuiltInRuleFindsItsSecret() throws Exception {
        String aws = t.awsKeyId(), awsSecret = t.awsSecret();
        finds("/root/.aws/credentials", "[default]\naws_access_key_id = " + aws + "\naws_secret_access_key = " + awsSecret + "\n",
                "aws-access-key-id", aws, 2);
        finds("/root/.aws/credentials", "[default]\naws_access_key_id = " + aws + "\naws_secret_access_key = " + awsSecret + "\n",
                "aws-secret-access-key", awsSecret, 3);
        String gh = t.crcToken("ghp_");
        finds("/app/settings.yaml", "a: 1\ntoken: " + gh + "\n", "github-pat", gh, 2);
        String npm = t.crcToken("npm_");
        finds("/root/.npmrc", "//registry.invalid/:_authToken=" + npm + "\n", "npm-token", npm, 1);
        String gl = t.gitlab();
        finds("/app/ci.sh", "export GL=" + gl, "gitlab-pat", gl, 1);
        String slack = t.slack();
        finds("/app/x.json", "{\"slack\": \"" + slack + "\"}", "slack-token", slack, 1);
        String pypi = t.pypi();
        finds("/root/.pypirc", "[pypi]\nusername = __token__\npassword = " + pypi + "\n", "pypi-token", pypi, 3);
        String az = t.azureKey();
        finds("/app/az.conf", "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=" + az + ";EndpointSuffix=core.invalid", "azure-storage-key", az, 1);
        String jwt = t.jwt();
        finds("/app/session.txt", "Authorization: Bearer " + jwt + "\n", "jwt", jwt, 1);
        String pw = t.random(14, Tokens.ALNUM);
        finds("/app/db.conf", "# db\nurl=postgres://app:" + pw + "@db:5432/app\n", "password-in-url", pw, 2);
        String auth = Base64.getEncoder().encodeToString(("deploy:" + t.random(16, Tokens.ALNUM)).getBytes(StandardCharsets.UTF_8));
        finds("/root/.docker/config.json", "{\n  \"auths\": {\n    \"reg.invalid\": {\n      \"auth\": \"" + auth + "\"\n    }\n  }\n}", "docker-config-auth", auth, 4);
        String id = t.random(40, "0123456789abcdef");
        finds("/app/sa.json", "{\"type\": \"service_account\", \"private_key_id\": \"" + id + "\"}", "gcp-service-account", id, 1);
        String envPw = t.random(16, Tokens.ALNUM);
        finds("/app/.env", "NODE_ENV=production\nDB_PASSWORD=" + envPw + "\n", "dotenv-secret", envPw, 2);
        String pem = Tokens.pem("RSA", "PRIVATE KEY");
        List<SecretDetector.Hit> keys = scan("/etc/ssl/private/k.pem", "\n" + pem);
        assertThat(keys).singleElement().satisfies(h -> {
            assertThat(h.rule().id()).isEqualTo("private-key");
            assertThat(h.line()).isEqualTo(2);
            assertThat(h.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(pem.replace("\n", "")).contains(h.secret());
        });
        String ec = Tokens.pem("EC", "EC PRIVATE KEY");
        assertThat(scan("/k", ec)).singleElement().satisfies(h -> assertThat(h.title()).isEqualTo("Private key (EC)"));
    }

    @Test
    void aRandomAwsKeyIdWithRepeatsIsStillFoundButAPlaceholderIsNot() {
        // a real-looking key id whose 16 random characters have 2.85 bits of entropy (found by a property test)
        assertThat(scan("/app/.env", "KEY=AKIAAJR5DJGC5J5YJJYF\n")).extracting(h -> h.rule().id()).containsExactly("aws-access-key-id");
        assertThat(scan("/app/.env", "KEY=AKIAXXXXXXXXXXXXXXXX\n")).isEmpty();
    }

    @Test
    void aKeyInsideJsonWithEscapedLineBreaksIsFound() throws Exception {
        String pem = Tokens.pem("RSA", "PRIVATE KEY").replace("\n", "\\n");
        List<SecretDetector.Hit> hits = scan("/app/sa.json", "{\"private_key\": \"" + pem + "\"}");
        assertThat(hits).extracting(h -> h.rule().id()).containsExactly("private-key");
    }

    @Test
    void anEncryptedKeyIsReportedLower() throws Exception {
        String pem = Tokens.pem("RSA", "ENCRYPTED PRIVATE KEY");
        assertThat(scan("/k.pem", pem)).singleElement().satisfies(h -> {
            assertThat(h.severity()).isEqualTo(Severity.HIGH);
            assertThat(h.title()).startsWith("Encrypted private key");
        });
    }

    @Test
    void lookAlikesAreNotSecrets() throws Exception {
        // documentation keys, placeholders, broken checksums, public material, words
        assertThat(scan("/app/readme.txt", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")).isEmpty();
        String gh = t.crcToken("ghp_");
        String broken = gh.substring(0, gh.length() - 1) + (gh.endsWith("A") ? "B" : "A");
        assertThat(scan("/app/x", "token: " + broken)).as("bad CRC32").isEmpty();
        assertThat(scan("/app/x", Tokens.publicKeyPem())).isEmpty();
        assertThat(scan("/app/x", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n")).as("doc placeholder").isEmpty();
        assertThat(scan("/app/x", "url = postgres://user:password@localhost/db\nhttps://user:${PASSWORD}@host/\n")).isEmpty();
        assertThat(scan("/app/x", "jwt: eyJhbGciOiJIUzI1NiJ9notbase64.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc")).isEmpty();
        assertThat(scan("/app/.env", "API_TOKEN=${API_TOKEN}\nPASSWORD=changeme\nSECRET_FILE=/run/secrets/x\n")).isEmpty();
        assertThat(scan("/app/notes.txt", "DB_PASSWORD=" + t.random(16, Tokens.ALNUM))).as("dotenv rule only for .env files").isEmpty();
        assertThat(scan("/root/.docker/config.json", "{\"auths\": {\"r\": {\"auth\": \"bm90LWJhc2ljLWF1dGg=\"}}}")).as("no user:password inside").isEmpty();
    }

    @Test
    void theSameSecretUnderTwoRulesIsOneFinding() {
        String gl = t.gitlab();
        List<SecretDetector.Hit> hits = scan("/app/ci.env", "GITLAB_TOKEN=" + gl + "\n");
        assertThat(hits).extracting(h -> h.rule().id()).containsExactly("gitlab-pat");
    }

    @Test
    void allowListedPathsAreDocsTestDataAndCertificates() {
        AllowList a = AllowList.builtin();
        assertThat(a.path("/usr/share/doc/openssl/README")).isTrue();
        assertThat(a.path("/etc/ssl/certs/ca-certificates.crt")).isTrue();
        assertThat(a.path("/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt")).isTrue();
        assertThat(a.path("/app/node_modules/jws/test/keys/private.pem")).isTrue();
        assertThat(a.path("/usr/lib/python3/dist-packages/cryptography/hazmat/tests/x.pem")).isTrue();
        assertThat(a.path("/usr/lib/x86_64-linux-gnu/libssl.so.3")).isTrue();
        // CPython's own test suite ships test keys (pyenv and source builds keep it; Debian puts it in libpython3-testsuite)
        assertThat(a.path("/root/.pyenv/versions/3.12.1/lib/python3.12/test/certdata/keycert.pem")).isTrue();
        assertThat(a.path("/usr/local/lib/python3.11/test/keycert.pem")).isTrue();
        assertThat(a.path("/usr/local/lib/python3.11/ssl.py")).isFalse();
        assertThat(a.path("/srv/app/lib/python3.11/test_settings.py")).isFalse();
        assertThat(a.path("/root/.ssh/id_rsa")).isFalse();
        assertThat(a.path("/app/node_modules/pkg/index.js")).isFalse();
        assertThat(a.path("/etc/ssl/private/server.key")).isFalse();
    }

    @Test
    void theAnalyzerSkipsBinaryAndAllowListedFilesCheaply(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        SecretAnalyzer a = new SecretAnalyzer();
        assertThat(a.required("/usr/share/doc/x/README", 100, 0644)).isFalse();
        assertThat(a.required("/app/big.txt", SecretConfig.DEFAULT_MAX_FILE_SIZE + 1L, 0644)).isFalse();
        assertThat(a.required("/app/empty", 0, 0644)).isFalse();
        assertThat(a.required("/app/config.yaml", 100, 0644)).isTrue();
        assertThat(a.accepts(new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1, 0})).isFalse();
        assertThat(a.accepts("key: value\n".getBytes(StandardCharsets.UTF_8))).isTrue();
        // a text head with a NUL later in the first 8 KiB: binary, not read for secrets
        String gh = t.crcToken("ghp_");
        byte[] mixed = ("token " + gh + "\n" + "x".repeat(100) + "\0").getBytes(StandardCharsets.ISO_8859_1);
        Path f = tmp.resolve("mixed");
        Files.write(f, mixed);
        assertThat(a.analyze(new PathInput("/app/mixed", f))).isNull();
        Path g = tmp.resolve("text");
        Files.writeString(g, "token " + gh + "\n");
        assertThat(a.analyze(new PathInput("/app/text", g)).secrets()).singleElement().satisfies(s -> {
            assertThat(s.match()).isEqualTo(gh.substring(0, 8) + Redaction.MASK);
            assertThat(s.path()).isEqualTo("/app/text");
            assertThat(s.line()).isEqualTo(1);
        });
    }

    /** A file on disk as an analyser input. */
    record PathInput(String path, Path file) implements dev.bulwark.scan.analyzer.FileInput {
        @Override
        public long size() {
            try {
                return Files.size(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public int mode() {
            return 0644;
        }

        @Override
        public java.io.InputStream open() throws java.io.IOException {
            return Files.newInputStream(file);
        }

        @Override
        public java.nio.channels.SeekableByteChannel channel() throws java.io.IOException {
            return Files.newByteChannel(file);
        }
    }
}

package dev.bulwark.docker;

import dev.bulwark.docker.Pki.KeyKind;
import dev.bulwark.docker.testenv.Components;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Keys and certificates as openssl writes them (each key format, encrypted keys, explicit curves, DER, bundles,
 * subjectAltNames), read by {@link Pem} and checked by {@link TlsContext}. openssl is a real component: without it
 * these tests fail.
 */
class TlsFilesIT {
    @TempDir
    static Path tmp;
    static Pki pki;

    @BeforeAll
    static void ca() {
        Components.requireTool("openssl");
        pki = new Pki(tmp.resolve("pki"));
        pki.ca("ca", "bulwark-files-ca");
    }

    private static X509Certificate cert(Path pem) throws DockerException {
        List<X509Certificate> certs = Pem.certificates(pem, "certificate");
        assertThat(certs).hasSize(1);
        return certs.get(0);
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void everyKeyFormatOpensslWrites(KeyKind kind) throws Exception {
        String name = kind.name().toLowerCase();
        Path key = pki.key(name, kind);
        String text = Files.readString(key);
        String expectedBlock = switch (kind) {
            case PKCS8_RSA, PKCS8_EC, PKCS8_ED25519 -> "-----BEGIN PRIVATE KEY-----";
            case PKCS1_RSA -> "-----BEGIN RSA PRIVATE KEY-----";
            case SEC1_EC, SEC1_EC_NOOUT -> "-----BEGIN EC PRIVATE KEY-----";
        };
        assertThat(text).as("openssl wrote the format this test is about").contains(expectedBlock);
        if (kind == KeyKind.SEC1_EC) assertThat(text).startsWith("-----BEGIN EC PARAMETERS-----");

        PrivateKey k = Pem.privateKey(key, "client key");
        assertThat(Pem.describe(k)).isEqualTo(switch (kind) {
            case PKCS8_RSA, PKCS1_RSA -> "RSA 2048-bit";
            case SEC1_EC, PKCS8_EC -> "EC secp256r1";
            case SEC1_EC_NOOUT -> "EC secp384r1";
            case PKCS8_ED25519 -> "EdDSA";
        });
        Path cert = pki.issue(name, "ca", key, "client-" + name, "extendedKeyUsage=clientAuth");
        // the parsed key is the one openssl certified: it signs what the certificate's public key verifies
        assertThatCode(() -> Pem.checkPair(cert(cert), cert.toString(), k, key.toString())).doesNotThrowAnyException();
        assertThatCode(() -> TlsContext.create(new DockerTls(tmp.resolve("pki/ca.pem"), cert, key, true), "127.0.0.1", "x"))
            .doesNotThrowAnyException();
    }

    @Test
    void mismatchedPairs() throws Exception {
        Path a = pki.key("mm-a", KeyKind.SEC1_EC);
        Path b = pki.key("mm-b", KeyKind.PKCS8_EC);
        Path r = pki.key("mm-r", KeyKind.PKCS1_RSA);
        Path r2 = pki.key("mm-r2", KeyKind.PKCS8_RSA);
        Path certA = pki.issue("mm-a", "ca", a, "client-a", "extendedKeyUsage=clientAuth");
        Path certR = pki.issue("mm-r", "ca", r, "client-r", "extendedKeyUsage=clientAuth");

        assertThatThrownBy(() -> TlsContext.create(new DockerTls(tmp.resolve("pki/ca.pem"), certA, b, true), "h", "x"))
            .isInstanceOf(DockerException.class)
            .satisfies(e -> assertThat(((DockerException) e).oneLine()).isEqualTo(certA + ": the client certificate does not match its key "
                + b + ": the certificate (CN=client-a) holds an EC secp256r1 public key, the key file another EC secp256r1 key"));
        assertThatThrownBy(() -> Pem.checkPair(cert(certR), certR.toString(), Pem.privateKey(a, "k"), a.toString()))
            .hasMessageEndingWith("holds an RSA 2048-bit public key, the key file an EC secp256r1 key");
        assertThatThrownBy(() -> Pem.checkPair(cert(certR), certR.toString(), Pem.privateKey(r2, "k"), r2.toString()))
            .hasMessageEndingWith("the key file another RSA 2048-bit key");
    }

    @Test
    void encryptedKeysAreRefused() throws Exception {
        Path plain = pki.key("enc", KeyKind.PKCS8_RSA);
        Path pkcs8 = tmp.resolve("pki/enc-pkcs8.pem");
        Components.openssl(tmp, "pkcs8", "-topk8", "-in", plain.toString(), "-v2", "aes-256-cbc", "-passout", "pass:secret",
            "-out", pkcs8.toString());
        assertThat(Files.readString(pkcs8)).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThatThrownBy(() -> Pem.privateKey(pkcs8, "client key")).isInstanceOf(DockerException.class)
            .hasMessage("client key: the key is encrypted (PKCS#8 ENCRYPTED PRIVATE KEY); the docker CLI cannot use encrypted keys"
                + " either: decrypt it with 'openssl pkey -in KEY -out KEY.plain'");

        Path legacy = tmp.resolve("pki/enc-legacy.pem");
        Components.openssl(tmp, "rsa", "-in", plain.toString(), "-aes256", "-traditional", "-passout", "pass:secret", "-out", legacy.toString());
        assertThat(Files.readString(legacy)).contains("Proc-Type: 4,ENCRYPTED");
        assertThatThrownBy(() -> Pem.privateKey(legacy, "client key")).hasMessageStartingWith(
            "client key: the key is encrypted (legacy PEM encryption, DEK-Info: AES-256-CBC,");
    }

    @Test
    void explicitCurveParametersAreRefused() throws Exception {
        Path named = pki.key("explicit", KeyKind.SEC1_EC_NOOUT);
        Path explicit = tmp.resolve("pki/explicit-params.pem");
        Components.openssl(tmp, "ec", "-in", named.toString(), "-param_enc", "explicit", "-out", explicit.toString());
        assertThatThrownBy(() -> Pem.privateKey(explicit, "client key")).hasMessageContaining("explicit curve parameters");
    }

    @Test
    void derAndBundles() throws Exception {
        Path ca = tmp.resolve("pki/ca.pem");
        Path der = tmp.resolve("pki/ca.der");
        Components.openssl(tmp, "x509", "-in", ca.toString(), "-outform", "der", "-out", der.toString());
        assertThatThrownBy(() -> Pem.certificates(der, "CA certificate")).hasMessageContaining("DER (binary), not PEM")
            .hasMessageContaining("openssl x509 -inform der");

        Path other = pki.ca("bundle2", "bulwark-second-ca");
        Path bundle = tmp.resolve("pki/bundle.pem");
        Files.writeString(bundle, Files.readString(ca) + "\n# a comment between\n" + Files.readString(other));
        assertThat(Pem.certificates(bundle, "CA certificate")).extracting(c -> c.getSubjectX500Principal().getName())
            .containsExactly("CN=bulwark-files-ca", "CN=bulwark-second-ca");

        Path truncated = tmp.resolve("pki/truncated.pem");
        String text = Files.readString(ca);
        Files.writeString(truncated, text.substring(0, text.length() / 2));
        assertThatThrownBy(() -> Pem.certificates(truncated, "CA certificate")).hasMessageContaining("has no END line");
    }

    /** Go's VerifyHostname, which the docker CLI uses: IP SANs for IPs, DNS SANs for names, wildcards, no Common Name. */
    @Test
    void hostNames() throws Exception {
        Path key = pki.key("hn", KeyKind.PKCS8_EC);
        X509Certificate both = cert(pki.selfSigned("hn-both", key, "server", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
        for (String ok : List.of("127.0.0.1", "localhost", "LocalHost", "localhost.")) {
            assertThatCode(() -> TlsContext.verifyHost(both, ok)).as(ok).doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> TlsContext.verifyHost(both, "127.0.0.2"))
            .hasMessage("the daemon's certificate is valid for IP:127.0.0.1, DNS:localhost, not for 127.0.0.2 (the host connected to):"
                + " host name mismatch");
        assertThatThrownBy(() -> TlsContext.verifyHost(both, "::1")).hasMessageContaining("host name mismatch");
        assertThatThrownBy(() -> TlsContext.verifyHost(both, "docker.example")).hasMessageContaining("host name mismatch");

        X509Certificate wild = cert(pki.selfSigned("hn-wild", key, "server", "subjectAltName=DNS:*.example.com,IP:::1,DNS:10.0.0.1"));
        assertThatCode(() -> TlsContext.verifyHost(wild, "docker.example.com")).doesNotThrowAnyException();
        assertThatCode(() -> TlsContext.verifyHost(wild, "[::1]")).doesNotThrowAnyException();
        assertThatCode(() -> TlsContext.verifyHost(wild, "0:0:0:0:0:0:0:1")).doesNotThrowAnyException();
        assertThatThrownBy(() -> TlsContext.verifyHost(wild, "a.docker.example.com")).hasMessageContaining("host name mismatch");
        assertThatThrownBy(() -> TlsContext.verifyHost(wild, "example.com")).hasMessageContaining("host name mismatch");
        // an IP in a DNS name does not name the IP (Go checks IP addresses against IP SANs only)
        assertThatThrownBy(() -> TlsContext.verifyHost(wild, "10.0.0.1")).hasMessageContaining("host name mismatch");

        X509Certificate cnOnly = cert(pki.selfSigned("hn-cn", key, "localhost", "basicConstraints=CA:FALSE"));
        assertThatThrownBy(() -> TlsContext.verifyHost(cnOnly, "localhost")).hasMessageContaining("has no subjectAltName")
            .hasMessageContaining("no Common Name fallback");
    }
}

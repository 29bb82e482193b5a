package dev.bulwark.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PEM key parsing with keys made by the JDK (openssl-made files, certificates and key/certificate pairs are in
 * {@link TlsFilesIT}). The JDK's own encoding of each key is the oracle: a parsed key must encode to the same bytes.
 */
class PemTest {
    @TempDir
    Path tmp;

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }

    static KeyPair generate(String alg) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        if (alg.equals("EC")) g.initialize(new ECGenParameterSpec("secp256r1"));
        if (alg.equals("RSA")) g.initialize(2048);
        return g.generateKeyPair();
    }

    private PrivateKey parse(String text) throws DockerException {
        return Pem.privateKey(text.getBytes(StandardCharsets.US_ASCII), "key.pem", "client key");
    }

    private String fails(String text) {
        try {
            parse(text);
        } catch (DockerException e) {
            assertThat(e.where()).isEqualTo("key.pem");
            assertThat(e.oneLine()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("parsed: " + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"})
    void pkcs8(String alg) throws Exception {
        PrivateKey k = generate(alg).getPrivate();
        PrivateKey parsed = parse(pem("PRIVATE KEY", k.getEncoded()));
        assertThat(parsed.getEncoded()).isEqualTo(k.getEncoded());
    }

    @Test
    void pkcs1IsTheRsaKeyInsidePkcs8() throws Exception {
        PrivateKey k = generate("RSA").getPrivate();
        // PrivateKeyInfo { version, AlgorithmIdentifier, OCTET STRING { RSAPrivateKey } }: the inner structure is PKCS#1
        Pem.Der info = Pem.Der.of(k.getEncoded()).enter(0x30);
        info.next(0x02);
        info.next(0x30);
        byte[] pkcs1 = info.next(0x04).value();
        PrivateKey parsed = parse(pem("RSA PRIVATE KEY", pkcs1));
        assertThat(parsed.getAlgorithm()).isEqualTo("RSA");
        assertThat(parsed.getEncoded()).isEqualTo(k.getEncoded());
    }

    @Test
    void sec1WithTheCurveInAnEcParametersBlock() throws Exception {
        PrivateKey k = generate("EC").getPrivate();
        Pem.Der info = Pem.Der.of(k.getEncoded()).enter(0x30);
        info.next(0x02);
        Pem.Der alg = info.enter(0x30);
        alg.next(0x06);
        byte[] curveOid = alg.next(0x06).encoded();
        byte[] sec1 = info.next(0x04).value(); // the JDK writes SEC1 without the optional curve parameters
        PrivateKey parsed = parse(pem("EC PARAMETERS", curveOid) + pem("EC PRIVATE KEY", sec1));
        assertThat(((java.security.interfaces.ECPrivateKey) parsed).getS()).isEqualTo(((java.security.interfaces.ECPrivateKey) k).getS());
        assertThat(Pem.describe(parsed)).isEqualTo("EC secp256r1");

        assertThat(fails(pem("EC PRIVATE KEY", sec1))).contains("names no curve");
    }

    @Test
    void encryptedPkcs8IsRefusedWithAHint() throws Exception {
        PrivateKey k = generate("EC").getPrivate();
        char[] password = "secret".toCharArray();
        // PKCS#12 PBE (PBES1), which the JDK can also write as an EncryptedPrivateKeyInfo; openssl's PBES2 files are in TlsFilesIT
        String alg = "PBEWithSHA1AndDESede";
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Cipher c = Cipher.getInstance(alg);
        c.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(alg).generateSecret(new PBEKeySpec(password)),
            new PBEParameterSpec(salt, 10_000));
        byte[] encrypted = new EncryptedPrivateKeyInfo(c.getParameters(), c.doFinal(k.getEncoded())).getEncoded();
        assertThat(fails(pem("ENCRYPTED PRIVATE KEY", encrypted)))
            .contains("encrypted (PKCS#8 ENCRYPTED PRIVATE KEY)", "openssl pkey -in KEY -out KEY.plain");
    }

    @Test
    void legacyEncryptedPemIsRefused() throws Exception {
        byte[] body = new byte[1200];
        new SecureRandom().nextBytes(body);
        String text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n"
            + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(body) + "\n-----END RSA PRIVATE KEY-----\n";
        assertThat(fails(text)).contains("legacy PEM encryption", "AES-256-CBC", "decrypt it");
    }

    @Test
    void malformedPem() throws Exception {
        String good = pem("PRIVATE KEY", generate("EC").getPrivate().getEncoded());
        assertThat(fails(good.replace("-----END PRIVATE KEY-----\n", ""))).contains("has no END line");
        assertThat(fails(good.replace("END PRIVATE KEY", "END RSA PRIVATE KEY"))).contains("closes '-----BEGIN PRIVATE KEY-----'");
        String[] lines = good.split("\n");
        lines[2] = "!!!!" + lines[2].substring(4);
        assertThat(fails(String.join("\n", lines))).contains("bad base64");
        assertThat(fails("")).contains("empty");
        assertThat(fails("just some text\n")).contains("not PEM");
        assertThat(fails("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n")).contains("is empty");
        // valid base64 of bytes that are not a key
        assertThat(fails(pem("PRIVATE KEY", "not a key at all".getBytes(StandardCharsets.US_ASCII)))).contains("malformed PRIVATE KEY");
        assertThat(fails(pem("RSA PRIVATE KEY", new byte[]{0x30, 0x03, 0x02, 0x01, 0x00}))).contains("malformed RSA PRIVATE KEY");
        // well-formed DER, wrong content: the JDK refuses it
        assertThat(fails(pem("PRIVATE KEY", Pem.Der.seq(Pem.Der.tlv(0x02, new byte[]{0}),
            Pem.Der.seq(Pem.Der.tlv(0x06, new byte[]{0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01})),
            Pem.Der.tlv(0x04, new byte[]{1, 2, 3}))))).contains("malformed PKCS#8 RSA key");
    }

    @Test
    void derInsteadOfPem() throws Exception {
        byte[] der = generate("EC").getPrivate().getEncoded();
        DockerException e = org.junit.jupiter.api.Assertions.assertThrows(DockerException.class,
            () -> Pem.privateKey(der, "key.der", "client key"));
        assertThat(e.getMessage()).contains("DER (binary), not PEM", "openssl pkey -inform der");
    }

    @Test
    void wrongBlocks() throws Exception {
        byte[] k1 = generate("EC").getPrivate().getEncoded();
        byte[] k2 = generate("EC").getPrivate().getEncoded();
        assertThat(fails(pem("PRIVATE KEY", k1) + pem("PRIVATE KEY", k2))).contains("more than one private key", "lines 1 and");
        assertThat(fails(pem("CERTIFICATE", k1))).contains("no private key", "swapped");
        assertThat(fails(pem("OPENSSH PRIVATE KEY", k1))).contains("OpenSSH key");
        assertThat(fails(pem("DSA PRIVATE KEY", k1))).contains("DSA key");
        assertThat(fails(pem("PRIVATE KEY", generate("X25519").getPrivate().getEncoded()))).contains("X25519/X448", "cannot sign");
        assertThat(fails(pem("PRIVATE KEY", generate("DSA").getPrivate().getEncoded()))).contains("DSA key");
        // a key file may carry other blocks; the key is found among them
        assertThat(parse("junk before\n" + pem("EC PARAMETERS", new byte[]{6, 1, 0}) + pem("PRIVATE KEY", k1)).getEncoded()).isEqualTo(k1);
    }

    @Test
    void certificateFilesWithoutCertificates() throws Exception {
        byte[] k = generate("EC").getPrivate().getEncoded();
        assertThatThrownBy(() -> Pem.certificates(pem("PRIVATE KEY", k).getBytes(StandardCharsets.US_ASCII), "cert.pem", "client certificate"))
            .isInstanceOf(DockerException.class).hasMessageContaining("no certificate in it").hasMessageContaining("swapped");
        assertThatThrownBy(() -> Pem.certificates(pem("CERTIFICATE", k).getBytes(StandardCharsets.US_ASCII), "cert.pem", "client certificate"))
            .isInstanceOf(DockerException.class).hasMessageContaining("malformed certificate (the block at line 1)");
    }

    @Test
    void files() throws Exception {
        Path missing = tmp.resolve("nope/key.pem");
        assertThatThrownBy(() -> Pem.privateKey(missing, "client key"))
            .isInstanceOf(DockerException.class).hasMessage("client key not found")
            .satisfies(e -> assertThat(((DockerException) e).where()).isEqualTo(missing.toString()));
        assertThatThrownBy(() -> Pem.privateKey(tmp, "client key")).hasMessageContaining("is a directory");
        Path ok = tmp.resolve("key.pem");
        byte[] k = generate("Ed25519").getPrivate().getEncoded();
        Files.writeString(ok, pem("PRIVATE KEY", k).replace("\n", "\r\n"));
        assertThat(Pem.privateKey(ok, "client key").getEncoded()).isEqualTo(k);
    }
}

package dev.bulwark.trust;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysTest {
    @TempDir
    Path dir;

    private KeyPair writePair(String pass) throws TrustException {
        KeyPair kp = Keys.generate();
        Keys.write(kp, dir.resolve("k.key"), dir.resolve("k.pub"), pass.toCharArray());
        return kp;
    }

    @Test
    void roundTripEncryptedPrivateKeyMode0600AndPublicKey() throws Exception {
        KeyPair kp = writePair("correct horse");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("k.key")))).isEqualTo("rw-------");
        String pem = Files.readString(dir.resolve("k.key"));
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----").doesNotContain("BEGIN PRIVATE KEY");
        PrivateKey priv = Keys.readPrivate(dir.resolve("k.key"), "correct horse".toCharArray());
        assertThat(priv.getEncoded()).isEqualTo(kp.getPrivate().getEncoded());
        PublicKey pub = Keys.readPublic(dir.resolve("k.pub"));
        assertThat(pub.getEncoded()).isEqualTo(kp.getPublic().getEncoded());
        assertThat(((ECPublicKey) pub).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        // what one signs, the other verifies
        byte[] sig = Cosign.sign(priv, "x".getBytes(StandardCharsets.UTF_8));
        assertThat(Cosign.verify(pub, "x".getBytes(StandardCharsets.UTF_8), sig)).isTrue();
        assertThat(Cosign.verify(pub, "y".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    }

    @Test
    void wrongPassphraseIsRefused() throws Exception {
        writePair("right");
        assertThatThrownBy(() -> Keys.readPrivate(dir.resolve("k.key"), "wrong".toCharArray()))
                .isInstanceOf(TrustException.class).hasMessageContaining("wrong passphrase");
    }

    @Test
    void looseKeyFilePermissionsAreRefused() throws Exception {
        writePair("p");
        Files.setPosixFilePermissions(dir.resolve("k.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> Keys.readPrivate(dir.resolve("k.key"), "p".toCharArray()))
                .isInstanceOf(TrustException.class).hasMessageContaining("readable by others").hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(dir.resolve("k.key"), PosixFilePermissions.fromString("rw----r--"));
        assertThatThrownBy(() -> Keys.readPrivate(dir.resolve("k.key"), "p".toCharArray())).hasMessageContaining("readable by others");
    }

    @Test
    void existingFilesAreNotOverwrittenAndEmptyPassphraseIsRefused() throws Exception {
        writePair("p");
        byte[] before = Files.readAllBytes(dir.resolve("k.key"));
        assertThatThrownBy(() -> Keys.write(Keys.generate(), dir.resolve("k.key"), dir.resolve("other.pub"), "p".toCharArray()))
                .hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(dir.resolve("k.key"))).isEqualTo(before);
        assertThat(dir.resolve("other.pub")).doesNotExist();
        assertThatThrownBy(() -> Keys.write(Keys.generate(), dir.resolve("n.key"), dir.resolve("n.pub"), new char[0]))
                .hasMessageContaining("empty passphrase");
    }

    @Test
    void unencryptedForeignAndGarbageKeysAreRefused() throws Exception {
        KeyPair kp = Keys.generate();
        String plain = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(kp.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> Keys.parsePrivate(plain, "p".toCharArray(), "plain.key")).hasMessageContaining("not encrypted");
        assertThatThrownBy(() -> Keys.parsePrivate("hello", "p".toCharArray(), "g.key")).isInstanceOf(TrustException.class)
                .satisfies(e -> assertThat(((TrustException) e).oneLine()).isEqualTo("g.key: no PEM block found"));
        assertThatThrownBy(() -> Keys.parsePublic("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "t.pub"))
                .isInstanceOf(TrustException.class);
        // an RSA public key is not a P-256 key
        var rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String rsaPem = Keys.publicPem(rsa.generateKeyPair().getPublic());
        assertThatThrownBy(() -> Keys.parsePublic(rsaPem, "rsa.pub")).hasMessageContaining("not an ECDSA P-256");
        Files.write(dir.resolve("bin.pub"), new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> Keys.readPublic(dir.resolve("bin.pub"))).isInstanceOf(TrustException.class);
        assertThatThrownBy(() -> Keys.readPublic(dir.resolve("absent.pub"))).hasMessageContaining("no such key file");
    }

    @Test
    void readsOpensslEncryptedPkcs8Fixture() throws Exception {
        // made with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:fixture
        Path f = dir.resolve("openssl.key");
        try (var in = getClass().getResourceAsStream("openssl-p256.key")) {
            Files.write(f, in.readAllBytes());
        }
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        PrivateKey k = Keys.readPrivate(f, "fixture".toCharArray());
        assertThat(k.getAlgorithm()).isEqualTo("EC");
        PublicKey pub;
        try (var in = getClass().getResourceAsStream("openssl-p256.pub")) {
            pub = Keys.parsePublic(new String(in.readAllBytes(), StandardCharsets.US_ASCII), "openssl-p256.pub");
        }
        assertThat(Cosign.verify(pub, new byte[]{1, 2, 3}, Cosign.sign(k, new byte[]{1, 2, 3}))).isTrue();
    }

    /** A key made by `cosign generate-key-pair` (password ""), with the public key published beside it. */
    @Test
    void readsCosignsOwnEncryptedKeyFormat() throws Exception {
        Path f = dir.resolve("cosign.key");
        try (var in = getClass().getResourceAsStream("cosign-generated.key")) {
            Files.write(f, in.readAllBytes());
        }
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        PrivateKey k = Keys.readPrivate(f, new char[0]);
        PublicKey pub;
        try (var in = getClass().getResourceAsStream("cosign-generated.pub")) {
            pub = Keys.parsePublic(new String(in.readAllBytes(), StandardCharsets.US_ASCII), "cosign-generated.pub");
        }
        byte[] data = "signed by a cosign key".getBytes(StandardCharsets.UTF_8);
        assertThat(Cosign.verify(pub, data, Cosign.sign(k, data))).isTrue();
        assertThatThrownBy(() -> Keys.readPrivate(f, "wrong".toCharArray())).hasMessageContaining("wrong passphrase");
        String pem = Files.readString(f);
        String hostile = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n" + java.util.Base64.getEncoder().encodeToString(
                "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1073741824,\"r\":8,\"p\":1},\"salt\":\"AA==\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AA==\"},\"ciphertext\":\"AA==\"}"
                        .getBytes(StandardCharsets.UTF_8)) + "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
        assertThatThrownBy(() -> Keys.parsePrivate(hostile, new char[0], "h.key")).hasMessageContaining("out of bounds");
        assertThatThrownBy(() -> Keys.parsePrivate(pem.replace("eyJrZGYi", "eyJrZGYX"), new char[0], "d.key")).isInstanceOf(TrustException.class);
    }
}

package dev.bulwark.scan.secret;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Fake but structurally real secrets for tests, made fresh each run: keys from the JDK's generators, tokens with
 * their real prefixes, alphabets, lengths and (GitHub, npm) CRC32 checksums.
 */
final class Tokens {
    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private final Random rnd;

    Tokens(long seed) {
        rnd = new Random(seed);
    }

    String random(int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return b.toString();
    }

    /** prefix + 30 random characters + their CRC32 in six base62 digits. */
    String crcToken(String prefix) {
        String body = random(30, ALNUM);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] d = new char[6];
        for (int i = 5; i >= 0; i--) {
            d[i] = B62.charAt((int) (v % 62));
            v /= 62;
        }
        return prefix + body + new String(d);
    }

    String awsKeyId() {
        return "AKIA" + random(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    }

    String awsSecret() {
        return random(40, ALNUM + "+/");
    }

    String slack() {
        return "xoxb-" + random(11, "0123456789") + "-" + random(12, "0123456789") + "-" + random(24, ALNUM);
    }

    String gitlab() {
        return "glpat-" + random(20, ALNUM);
    }

    String pypi() {
        return "pypi-AgEIcHlwaS5vcmc" + random(70, ALNUM + "-_");
    }

    String azureKey() {
        byte[] b = new byte[64];
        rnd.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    String jwt() {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        String h = e.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String p = e.encodeToString(("{\"sub\":\"" + random(8, ALNUM) + "\",\"iat\":1700000000}").getBytes(StandardCharsets.UTF_8));
        byte[] sig = new byte[32];
        rnd.nextBytes(sig);
        return h + "." + p + "." + e.encodeToString(sig);
    }

    /** A PKCS#8 PEM of a fresh key ("RSA" or "EC"). */
    static String pem(String algorithm, String label) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        g.initialize(algorithm.equals("RSA") ? 2048 : 256, new SecureRandom());
        byte[] der = g.generateKeyPair().getPrivate().getEncoded();
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** A fresh self-signed certificate would need a signer the JDK does not expose; a public key PEM is public material too. */
    static String publicKeyPem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        byte[] der = g.generateKeyPair().getPublic().getEncoded();
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }
}

package dev.bulwark.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads cosign's own private key files ("ENCRYPTED SIGSTORE PRIVATE KEY", formerly "ENCRYPTED COSIGN PRIVATE KEY"),
 * so keys made by {@code cosign generate-key-pair} sign here too. The PEM body is JSON: a scrypt KDF (N, r, p,
 * salt) and a NaCl secretbox (XSalsa20-Poly1305, 24-byte nonce) around the PKCS#8 DER of the key.
 */
final class CosignKeys {
    /** scrypt's memory is 128·N·r bytes: bound it so a hostile key file cannot take gigabytes. */
    static final long MAX_SCRYPT_N = 1 << 20;

    private CosignKeys() {
    }

    static boolean isCosignKey(String pem) {
        return pem.contains("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----") || pem.contains("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----");
    }

    static PrivateKey decrypt(String pem, char[] passphrase, String where) throws TrustException {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        JsonNode doc;
        try {
            doc = new ObjectMapper().readTree(Base64.getDecoder().decode(body));
        } catch (Exception e) {
            throw new TrustException(where, "malformed cosign key (not base64 JSON)");
        }
        if (doc == null || !"scrypt".equals(doc.path("kdf").path("name").asText()) || !"nacl/secretbox".equals(doc.path("cipher").path("name").asText()))
            throw new TrustException(where, "unsupported cosign key (expected scrypt + nacl/secretbox)");
        JsonNode p = doc.path("kdf").path("params");
        long n = p.path("N").asLong(0);
        int r = p.path("r").asInt(0), par = p.path("p").asInt(0);
        if (n < 2 || n > MAX_SCRYPT_N || (n & (n - 1)) != 0 || r < 1 || r > 32 || par < 1 || par > 16)
            throw new TrustException(where, "cosign key's scrypt parameters are out of bounds (N=" + n + ", r=" + r + ", p=" + par + ")");
        byte[] salt, nonce, sealed;
        try {
            salt = Base64.getDecoder().decode(doc.path("kdf").path("salt").asText(""));
            nonce = Base64.getDecoder().decode(doc.path("cipher").path("nonce").asText(""));
            sealed = Base64.getDecoder().decode(doc.path("ciphertext").asText(""));
        } catch (IllegalArgumentException e) {
            throw new TrustException(where, "malformed cosign key (a field is not base64)");
        }
        if (nonce.length != 24 || sealed.length < 16) throw new TrustException(where, "malformed cosign key (nonce or ciphertext)");
        byte[] key = SCrypt.generate(new String(passphrase).getBytes(StandardCharsets.UTF_8), salt, (int) n, r, par, 32);
        byte[] plain = open(key, nonce, sealed);
        if (plain == null) throw new TrustException(where, "wrong passphrase (or a damaged key file)");
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(plain));
        } catch (Exception e) {
            throw new TrustException(where, "cosign key does not hold an EC private key");
        }
    }

    /** NaCl secretbox open: Poly1305 key from the first 32 keystream bytes, tag first, then the XORed message. */
    static byte[] open(byte[] key, byte[] nonce, byte[] sealed) {
        XSalsa20Engine x = new XSalsa20Engine();
        x.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] polyKey = new byte[32];
        x.processBytes(new byte[32], 0, 32, polyKey, 0);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(polyKey));
        mac.update(sealed, 16, sealed.length - 16);
        byte[] tag = new byte[16];
        mac.doFinal(tag, 0);
        if (!MessageDigest.isEqual(tag, java.util.Arrays.copyOf(sealed, 16))) return null;
        byte[] plain = new byte[sealed.length - 16];
        x.processBytes(sealed, 16, plain.length, plain, 0);
        return plain;
    }
}

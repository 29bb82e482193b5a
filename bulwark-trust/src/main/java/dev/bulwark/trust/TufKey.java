package dev.bulwark.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A key as TUF metadata lists it. Notary's types: "ecdsa" (base64 DER SubjectPublicKeyInfo, P-256), "ecdsa-x509"
 * (base64 of a PEM certificate, the form root keys take), "ed25519" (base64 of the 32 raw bytes; the server's
 * timestamp key). The key ID is the SHA-256 of the key's canonical JSON, and is recomputed, never believed.
 *
 * @param notAfter a certificate's end of validity (null for bare keys)
 */
record TufKey(String id, String type, PublicKey key, Instant notAfter) {
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    static TufKey parse(String declaredId, JsonNode k, String where) throws TrustException {
        String type = k.path("keytype").asText("");
        String pub = k.path("keyval").path("public").asText("");
        ObjectNode canon = JsonNodeFactory.instance.objectNode();
        canon.put("keytype", type);
        ObjectNode kv = canon.putObject("keyval");
        kv.putNull("private");
        kv.put("public", pub);
        String id = HexFormat.of().formatHex(dev.bulwark.model.Digest.newSha256().digest(CanonicalJson.bytes(canon)));
        if (declaredId != null && !declaredId.equals(id))
            throw new TrustRefusal(where, "key " + abbreviate(declaredId) + " does not hash to its ID (it is " + abbreviate(id) + ")");
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(pub);
        } catch (IllegalArgumentException e) {
            throw new TrustRefusal(where, "key " + abbreviate(id) + ": public key is not base64");
        }
        try {
            return switch (type) {
                case "ecdsa" -> new TufKey(id, type, KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(raw)), null);
                case "ecdsa-x509", "rsa-x509" -> {
                    X509Certificate c = certificate(raw);
                    yield new TufKey(id, type, c.getPublicKey(), c.getNotAfter().toInstant());
                }
                case "ed25519" -> {
                    if (raw.length != 32) throw new TrustRefusal(where, "key " + abbreviate(id) + ": ed25519 key is not 32 bytes");
                    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
                    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                    System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                    yield new TufKey(id, type, KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)), null);
                }
                default -> throw new TrustRefusal(where, "key " + abbreviate(id) + ": unsupported key type '" + type + "'");
            };
        } catch (GeneralSecurityException e) {
            throw new TrustRefusal(where, "key " + abbreviate(id) + ": unreadable " + type + " key");
        }
    }

    private static X509Certificate certificate(byte[] pem) throws CertificateException {
        String s = new String(pem, StandardCharsets.US_ASCII);
        if (!s.contains("-----BEGIN CERTIFICATE-----")) throw new CertificateException("not PEM");
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }

    /**
     * Checks one signature over canonical bytes. Notary's "ecdsa" method is the raw 64-byte r||s of P-256 over
     * SHA-256 (not DER); "eddsa" is Ed25519.
     */
    boolean verifies(String method, byte[] sig, byte[] data) {
        try {
            return switch (method) {
                case "ecdsa" -> {
                    if (!(key instanceof java.security.interfaces.ECPublicKey) || sig.length != 64) yield false;
                    Signature s = Signature.getInstance("SHA256withECDSA");
                    s.initVerify(key);
                    s.update(data);
                    yield s.verify(der(sig));
                }
                case "eddsa" -> {
                    if (!type.equals("ed25519")) yield false;
                    Signature s = Signature.getInstance("Ed25519");
                    s.initVerify(key);
                    s.update(data);
                    yield s.verify(sig);
                }
                default -> false;
            };
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** r||s (32 bytes each) to ASN.1 DER SEQUENCE { INTEGER r, INTEGER s }. */
    static byte[] der(byte[] rs) {
        byte[] r = new BigInteger(1, java.util.Arrays.copyOfRange(rs, 0, 32)).toByteArray();
        byte[] s = new BigInteger(1, java.util.Arrays.copyOfRange(rs, 32, 64)).toByteArray();
        byte[] out = new byte[6 + r.length + s.length];
        out[0] = 0x30;
        out[1] = (byte) (4 + r.length + s.length);
        out[2] = 0x02;
        out[3] = (byte) r.length;
        System.arraycopy(r, 0, out, 4, r.length);
        out[4 + r.length] = 0x02;
        out[5 + r.length] = (byte) s.length;
        System.arraycopy(s, 0, out, 6 + r.length, s.length);
        return out;
    }

    static String abbreviate(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}

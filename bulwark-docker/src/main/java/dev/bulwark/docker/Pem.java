package dev.bulwark.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PEM files of the docker CLI's TLS setup (ca.pem, cert.pem, key.pem), read with the JDK alone: certificates, and
 * private keys in PKCS#8 ({@code PRIVATE KEY}: RSA, RSASSA-PSS, EC, Ed25519, Ed448), PKCS#1 ({@code RSA PRIVATE KEY})
 * and SEC1 ({@code EC PRIVATE KEY}, named curves, with or without a separate {@code EC PARAMETERS} block).
 * Encrypted keys are refused with a hint, as the docker CLI refuses them (it has no passphrase to ask for).
 * Every problem is a {@link DockerException} whose {@code where} is the file.
 */
final class Pem {
    static final int MAX_FILE = 1 << 20;

    private static final String OID_RSA = "1.2.840.113549.1.1.1";
    private static final String OID_RSA_PSS = "1.2.840.113549.1.1.10";
    private static final String OID_EC = "1.2.840.10045.2.1";
    private static final String OID_DSA = "1.2.840.10040.4.1";
    private static final byte[] DER_OID_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] DER_OID_EC = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final String DECRYPT_HINT =
        "; the docker CLI cannot use encrypted keys either: decrypt it with 'openssl pkey -in KEY -out KEY.plain'";

    private Pem() {
    }

    /** One {@code -----BEGIN type-----} block: its RFC 1421 headers (legacy encryption) and decoded bytes. */
    record Block(String type, Map<String, String> headers, byte[] der, int line) {
    }

    // ------------------------------------------------------------------ files

    static byte[] readFile(Path file, String what) throws DockerException {
        try {
            if (Files.isDirectory(file)) throw new DockerException(file.toString(), what + ": is a directory, not a PEM file", 0, null);
            long size = Files.size(file);
            if (size > MAX_FILE) throw new DockerException(file.toString(), what + ": larger than " + MAX_FILE + " bytes, not a PEM file", 0, null);
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DockerException(file.toString(), what + " not found", 0, e);
        } catch (AccessDeniedException e) {
            throw new DockerException(file.toString(), what + ": cannot read (permission denied)", 0, e);
        } catch (IOException e) {
            throw new DockerException(file.toString(), what + ": cannot read: " + e.getMessage(), 0, e);
        }
    }

    /** All certificates of a PEM file (a CA bundle, or a client certificate followed by its intermediates). */
    static List<X509Certificate> certificates(Path file, String what) throws DockerException {
        return certificates(readFile(file, what), file.toString(), what);
    }

    static List<X509Certificate> certificates(byte[] content, String where, String what) throws DockerException {
        List<Block> blocks = parse(content, where, what, "openssl x509 -inform der -in FILE -out FILE.pem");
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        boolean keys = false;
        for (Block b : blocks) {
            if (b.type().equals("CERTIFICATE") || b.type().equals("X509 CERTIFICATE")) {
                try (InputStream in = new ByteArrayInputStream(b.der())) {
                    certs.add((X509Certificate) cf.generateCertificate(in));
                } catch (CertificateException | IOException | ClassCastException e) {
                    throw new DockerException(where, what + ": malformed certificate (the block at line " + b.line() + "): "
                        + rootMessage(e), 0, e);
                }
            } else if (b.type().endsWith("PRIVATE KEY")) {
                keys = true;
            }
        }
        if (certs.isEmpty()) {
            throw new DockerException(where, what + ": no certificate in it"
                + (keys ? " (it holds a private key: are the certificate and key files swapped?)" : " (no -----BEGIN CERTIFICATE----- block)"), 0, null);
        }
        return List.copyOf(certs);
    }

    /** The one private key of a PEM file. */
    static PrivateKey privateKey(Path file, String what) throws DockerException {
        return privateKey(readFile(file, what), file.toString(), what);
    }

    static PrivateKey privateKey(byte[] content, String where, String what) throws DockerException {
        List<Block> blocks = parse(content, where, what, "openssl pkey -inform der -in FILE -out FILE.pem");
        Block key = null;
        Block ecParameters = null;
        boolean certs = false;
        for (Block b : blocks) {
            if (b.type().endsWith("PRIVATE KEY")) {
                if (key != null) {
                    throw new DockerException(where, what + ": more than one private key (blocks at lines " + key.line() + " and " + b.line() + ")", 0, null);
                }
                key = b;
            } else if (b.type().equals("EC PARAMETERS")) {
                ecParameters = b;
            } else if (b.type().contains("CERTIFICATE")) {
                certs = true;
            }
        }
        if (key == null) {
            throw new DockerException(where, what + ": no private key in it"
                + (certs ? " (it holds a certificate: are the certificate and key files swapped?)" : " (no -----BEGIN PRIVATE KEY----- block)"), 0, null);
        }
        String proc = key.headers().getOrDefault("Proc-Type", "");
        if (proc.contains("ENCRYPTED")) {
            throw new DockerException(where, what + ": the key is encrypted (legacy PEM encryption, DEK-Info: "
                + key.headers().getOrDefault("DEK-Info", "?") + ")" + DECRYPT_HINT, 0, null);
        }
        try {
            return switch (key.type()) {
                case "PRIVATE KEY" -> pkcs8(key.der(), where, what);
                case "RSA PRIVATE KEY" -> pkcs1(key.der(), where, what);
                case "EC PRIVATE KEY" -> sec1(key.der(), ecParameters, where, what);
                case "ENCRYPTED PRIVATE KEY" -> throw new DockerException(where, what + ": the key is encrypted (PKCS#8 ENCRYPTED PRIVATE KEY)" + DECRYPT_HINT, 0, null);
                case "OPENSSH PRIVATE KEY" -> throw new DockerException(where, what
                    + ": an OpenSSH key, not a PEM TLS key (PKCS#8, PKCS#1 or SEC1); the TLS key is the one the client certificate was issued for", 0, null);
                case "DSA PRIVATE KEY" -> throw new DockerException(where, what + ": a DSA key; TLS to the Docker daemon needs an RSA, ECDSA or Ed25519 key", 0, null);
                default -> throw new DockerException(where, what + ": unsupported key block '" + key.type()
                    + "' (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)", 0, null);
            };
        } catch (Der.Malformed e) {
            throw new DockerException(where, what + ": malformed " + key.type() + " (the block at line " + key.line() + "): " + e.getMessage(), 0, e);
        }
    }

    // ------------------------------------------------------------------ key formats

    private static PrivateKey pkcs8(byte[] der, String where, String what) throws DockerException {
        // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, ... }
        Der top = Der.of(der).enter(0x30);
        top.next(0x02);
        Der alg = top.enter(0x30);
        String oid = Der.oid(alg.next(0x06));
        String algorithm = switch (oid) {
            case OID_RSA -> "RSA";
            case OID_RSA_PSS -> "RSASSA-PSS";
            case OID_EC -> "EC";
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            case OID_DSA -> throw new DockerException(where, what + ": a DSA key; TLS to the Docker daemon needs an RSA, ECDSA or Ed25519 key", 0, null);
            case "1.3.101.110", "1.3.101.111" -> throw new DockerException(where, what + ": an X25519/X448 key, which cannot sign; TLS needs an RSA, ECDSA or Ed25519 key", 0, null);
            default -> throw new DockerException(where, what + ": unsupported key algorithm (OID " + oid + ")", 0, null);
        };
        return generate(algorithm, der, "PKCS#8", where, what);
    }

    private static PrivateKey pkcs1(byte[] der, String where, String what) throws DockerException {
        // RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent, privateExponent, prime1, prime2, ... }
        Der seq = Der.of(der).enter(0x30);
        for (int i = 0; i < 6; i++) seq.next(0x02);
        byte[] info = Der.seq(Der.tlv(0x02, new byte[]{0}), Der.seq(DER_OID_RSA, DER_NULL), Der.tlv(0x04, der));
        return generate("RSA", info, "PKCS#1", where, what);
    }

    private static PrivateKey sec1(byte[] der, Block parametersBlock, String where, String what) throws DockerException {
        // ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING, [0] ECParameters OPTIONAL, [1] BIT STRING OPTIONAL }
        Der seq = Der.of(der).enter(0x30);
        seq.next(0x02);
        seq.next(0x04);
        byte[] curve = null;
        while (seq.more()) {
            Der.Tlv t = seq.next(-1);
            if (t.tag() == 0xa0) curve = t.value();
        }
        if (curve == null && parametersBlock != null) curve = parametersBlock.der();
        if (curve == null) {
            throw new DockerException(where, what + ": the EC PRIVATE KEY names no curve (no parameters in it and no EC PARAMETERS block)", 0, null);
        }
        Der.Tlv named = Der.of(curve).next(-1);
        if (named.tag() != 0x06) {
            throw new DockerException(where, what + ": the EC key has explicit curve parameters; only named curves are supported "
                + "(rewrite it with 'openssl pkey -in KEY -out KEY.pk8')", 0, null);
        }
        byte[] info = Der.seq(Der.tlv(0x02, new byte[]{0}), Der.seq(DER_OID_EC, named.encoded()), Der.tlv(0x04, der));
        return generate("EC", info, "SEC1", where, what);
    }

    private static PrivateKey generate(String algorithm, byte[] pkcs8, String format, String where, String what) throws DockerException {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DockerException(where, what + ": malformed " + format + " " + algorithm + " key: " + rootMessage(e), 0, e);
        }
    }

    // ------------------------------------------------------------------ certificate and key

    /**
     * Fails unless {@code key} is the private key of {@code cert}'s public key: RSA by modulus, the others by a
     * signature made with the key and checked with the certificate.
     */
    static void checkPair(X509Certificate cert, String certWhere, PrivateKey key, String keyWhere) throws DockerException {
        PublicKey pub = cert.getPublicKey();
        boolean match;
        if (pub instanceof RSAKey rp && key instanceof RSAKey rk) {
            match = rp.getModulus().equals(rk.getModulus());
        } else if (family(pub.getAlgorithm()).equals(family(key.getAlgorithm()))) {
            match = signs(pub, key);
        } else {
            match = false;
        }
        if (!match) {
            String c = describe(pub);
            String k = describe(key);
            throw new DockerException(certWhere, "the client certificate does not match its key " + keyWhere
                + ": the certificate (" + cert.getSubjectX500Principal().getName() + ") holds an " + c + " public key, the key file "
                + (c.equals(k) ? "another " + k + " key" : "an " + k + " key"), 0, null);
        }
    }

    private static String family(String algorithm) {
        return switch (algorithm) {
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            case "RSASSA-PSS" -> "RSA";
            default -> algorithm;
        };
    }

    private static boolean signs(PublicKey pub, PrivateKey key) {
        String alg = family(key.getAlgorithm()).equals("EdDSA") ? "EdDSA" : key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : null;
        if (alg == null) return false;
        try {
            byte[] data = "bulwark: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(data);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false; // a key on another curve cannot even be used with this certificate
        }
    }

    static String describe(java.security.Key k) {
        if (k instanceof RSAKey r) return "RSA " + r.getModulus().bitLength() + "-bit";
        if (k instanceof ECKey e) {
            String curve = e.getParams().toString();
            int cut = curve.indexOf(' ');
            return "EC " + (cut > 0 ? curve.substring(0, cut) : curve);
        }
        return k.getAlgorithm();
    }

    // ------------------------------------------------------------------ PEM text

    static List<Block> parse(byte[] content, String where, String what, String derHint) throws DockerException {
        if (content.length == 0) throw new DockerException(where, what + ": the file is empty", 0, null);
        if ((content[0] & 0xff) == 0x30) {
            throw new DockerException(where, what + ": DER (binary), not PEM; convert it with '" + derHint + "'", 0, null);
        }
        String[] lines = new String(content, StandardCharsets.ISO_8859_1).split("\r\n|\r|\n", -1);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith("-----BEGIN ")) continue;
            if (!line.endsWith("-----") || line.length() < "-----BEGIN -----".length()) {
                throw new DockerException(where, what + ": malformed PEM: bad BEGIN line " + (i + 1), 0, null);
            }
            String type = line.substring("-----BEGIN ".length(), line.length() - 5);
            int begin = i;
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder b64 = new StringBuilder();
            boolean ended = false;
            boolean body = false;
            for (i++; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.startsWith("-----END ")) {
                    if (!l.equals("-----END " + type + "-----")) {
                        throw new DockerException(where, what + ": malformed PEM: '" + l + "' at line " + (i + 1)
                            + " closes '-----BEGIN " + type + "-----' of line " + (begin + 1), 0, null);
                    }
                    ended = true;
                    break;
                }
                if (l.startsWith("-----BEGIN ")) break;
                int colon = l.indexOf(':');
                if (!body && colon > 0) {
                    headers.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
                    continue;
                }
                if (!l.isEmpty()) body = true;
                b64.append(l);
            }
            if (!ended) {
                throw new DockerException(where, what + ": malformed PEM: '-----BEGIN " + type + "-----' at line " + (begin + 1)
                    + " has no END line (truncated file?)", 0, null);
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(b64.toString());
            } catch (IllegalArgumentException e) {
                throw new DockerException(where, what + ": malformed PEM: bad base64 in the " + type + " block at line " + (begin + 1)
                    + " (" + e.getMessage() + ")", 0, e);
            }
            if (der.length == 0) {
                throw new DockerException(where, what + ": malformed PEM: the " + type + " block at line " + (begin + 1) + " is empty", 0, null);
            }
            blocks.add(new Block(type, Map.copyOf(headers), der, begin + 1));
        }
        if (blocks.isEmpty()) {
            throw new DockerException(where, what + ": not PEM (no -----BEGIN ...----- line)", 0, null);
        }
        return blocks;
    }

    static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) r = r.getCause();
        String m = r.getMessage();
        return m == null || m.isBlank() ? r.getClass().getSimpleName() : m.strip().replace('\n', ' ');
    }

    // ------------------------------------------------------------------ DER, just enough for key wrappers

    /** A cursor over a sequence of DER TLVs. */
    static final class Der {
        /** Bad DER; becomes a "malformed" DockerException. */
        static final class Malformed extends RuntimeException {
            Malformed(String message) {
                super(message);
            }
        }

        record Tlv(int tag, byte[] source, int start, int valueStart, int end) {
            byte[] value() {
                return java.util.Arrays.copyOfRange(source, valueStart, end);
            }

            byte[] encoded() {
                return java.util.Arrays.copyOfRange(source, start, end);
            }
        }

        private final byte[] b;
        private int pos;
        private final int end;

        private Der(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        static Der of(byte[] b) {
            return new Der(b, 0, b.length);
        }

        boolean more() {
            return pos < end;
        }

        /** The next TLV; {@code tag} -1 accepts any. */
        Tlv next(int tag) {
            if (pos + 2 > end) throw new Malformed("truncated DER");
            int start = pos;
            int t = b[pos++] & 0xff;
            if ((t & 0x1f) == 0x1f) throw new Malformed("unsupported DER tag");
            int len = b[pos++] & 0xff;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 4 || pos + n > end) throw new Malformed("bad DER length");
                len = 0;
                for (int i = 0; i < n; i++) len = (len << 8) | (b[pos++] & 0xff);
                if (len < 0) throw new Malformed("bad DER length");
            }
            if (len > end - pos) throw new Malformed("truncated DER");
            int vs = pos;
            pos += len;
            if (tag >= 0 && t != tag) {
                throw new Malformed(String.format("expected DER tag 0x%02x, found 0x%02x", tag, t));
            }
            return new Tlv(t, b, start, vs, pos);
        }

        /** The contents of the next TLV (a SEQUENCE), as a cursor. */
        Der enter(int tag) {
            Tlv t = next(tag);
            return new Der(b, t.valueStart(), t.end());
        }

        static String oid(Tlv t) {
            byte[] v = t.value();
            if (v.length == 0) throw new Malformed("empty OID");
            StringBuilder s = new StringBuilder();
            long acc = 0;
            boolean first = true;
            for (byte x : v) {
                acc = (acc << 7) | (x & 0x7f);
                if (acc > (1L << 56)) throw new Malformed("OID arc too large");
                if ((x & 0x80) == 0) {
                    if (first) {
                        long a = Math.min(acc / 40, 2);
                        s.append(a).append('.').append(acc - 40 * a);
                        first = false;
                    } else {
                        s.append('.').append(acc);
                    }
                    acc = 0;
                }
            }
            if ((v[v.length - 1] & 0x80) != 0) throw new Malformed("truncated OID");
            return s.toString();
        }

        static byte[] tlv(int tag, byte[] value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
            out.write(tag);
            int len = value.length;
            if (len < 0x80) {
                out.write(len);
            } else {
                int n = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
                out.write(0x80 | n);
                for (int i = n - 1; i >= 0; i--) out.write(len >>> (8 * i));
            }
            out.writeBytes(value);
            return out.toByteArray();
        }

        static byte[] seq(byte[]... parts) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (byte[] p : parts) body.writeBytes(p);
            return tlv(0x30, body.toByteArray());
        }
    }
}

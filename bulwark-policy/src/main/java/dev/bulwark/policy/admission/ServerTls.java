package dev.bulwark.policy.admission;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The webhook's TLS identity from the PEM files Kubernetes tooling produces (a Secret of type kubernetes.io/tls,
 * cert-manager, openssl): a certificate chain and an unencrypted key, PKCS#8 ("PRIVATE KEY": RSA, EC, Ed25519) or
 * PKCS#1 ("RSA PRIVATE KEY"). A SEC1 EC key is refused with the command that converts it.
 */
final class ServerTls {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final int MAX_FILE = 1 << 20;

    private ServerTls() {
    }

    /** Thrown with what is wrong and with which file. */
    static final class Problem extends Exception {
        Problem(String message) {
            super(message);
        }
    }

    static SSLContext context(Path certFile, Path keyFile) throws Problem {
        Certificate[] chain = certificates(certFile);
        PrivateKey key = key(keyFile);
        if (!fits(key, chain[0].getPublicKey())) {
            throw new Problem(keyFile + ": the key does not fit the certificate " + certFile
                + " (the first certificate must be the server's own, issued for this key)");
        }
        try {
            char[] pass = "bulwark".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("webhook", key, pass, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new Problem(keyFile + ": the key does not fit the certificate " + certFile + ": " + e.getMessage());
        }
    }

    /** Whether the private key belongs to the public key: a signature made with one verifies with the other. */
    private static boolean fits(PrivateKey key, java.security.PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) return false;
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) return true; // let the TLS handshake find out
        try {
            byte[] probe = "bulwark key check".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature sig = java.security.Signature.getInstance(alg);
            sig.initSign(key);
            sig.update(probe);
            byte[] signed = sig.sign();
            sig.initVerify(pub);
            sig.update(probe);
            return sig.verify(signed);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static Certificate[] certificates(Path file) throws Problem {
        byte[] pem = read(file);
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            if (certs.isEmpty()) throw new Problem(file + ": no certificate in it (expected -----BEGIN CERTIFICATE-----)");
            return certs.toArray(new Certificate[0]);
        } catch (GeneralSecurityException e) {
            throw new Problem(file + ": not a PEM certificate: " + e.getMessage());
        }
    }

    static PrivateKey key(Path file) throws Problem {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) continue;
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("(?m)^[A-Za-z-]+:.*$", ""));
            } catch (IllegalArgumentException e) {
                throw new Problem(file + ": the " + type + " block is not valid base64");
            }
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(file, der);
                case "RSA PRIVATE KEY" -> {
                    if (m.group(2).contains("ENCRYPTED")) throw new Problem(file + ": the key is encrypted; decrypt it with 'openssl pkey -in KEY -out KEY.plain'");
                    yield pkcs8(file, wrapPkcs1(der));
                }
                case "EC PRIVATE KEY" -> throw new Problem(file + ": a SEC1 EC key; convert it to PKCS#8 with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
                case "ENCRYPTED PRIVATE KEY" -> throw new Problem(file + ": the key is encrypted; decrypt it with 'openssl pkey -in KEY -out KEY.plain'");
                default -> throw new Problem(file + ": unsupported key block " + type);
            };
        }
        throw new Problem(file + ": no private key in it (expected -----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws Problem {
        for (String alg : new String[]{"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | ClassCastException e) {
                // try the next algorithm
            }
        }
        throw new Problem(file + ": the PRIVATE KEY block is not an RSA, EC or Ed25519 PKCS#8 key");
    }

    /** PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL), which the JDK reads. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = tlv(0x04, pkcs1);
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(version);
        inner.writeBytes(algId);
        inner.writeBytes(octet);
        return tlv(0x30, inner.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(tag);
        int n = value.length;
        if (n < 0x80) {
            o.write(n);
        } else if (n < 0x100) {
            o.write(0x81);
            o.write(n);
        } else if (n < 0x10000) {
            o.write(0x82);
            o.write(n >> 8);
            o.write(n & 0xff);
        } else {
            o.write(0x83);
            o.write(n >> 16);
            o.write((n >> 8) & 0xff);
            o.write(n & 0xff);
        }
        o.writeBytes(value);
        return o.toByteArray();
    }

    private static byte[] read(Path file) throws Problem {
        try {
            if (!Files.isRegularFile(file)) throw new Problem(file + ": not found or not a file");
            if (Files.size(file) > MAX_FILE) throw new Problem(file + ": larger than 1 MiB, not a PEM file");
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Problem(file + ": cannot read: " + e.getMessage());
        }
    }
}

package dev.bulwark.server.api;

import dev.bulwark.server.ServerException;
import java.io.ByteArrayInputStream;
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
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/** A key store for Jetty from PEM files as Kubernetes TLS secrets hold them (tls.crt chain, tls.key PKCS#8). */
public final class Tls {
    static final char[] PASSWORD = "bulwark".toCharArray();

    private Tls() {
    }

    public static KeyStore keyStore(Path certFile, Path keyFile) throws ServerException {
        Collection<? extends Certificate> chain;
        try (ByteArrayInputStream in = new ByteArrayInputStream(Files.readAllBytes(certFile))) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new ServerException(certFile.toString(), "cannot read the TLS certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) throw new ServerException(certFile.toString(), "no PEM certificate in the file", null);
        String pem;
        try {
            pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ServerException(keyFile.toString(), "cannot read the TLS key: " + e.getMessage(), e);
        }
        int b = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int e = pem.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < b) {
            throw new ServerException(keyFile.toString(), "not an unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----);"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8", null);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(b + 27, e));
        } catch (IllegalArgumentException x) {
            throw new ServerException(keyFile.toString(), "the PEM key is not valid base64", x);
        }
        PrivateKey key = null;
        for (String alg : new String[]{"EC", "RSA", "Ed25519"}) {
            try {
                key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        if (key == null) throw new ServerException(keyFile.toString(), "the key is neither EC, RSA nor Ed25519", null);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("bulwark", key, PASSWORD, chain.toArray(new Certificate[0]));
            return ks;
        } catch (IOException | GeneralSecurityException x) {
            throw new ServerException(keyFile.toString(), "the key does not go with the certificate: " + x.getMessage(), x);
        }
    }
}

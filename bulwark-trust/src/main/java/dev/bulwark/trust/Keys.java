package dev.bulwark.trust;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Set;

/**
 * ECDSA P-256 signing keys. The private key is written as a standard passphrase-encrypted PKCS#8 PEM ("ENCRYPTED
 * PRIVATE KEY": PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC), which openssl and every JDK read; cosign's own
 * "ENCRYPTED SIGSTORE PRIVATE KEY" (scrypt + secretbox) is read, so cosign's keys sign here, but not written. Private key files must be private: one that
 * group or others may read is refused, as ssh refuses it, because a key that leaked is not a key.
 */
public final class Keys {
    static final int MAX_KEY_FILE = 64 << 10;
    /** Used by instance, never registered: the JDK's providers stay the process's defaults. */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private Keys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256", e);
        }
    }

    /**
     * Writes {@code PREFIX.key} (mode 0600, encrypted) and {@code PREFIX.pub}; refuses to overwrite either, and an
     * empty passphrase (an unencrypted key on disk is what the passphrase exists to prevent).
     */
    public static void write(KeyPair pair, Path privateFile, Path publicFile, char[] passphrase) throws TrustException {
        if (passphrase == null || passphrase.length == 0)
            throw new TrustException(privateFile.toString(), "an empty passphrase is refused: the private key is stored encrypted");
        for (Path p : new Path[]{privateFile, publicFile})
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new TrustException(p.toString(), "already exists; not overwritten");
        String priv = privatePem(pair.getPrivate(), passphrase);
        String pub = publicPem(pair.getPublic());
        writeNew(privateFile, priv, PosixFilePermissions.fromString("rw-------"));
        writeNew(publicFile, pub, PosixFilePermissions.fromString("rw-r--r--"));
    }

    static String privatePem(PrivateKey key, char[] passphrase) throws TrustException {
        try {
            var enc = new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC)
                    .setPRF(org.bouncycastle.asn1.x509.AlgorithmIdentifier.getInstance(
                            new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_hmacWithSHA256,
                                    org.bouncycastle.asn1.DERNull.INSTANCE)))
                    .setIterationCount(600_000).setRandom(new SecureRandom()).setPassword(passphrase).setProvider(BC).build();
            var gen = new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, enc);
            return pem(gen.generate());
        } catch (OperatorCreationException | IOException e) {
            throw new TrustException("private key", "cannot encrypt: " + e.getMessage(), e);
        }
    }

    public static String publicPem(PublicKey key) {
        return pem(new PemObject("PUBLIC KEY", key.getEncoded()));
    }

    private static String pem(PemObject o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    private static void writeNew(Path file, String text, Set<PosixFilePermission> perms) throws TrustException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".bulwark-key", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(tmp, perms);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw new TrustException(file.toString(), "already exists; not overwritten");
        } catch (IOException | UnsupportedOperationException e) {
            throw new TrustException(file.toString(), "cannot write: " + e.getMessage(), e);
        } finally {
            if (tmp != null) try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: a temp file of ours
            }
        }
    }

    /** Reads an encrypted private key; refuses loose permissions, a wrong passphrase and anything but P-256. */
    public static PrivateKey readPrivate(Path file, char[] passphrase) throws TrustException {
        String where = file.toString();
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : perms) {
                if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE && p != PosixFilePermission.OWNER_EXECUTE)
                    throw new TrustException(where, "private key is readable by others (mode " + PosixFilePermissions.toString(perms)
                            + "); refused: chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new TrustException(where, "cannot read: " + e.getMessage(), e);
        }
        return parsePrivate(read(file), passphrase, where);
    }

    static PrivateKey parsePrivate(String pem, char[] passphrase, String where) throws TrustException {
        if (CosignKeys.isCosignKey(pem)) {
            if (passphrase == null) throw new TrustException(where, "private key needs a passphrase");
            PrivateKey k = CosignKeys.decrypt(pem, passphrase, where);
            if (!(k instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256)
                throw new TrustException(where, "not an ECDSA P-256 key");
            return k;
        }
        Object o = parsePem(pem, where);
        if (!(o instanceof PKCS8EncryptedPrivateKeyInfo enc)) {
            throw new TrustException(where, o instanceof PrivateKeyInfo || o instanceof org.bouncycastle.openssl.PEMKeyPair
                    ? "private key is not encrypted; refused (make one with 'bulwark key generate')"
                    : "not an encrypted private key (expected 'ENCRYPTED PRIVATE KEY' PEM)");
        }
        if (passphrase == null) throw new TrustException(where, "private key needs a passphrase");
        try {
            PrivateKeyInfo info = enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase));
            PrivateKey k = new JcaPEMKeyConverter().getPrivateKey(info);
            if (!(k instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256)
                throw new TrustException(where, "not an ECDSA P-256 key");
            return k;
        } catch (PKCSException | OperatorCreationException e) {
            throw new TrustException(where, "wrong passphrase (or a damaged key file)");
        } catch (IOException | RuntimeException e) {
            throw new TrustException(where, "unreadable private key: " + e.getMessage());
        }
    }

    public static PublicKey readPublic(Path file) throws TrustException {
        return parsePublic(read(file), file.toString());
    }

    public static PublicKey parsePublic(String pem, String where) throws TrustException {
        Object o = parsePem(pem, where);
        try {
            PublicKey k;
            if (o instanceof SubjectPublicKeyInfo spki) k = new JcaPEMKeyConverter().getPublicKey(spki);
            else if (o instanceof org.bouncycastle.cert.X509CertificateHolder cert)
                k = new JcaPEMKeyConverter().getPublicKey(cert.getSubjectPublicKeyInfo());
            else throw new TrustException(where, "not a public key (expected 'PUBLIC KEY' PEM)");
            if (!(k instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256)
                throw new TrustException(where, "not an ECDSA P-256 public key");
            return k;
        } catch (IOException | RuntimeException e) {
            throw new TrustException(where, "unreadable public key: " + e.getMessage());
        }
    }

    private static Object parsePem(String pem, String where) throws TrustException {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o == null) throw new TrustException(where, "no PEM block found");
            return o;
        } catch (IOException | RuntimeException e) {
            throw new TrustException(where, "malformed PEM: " + e.getMessage());
        }
    }

    private static String read(Path file) throws TrustException {
        try {
            if (!Files.isRegularFile(file)) throw new TrustException(file.toString(), "no such key file");
            if (Files.size(file) > MAX_KEY_FILE) throw new TrustException(file.toString(), "too large for a key file");
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new TrustException(file.toString(), "not a PEM file (binary content)");
        } catch (IOException e) {
            throw new TrustException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }
}

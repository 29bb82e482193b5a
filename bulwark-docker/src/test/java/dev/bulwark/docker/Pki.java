package dev.bulwark.docker;

import dev.bulwark.docker.testenv.Components;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Keys and certificates made by openssl in a test directory, in the formats users have. */
final class Pki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffffffL);

    /** How openssl writes a private key; each names the PEM layout it produces. */
    enum KeyKind {
        /** {@code -----BEGIN PRIVATE KEY-----}, RSA. */
        PKCS8_RSA("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "%s"),
        /** {@code -----BEGIN RSA PRIVATE KEY-----}. */
        PKCS1_RSA("genrsa", "-traditional", "-out", "%s", "2048"),
        /** {@code -----BEGIN EC PARAMETERS-----} then {@code -----BEGIN EC PRIVATE KEY-----} (P-256). */
        SEC1_EC("ecparam", "-name", "prime256v1", "-genkey", "-out", "%s"),
        /** {@code -----BEGIN EC PRIVATE KEY-----} alone (P-384). */
        SEC1_EC_NOOUT("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "%s"),
        /** {@code -----BEGIN PRIVATE KEY-----}, EC P-256. */
        PKCS8_EC("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "%s"),
        /** {@code -----BEGIN PRIVATE KEY-----}, Ed25519. */
        PKCS8_ED25519("genpkey", "-algorithm", "ED25519", "-out", "%s");

        private final String[] args;

        KeyKind(String... args) {
            this.args = args;
        }
    }

    private final Path dir;

    Pki(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir() {
        return dir;
    }

    Path key(String name, KeyKind kind) {
        Path f = dir.resolve(name + ".key");
        String[] a = kind.args.clone();
        for (int i = 0; i < a.length; i++) a[i] = a[i].replace("%s", f.toString());
        Components.openssl(dir, a);
        return f;
    }

    /** A self-signed CA: {@code name.pem} (and {@code name.key}, EC P-256). */
    Path ca(String name, String cn) {
        Path key = key(name, KeyKind.PKCS8_EC);
        Path pem = dir.resolve(name + ".pem");
        Components.openssl(dir, "req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=" + cn, "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-out", pem.toString());
        return pem;
    }

    /** A self-signed leaf for {@code key}, with the given extensions (may be empty). */
    Path selfSigned(String name, Path key, String cn, String extensions) {
        Path pem = dir.resolve(name + ".pem");
        Path ext = writeExt(name, extensions);
        Components.openssl(dir, "req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=" + cn, "-days", "2",
            "-config", ext.toString(), "-extensions", "ext", "-out", pem.toString());
        return pem;
    }

    /** A certificate for {@code key} signed by CA {@code ca} ({@code ca.pem} + {@code ca.key}). */
    Path issue(String name, String ca, Path key, String cn, String extensions) {
        Path csr = dir.resolve(name + ".csr");
        Path pem = dir.resolve(name + ".pem");
        Components.openssl(dir, "req", "-new", "-key", key.toString(), "-subj", "/CN=" + cn, "-out", csr.toString());
        Path ext = writeExt(name, extensions);
        Components.openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(ca + ".pem").toString(),
            "-CAkey", dir.resolve(ca + ".key").toString(), "-set_serial", Long.toString(SERIAL.incrementAndGet()),
            "-days", "2", "-extfile", ext.toString(), "-extensions", "ext", "-out", pem.toString());
        return pem;
    }

    private Path writeExt(String name, String extensions) {
        Path ext = dir.resolve(name + ".cnf");
        try {
            Files.writeString(ext, "[req]\ndistinguished_name=dn\n[dn]\n[ext]\n" + extensions.replace(";", "\n") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ext;
    }

    /** Copies {@code ca}, {@code cert} and {@code key} (any may be null) into {@code dir/sub} as ca.pem, cert.pem, key.pem. */
    Path certDir(String sub, Path ca, Path cert, Path key) {
        Path d = dir.resolve(sub);
        try {
            Files.createDirectories(d);
            if (ca != null) Files.copy(ca, d.resolve("ca.pem"));
            if (cert != null) Files.copy(cert, d.resolve("cert.pem"));
            if (key != null) Files.copy(key, d.resolve("key.pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }
}

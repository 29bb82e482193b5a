package dev.bulwark.scan.os.rpm;

import dev.bulwark.model.Package;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.os.Findings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * RPM packages from rpm's package database in any of its three formats, told apart by content: sqlite (rpm >= 4.16:
 * RHEL 9, Fedora 33+, Amazon Linux 2023), Berkeley DB hash (RHEL/CentOS <= 8, Amazon Linux 2, older SUSE) and ndb
 * (SUSE since 2021). Each yields header blobs, decoded by {@link RpmHeader}.
 */
public final class RpmAnalyzer implements Analyzer {
    private static final Set<String> FILES = Set.of("/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite",
            "/var/lib/rpm/Packages", "/usr/lib/sysimage/rpm/Packages", "/var/lib/rpm/Packages.db",
            "/usr/lib/sysimage/rpm/Packages.db");
    /** Large RHEL systems have package databases of a few hundred MiB. */
    static final long MAX_DB = 1L << 30;
    /** rpm allows 256 MiB headers; real ones (file lists included) stay below a few MiB. */
    static final int MAX_HEADER = 32 << 20;

    @Override
    public String type() {
        return "rpm";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public boolean packageDatabase() {
        return true;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return FILES.contains(path);
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        if (in.size() > MAX_DB) return FileResult.warning(type(), in.path(), in.size() + " bytes, over the " + MAX_DB + "-byte limit; not read");
        Findings out = new Findings(type(), in.path());
        ByteBuffer head;
        try (SeekableByteChannel ch = in.channel()) {
            head = ByteBuffer.allocate(16);
            while (head.hasRemaining() && ch.read(head) > 0) {
                // fill
            }
            head.flip();
            if (BerkeleyDb.isHash(head.duplicate())) {
                BerkeleyDb.read(ch, MAX_HEADER, (where, blob) -> add(blob, where, out), out::warn);
                return out.toResult();
            }
            if (Ndb.isNdb(head.duplicate())) {
                Ndb.read(ch, MAX_HEADER, (where, blob) -> add(blob, where, out), out::warn);
                return out.toResult();
            }
        }
        byte[] magic = new byte[head.limit()];
        head.get(magic);
        if (!Arrays.equals(magic, SqliteRpmDb.MAGIC)) {
            out.warn("not an rpm database: neither sqlite, Berkeley DB nor ndb");
            return out.toResult();
        }
        // sqlite reads files only: a private copy, removed right after.
        Path tmp = Files.createTempFile("bulwark-rpmdb-", ".sqlite");
        try {
            copy(in, tmp);
            SqliteRpmDb.read(tmp, MAX_HEADER, (where, blob) -> add(blob, where, out), out::warn);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return out.toResult();
    }

    /** Copies the input, stopping at {@link #MAX_DB} bytes even if the stream is longer than its declared size. */
    private static void copy(FileInput in, Path to) throws IOException {
        try (InputStream s = in.open(); OutputStream o = Files.newOutputStream(to)) {
            byte[] buf = new byte[1 << 16];
            long copied = 0;
            for (int n; (n = s.read(buf)) > 0; ) {
                if ((copied += n) > MAX_DB) throw new IOException(in.path() + " grew past " + MAX_DB + " bytes while being copied");
                o.write(buf, 0, n);
            }
        }
    }

    /** Decodes one header blob into a package and its files; a damaged header is a warning, not the end. */
    static void add(byte[] blob, String where, Findings out) {
        try {
            RpmHeader h = RpmHeader.parse(blob);
            Package p = RpmPackages.toPackage(h, out.path());
            if (p == null) return;
            out.add(p);
            out.own(p.name(), RpmPackages.files(h));
        } catch (IllegalArgumentException e) {
            out.warn(where + ": " + e.getMessage() + "; skipped");
        }
    }
}

package dev.bulwark.scan.lang.java;

import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.lang.Purls;
import dev.bulwark.scan.lang.java.JavaMetadata.Gav;
import dev.bulwark.scan.lang.java.ZipSupport.LimitReached;
import dev.bulwark.scan.lang.java.ZipSupport.Meter;
import dev.bulwark.scan.lang.java.ZipSupport.Slice;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;

/**
 * Walks one Java archive and the archives nested in it (Spring Boot's BOOT-INF/lib, WEB-INF/lib, ears), without
 * unpacking to disk. Each archive is read through its central directory when it can be (only the metadata entries
 * are inflated, not the classes): the top one and STORED nested ones in place on the outer channel, small deflated
 * ones in memory. Large deflated nested archives, and archives whose central directory is too big to hold, are
 * streamed instead.
 *
 * <p>Everything is bounded per top archive: nesting depth, entries, nested archives, bytes inflated (a zip bomb
 * stops the walk with a warning; what was found before is kept), metadata entry size.
 */
final class JarReader {
    /** The top archive is depth 0; "to depth 4" means outer.jar!/a.jar!/b.jar!/c.jar!/d.jar. */
    static final int MAX_DEPTH = 4;
    static final int MAX_META = 1 << 20;
    /** commons-compress keeps every central directory entry in memory (a few hundred bytes each). */
    static final long MAX_DIRECTORY_ENTRIES = 300_000;
    static final long MAX_ENTRIES = 1_000_000;
    static final int MAX_ARCHIVES = 10_000;
    static final int IN_MEMORY = 16 << 20;
    static final long MAX_INFLATED = 2L << 30;

    private final String imagePath;
    private final Meter meter;
    private final List<String> warnings = new ArrayList<>();
    /** GAV → package; the shallowest occurrence wins, so an archive's own artifact is not reported again from inside. */
    private final Map<String, Found> found = new LinkedHashMap<>();
    private long entries;
    private int archives;

    private record Found(Package pkg, int depth) {
    }

    JarReader(String imagePath) {
        this(imagePath, MAX_INFLATED);
    }

    JarReader(String imagePath, long maxInflated) {
        this.imagePath = imagePath;
        this.meter = new Meter(maxInflated);
    }

    List<Package> packages() {
        return found.values().stream().map(Found::pkg).toList();
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Reads the top archive; {@code sha1} is its own, computed by the caller as it streamed the file. */
    void read(SeekableByteChannel ch, String sha1) {
        try {
            randomAccess(ch, imagePath, 0, sha1);
        } catch (LimitReached e) {
            warnings.add(imagePath + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ one archive, through its central directory

    private void randomAccess(SeekableByteChannel ch, String location, int depth, String sha1) throws LimitReached {
        Level level = new Level(location, depth);
        List<ZipArchiveEntry> nested = new ArrayList<>();
        try {
            long declared = ZipSupport.declaredEntries(ch);
            if (declared < 0) {
                warnings.add(location + ": not a zip archive (no end of central directory)");
                return;
            }
            if (declared > MAX_DIRECTORY_ENTRIES) {
                warnings.add(location + ": central directory declares " + declared + " entries; read as a stream instead");
                ch.position(0);
                streaming(Channels.newInputStream(ch), location, depth);
                return;
            }
            try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(ch).setIgnoreLocalFileHeader(true).get()) {
                for (Enumeration<ZipArchiveEntry> en = zip.getEntries(); en.hasMoreElements(); ) {
                    ZipArchiveEntry e = en.nextElement();
                    countEntry();
                    if (e.isDirectory()) continue;
                    if (Level.isMetadata(e.getName())) {
                        try (InputStream in = zip.getInputStream(e)) {
                            level.metadata(e.getName(), bounded(meter.meter(in), e.getName()));
                        } catch (LimitReached x) {
                            throw x;
                        } catch (IOException | RuntimeException x) {
                            warnings.add(location + "!/" + e.getName() + ": " + message(x));
                        }
                    } else if (isArchive(e.getName())) {
                        nested.add(e);
                    }
                }
                // The archive's own packages first, then what is nested in it.
                level.finish(sha1);
                for (ZipArchiveEntry e : nested) nested(zip, ch, e, location + "!/" + e.getName(), depth + 1);
            }
        } catch (LimitReached e) {
            level.finish(null);
            throw e;
        } catch (IOException | RuntimeException e) {
            // commons-compress reports broken archives with IOExceptions and, for some, IllegalArgumentException
            warnings.add(location + ": not a readable zip archive (" + message(e) + ")");
            level.finish(sha1);
        }
    }

    private void nested(ZipFile zip, SeekableByteChannel outer, ZipArchiveEntry e, String location, int depth) throws LimitReached {
        if (depth > MAX_DEPTH) {
            warnings.add(location + ": nested more than " + MAX_DEPTH + " archives deep, not read");
            return;
        }
        if (++archives > MAX_ARCHIVES) throw new LimitReached("more than " + MAX_ARCHIVES + " nested archives");
        try {
            if (e.getMethod() == ZipEntry.STORED && !e.getGeneralPurposeBit().usesEncryption()) {
                InputStream raw = zip.getRawInputStream(e); // resolves the entry's data offset
                if (raw != null) raw.close();
                long offset = e.getDataOffset(), size = e.getCompressedSize();
                if (offset >= 0 && size >= 0 && offset + size <= outer.size()) {
                    Slice slice = new Slice(outer, offset, size);
                    String sha1 = sha1(slice);
                    slice.position(0);
                    randomAccess(slice, location, depth, sha1);
                    return;
                }
            }
            if (e.getSize() >= 0 && e.getSize() <= IN_MEMORY) {
                byte[] content;
                try (InputStream in = zip.getInputStream(e)) {
                    content = meter.meter(in).readNBytes(IN_MEMORY + 1);
                }
                if (content.length <= IN_MEMORY) {
                    randomAccess(new SeekableInMemoryByteChannel(content), location, depth, hex(digest().digest(content)));
                    return;
                }
                // the declared size lied: stream it like a large one
            }
            try (InputStream in = zip.getInputStream(e)) {
                streaming(meter.meter(in), location, depth);
            }
        } catch (LimitReached x) {
            throw x;
        } catch (IOException | RuntimeException x) {
            warnings.add(location + ": " + message(x));
        }
    }

    // ------------------------------------------------------------------ one archive, as a stream

    private void streaming(InputStream raw, String location, int depth) throws LimitReached {
        Level level = new Level(location, depth);
        MessageDigest digest = digest();
        DigestInputStream all = new DigestInputStream(raw, digest);
        boolean complete = false;
        // allowStoredEntriesWithDataDescriptor: jars written by some tools have them. Closing it closes only
        // metered streams (which leave what is under them open) or a channel nobody reads after.
        try (ZipArchiveInputStream zin = new ZipArchiveInputStream(all, "UTF-8", true, true)) {
            ZipArchiveEntry e;
            while ((e = zin.getNextEntry()) != null) {
                countEntry();
                if (e.isDirectory()) continue;
                InputStream entry = meter.meter(zin);
                String name = e.getName();
                if (Level.isMetadata(name)) {
                    level.metadata(name, bounded(entry, name));
                } else if (isArchive(name)) {
                    if (depth + 1 > MAX_DEPTH) warnings.add(location + "!/" + name + ": nested more than " + MAX_DEPTH + " archives deep, not read");
                    else if (++archives > MAX_ARCHIVES) throw new LimitReached("more than " + MAX_ARCHIVES + " nested archives");
                    else streaming(entry, location + "!/" + name, depth + 1);
                }
                // Skipping an entry inflates it anyway: through the meter, so a bomb inside is caught.
                entry.transferTo(OutputStream.nullOutputStream());
            }
            meter.meter(all).transferTo(OutputStream.nullOutputStream()); // the central directory, for the sha1
            complete = true;
        } catch (LimitReached e) {
            level.finish(null);
            throw e;
        } catch (IOException | RuntimeException e) {
            warnings.add(location + ": not a readable zip stream (" + message(e) + ")");
        }
        level.finish(complete ? hex(digest.digest()) : null);
    }

    // ------------------------------------------------------------------ packages of one archive

    /** The metadata of one archive (not of those nested in it), turned into packages when the archive is done. */
    private final class Level {
        private final String location;
        private final int depth;
        private final Map<String, Gav> poms = new LinkedHashMap<>();
        private final Map<String, List<String>> pomLicenses = new LinkedHashMap<>();
        private byte[] manifest;
        private boolean finished;

        Level(String location, int depth) {
            this.location = location;
            this.depth = depth;
        }

        static boolean isMetadata(String name) {
            return name.equals("META-INF/MANIFEST.MF") || name.startsWith("META-INF/maven/")
                    && (name.endsWith("/pom.properties") || name.endsWith("/pom.xml"));
        }

        void metadata(String name, byte[] content) {
            if (name.equals("META-INF/MANIFEST.MF")) {
                manifest = content;
            } else if (name.endsWith("/pom.properties")) {
                Gav g = JavaMetadata.pomProperties(content);
                if (g != null) poms.put(name.substring(0, name.length() - "pom.properties".length()), g);
            } else {
                List<String> l = JavaMetadata.pomLicenses(JavaMetadata.utf8(content));
                if (!l.isEmpty()) pomLicenses.put(name.substring(0, name.length() - "pom.xml".length()), l);
            }
        }

        /** Once: a walk stopped part-way still reports what this archive said about itself. */
        void finish(String sha1) {
            if (finished) return;
            finished = true;
            var mf = manifest == null ? null : JavaMetadata.manifest(manifest);
            String fileName = location.substring(location.lastIndexOf('/') + 1);
            String fileArtifact = JavaMetadata.artifactOfFileName(fileName);
            List<Gav> gavs = new ArrayList<>();
            for (Map.Entry<String, Gav> p : poms.entrySet()) {
                Gav g = p.getValue();
                // A pom often inherits its licences from a parent; the manifest then says them, for the archive's own artifact.
                List<String> lic = pomLicenses.getOrDefault(p.getKey(), poms.size() == 1 ? JavaMetadata.bundleLicenses(mf) : List.of());
                gavs.add(new Gav(g.group(), g.artifact(), g.version(), lic));
            }
            // No Maven metadata, or a shaded jar whose metadata are all its dependencies': the manifest and file name.
            boolean ownFound = gavs.stream().anyMatch(g -> g.artifact().equals(fileArtifact));
            if (gavs.isEmpty() || gavs.size() > 1 && !ownFound && fileArtifact != null) {
                Gav fallback = JavaMetadata.fromManifestAndName(mf, fileName);
                if (fallback != null && gavs.stream().noneMatch(g -> g.artifact().equals(fallback.artifact()))) gavs.add(fallback);
            }
            for (Gav g : gavs) {
                // The archive's digest is its own artifact's: the only one, or the one its file is named after.
                boolean own = gavs.size() == 1 || g.artifact().equals(fileArtifact);
                add(pkg(g, location, own ? sha1 : null), depth);
            }
        }
    }

    private Package pkg(Gav g, String location, String sha1) {
        String name = g.group() == null ? g.artifact() : g.group() + ":" + g.artifact();
        String purl = Purls.of("maven", g.group(), g.artifact(), g.version());
        // A nested archive is named by its place inside the image's file: "/app/app.jar!/BOOT-INF/lib/x.jar".
        List<String> paths = List.of(location);
        Map<String, String> props = sha1 == null ? Map.of() : Map.of("sha1", sha1);
        return new Package(PackageType.MAVEN, name, g.version(), purl, null, g.licenses(), null, paths, props);
    }

    private void add(Package p, int depth) {
        String key = p.name() + "@" + p.version();
        Found old = found.get(key);
        if (old == null || old.depth() > depth) found.put(key, new Found(p, depth));
    }

    // ------------------------------------------------------------------ helpers

    private void countEntry() throws LimitReached {
        if (++entries > MAX_ENTRIES) throw new LimitReached("more than " + MAX_ENTRIES + " entries");
    }

    static boolean isArchive(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".jar") || n.endsWith(".war") || n.endsWith(".ear") || n.endsWith(".jpi") || n.endsWith(".hpi");
    }

    private static byte[] bounded(InputStream in, String name) throws IOException {
        byte[] b = in.readNBytes(MAX_META + 1);
        if (b.length > MAX_META) throw new IOException(name + " is larger than " + MAX_META + " bytes, not read");
        return b;
    }

    private static String sha1(SeekableByteChannel ch) throws IOException {
        MessageDigest d = digest();
        ByteBuffer buf = ByteBuffer.allocate(64 << 10);
        while (ch.read(buf) > 0) {
            d.update(buf.flip());
            buf.clear();
        }
        return hex(d.digest());
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

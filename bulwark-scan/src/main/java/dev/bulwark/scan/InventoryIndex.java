package dev.bulwark.scan;

import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.OsRelease;
import dev.bulwark.model.HygieneFinding;
import dev.bulwark.model.ImageEfficiency;
import dev.bulwark.model.Package;
import dev.bulwark.model.SecretFinding;
import dev.bulwark.model.Severity;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.SourcePackage;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/**
 * Assembled inventories on disk, keyed by what they are a function of: the image's diffIDs in order, every
 * analyser's type and version, the layer-record format, and the code that squashes layers into an inventory (a
 * checksum of its class files, so a changed assembler never serves an old answer). A re-scan of an image seen
 * before then reads one small file instead of every layer's record, and merges nothing.
 *
 * <p>Same rules as the layer cache: writes are atomic (temporary file, then rename); anything unreadable, or an
 * entry whose stored key is not the one asked for, is a miss and is removed; the directory is kept under a size
 * bound, least recently used entries first. Entries are gzip'd, so a damaged byte fails the CRC and is a miss.
 *
 * <p>The entry is a small binary record read without reflection (a warm re-scan is mostly JVM start-up, and a
 * data binder's first use costs more than the read itself): see {@link #encode} and {@link #decode}.
 */
final class InventoryIndex {
    /** First bytes of an entry; bump the digit when the encoding changes (the class checksum changes anyway). */
    private static final byte[] MAGIC = "bulwark-inventory-2\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * Classes whose code or shape decides an inventory given the layers' records: the assembler and what it uses,
     * the stored types, this encoding. Their class files are checksummed into every key.
     */
    private static final List<Class<?>> CODE = List.of(InventoryIndex.class, InventoryAssembler.class, MergedTree.class,
            LayerRecord.class, LayerRecord.Entry.class, dev.bulwark.image.PathNames.class, Package.class, OsRelease.class,
            SourcePackage.class, PackageType.class, Digest.class, Inventory.class, com.github.packageurl.PackageURL.class,
            SecretFinding.class, HygieneFinding.class, ImageEfficiency.class, Severity.class,
            dev.bulwark.scan.secret.SecretAnalyzer.class, dev.bulwark.scan.hygiene.HygieneAnalysis.class);
    private static volatile String codeFingerprint;

    private final Path dir;
    private final long maxBytes;
    private final String analyzersFingerprint;

    InventoryIndex(Path cacheDir, long maxBytes, String analyzersFingerprint) {
        this.dir = cacheDir.resolve("inventories");
        this.maxBytes = maxBytes;
        this.analyzersFingerprint = analyzersFingerprint;
    }

    /**
     * What the inventory of this image depends on: its layers, and the config facts the secret and hygiene checks
     * read (two images can share every layer and differ in USER, ENV or history).
     */
    String keyMaterial(ImageInfo info) {
        String m = keyMaterial(info.layers());
        if (m == null) return null;
        StringBuilder c = new StringBuilder();
        // the image id is the config's digest: ENV values, which the facts below leave out, are behind it
        c.append("image=").append(info.imageId()).append('\n');
        new java.util.TreeMap<>(info.config()).forEach((k, v) -> c.append(k).append('=').append(v).append('\n'));
        for (LayerInfo l : info.layers()) c.append("history=").append(l.createdBy()).append('\n');
        return m + "config=" + Digest.sha256(c.toString().getBytes(StandardCharsets.UTF_8)).hex() + "\n";
    }

    /** What the inventory of these layers depends on, as text; null when a layer has no diffID (nothing to key by). */
    String keyMaterial(List<LayerInfo> layers) {
        StringBuilder b = new StringBuilder(256 + 80 * layers.size());
        b.append(new String(MAGIC, StandardCharsets.US_ASCII)).append("code=").append(codeFingerprint()).append('\n')
                .append(analyzersFingerprint).append('\n');
        for (LayerInfo l : layers) {
            if (l.diffId() == null) return null;
            b.append("layer=").append(l.diffId()).append('\n');
        }
        return b.toString();
    }

    static String key(String material) {
        MessageDigest md = Digest.newSha256();
        md.update(material.getBytes(StandardCharsets.UTF_8));
        return Digest.of(md).hex();
    }

    private Path file(String key) {
        return dir.resolve(key + ".bin.gz");
    }

    /**
     * The inventory stored under {@code material}, with the image facts and scan time of this scan, or null. The
     * stored inventory was assembled from the same layers by the same code, so it equals what assembling would give.
     */
    Inventory get(String material, ImageInfo image, Instant now, String tool) {
        Path f = file(key(material));
        if (!Files.isRegularFile(f)) return null;
        try {
            byte[] data;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f), 1 << 16)) {
                // Whole, so that the gzip trailer (CRC and length) is checked before anything is believed.
                data = in.readAllBytes();
            }
            Inventory inv = decode(data, material, image, now, tool);
            CacheFiles.touch(f);
            return inv;
        } catch (IOException | RuntimeException e) {
            // A damaged or foreign entry is only a miss: drop it; the scan assembles (and stores) the inventory again.
            CacheFiles.drop(f);
            return null;
        }
    }

    void put(String material, Inventory inv) throws IOException {
        String key = key(material);
        byte[] data = encode(material, inv);
        CacheFiles.write(dir, file(key), Deflater.BEST_SPEED, out -> out.write(data));
        CacheFiles.evict(dir, "*.bin.gz", maxBytes);
    }

    // ------------------------------------------------------------------ encoding
    // MAGIC, key material, OS (or none), packages, warnings, secrets, hygiene findings, efficiency (flag, 3 longs, double). Strings: int32 byte count (-1: null), UTF-8 bytes.
    // Lists: int32 count, items. A package: type (purl type), name, version, purl, source (flag, name, version),
    // licences, layer (digest string or null), paths, properties (count, key, value...).

    static byte[] encode(String material, Inventory inv) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 256 * inv.packages().size());
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        str(out, material);
        OsRelease os = inv.os();
        out.writeBoolean(os != null);
        if (os != null) {
            str(out, os.id());
            str(out, os.versionId());
            str(out, os.codename());
            str(out, os.prettyName());
            str(out, os.idLike());
            out.writeBoolean(os.distroless());
        }
        out.writeInt(inv.packages().size());
        for (Package p : inv.packages()) {
            str(out, p.type().purlType());
            str(out, p.name());
            str(out, p.version());
            str(out, p.purl());
            out.writeBoolean(p.source() != null);
            if (p.source() != null) {
                str(out, p.source().name());
                str(out, p.source().version());
            }
            strs(out, p.licenses());
            str(out, p.layer() == null ? null : p.layer().toString());
            strs(out, p.paths());
            out.writeInt(p.properties().size());
            // sorted, so that equal inventories give equal bytes
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(p.properties()).entrySet()) {
                str(out, e.getKey());
                str(out, e.getValue());
            }
        }
        strs(out, inv.warnings());
        out.writeInt(inv.secrets().size());
        for (SecretFinding f : inv.secrets()) {
            str(out, f.ruleId());
            str(out, f.severity().name());
            str(out, f.title());
            str(out, f.match());
            str(out, f.path());
            str(out, f.layer() == null ? null : f.layer().toString());
            out.writeBoolean(f.deletedLater());
            out.writeInt(f.line());
        }
        out.writeInt(inv.hygiene().size());
        for (HygieneFinding h : inv.hygiene()) {
            str(out, h.checkId());
            str(out, h.title());
            str(out, h.severity().name());
            str(out, h.subject());
            str(out, h.layer() == null ? null : h.layer().toString());
            str(out, h.evidence());
            str(out, h.fix());
        }
        ImageEfficiency e = inv.efficiency();
        out.writeBoolean(e != null);
        if (e != null) {
            out.writeLong(e.totalBytes());
            out.writeLong(e.wastedBytes());
            out.writeLong(e.cacheBytes());
            out.writeDouble(e.score());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void strs(DataOutputStream out, List<String> l) throws IOException {
        out.writeInt(l.size());
        for (String s : l) str(out, s);
    }

    /** The stored inventory, if {@code data} is a whole entry for {@code material}; IOException otherwise. */
    static Inventory decode(byte[] data, String material, ImageInfo image, Instant now, String tool) throws IOException {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException("not an inventory entry");
            if (!material.equals(str(in))) throw new IOException("not the entry asked for");
            OsRelease os = in.get() != 0 ? new OsRelease(str(in), str(in), str(in), str(in), str(in), bool(in)) : null;
            Map<String, PackageType> types = new HashMap<>();
            for (PackageType t : PackageType.values()) types.put(t.purlType(), t);
            int n = count(in);
            List<Package> packages = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String typeName = str(in);
                PackageType type = types.get(typeName);
                if (type == null) throw new IOException("unknown package type " + typeName);
                String name = str(in), version = str(in), purl = str(in);
                SourcePackage source = in.get() != 0 ? new SourcePackage(str(in), str(in)) : null;
                List<String> licenses = strs(in);
                String layer = str(in);
                List<String> paths = strs(in);
                int np = count(in);
                Map<String, String> props = HashMap.newHashMap(np);
                for (int j = 0; j < np; j++) props.put(str(in), str(in));
                packages.add(new Package(type, name, version, purl, source, licenses, layer == null ? null : Digest.parse(layer), paths, props));
            }
            List<String> warnings = strs(in);
            int ns = count(in);
            List<SecretFinding> secrets = new ArrayList<>(ns);
            for (int i = 0; i < ns; i++) {
                String rule = str(in), sev = str(in), title = str(in), match = str(in), path = str(in), layer = str(in);
                boolean gone = bool(in);
                int line = in.getInt();
                secrets.add(new SecretFinding(rule, Severity.valueOf(sev), title, match, path, layer == null ? null : Digest.parse(layer), gone, line));
            }
            int nh = count(in);
            List<HygieneFinding> hygiene = new ArrayList<>(nh);
            for (int i = 0; i < nh; i++) {
                String id = str(in), title = str(in), sev = str(in), subject = str(in), layer = str(in), evidence = str(in), fix = str(in);
                hygiene.add(new HygieneFinding(id, title, Severity.valueOf(sev), subject, layer == null ? null : Digest.parse(layer), evidence, fix));
            }
            ImageEfficiency eff = bool(in) ? new ImageEfficiency(in.getLong(), in.getLong(), in.getLong(), in.getDouble()) : null;
            if (in.hasRemaining()) throw new IOException("trailing bytes");
            return new Inventory(image, os, packages, warnings, now, tool, secrets, hygiene, eff);
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("malformed inventory entry: " + e, e);
        }
    }

    private static String str(ByteBuffer in) throws IOException {
        int len = in.getInt();
        if (len == -1) return null;
        if (len < 0 || len > in.remaining()) throw new IOException("bad string length " + len);
        String s = new String(in.array(), in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len);
        return s;
    }

    private static boolean bool(ByteBuffer in) {
        return in.get() != 0;
    }

    private static int count(ByteBuffer in) throws IOException {
        int n = in.getInt();
        // every item takes at least four bytes: a count beyond that is damage, not a reason to allocate
        if (n < 0 || n > in.remaining() / 4 + 1) throw new IOException("bad count " + n);
        return n;
    }

    private static List<String> strs(ByteBuffer in) throws IOException {
        int n = count(in);
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String s = str(in);
            if (s == null) throw new IOException("null in a list");
            l.add(s);
        }
        return l;
    }

    // ------------------------------------------------------------------ code fingerprint

    /**
     * A checksum (CRC-32C, name and bytes of each) of the class files of {@link #CODE}, computed once per process:
     * it tells builds apart, it is no defence against anyone who can replace Bulwark's own classes.
     */
    static String codeFingerprint() {
        String f = codeFingerprint;
        if (f != null) return f;
        StringBuilder b = new StringBuilder(CODE.size() * 9);
        CRC32C crc = new CRC32C();
        for (Class<?> c : CODE) {
            crc.reset();
            crc.update(c.getName().getBytes(StandardCharsets.UTF_8));
            String name = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
            try (InputStream in = c.getResourceAsStream(name)) {
                // A class file that cannot be read (an unusual class loader) still gives a stable key: its name.
                if (in != null) crc.update(in.readAllBytes());
            } catch (IOException e) {
                crc.update(0);
            }
            b.append(java.util.HexFormat.of().toHexDigits((int) crc.getValue()));
        }
        f = b.toString();
        codeFingerprint = f;
        return f;
    }
}

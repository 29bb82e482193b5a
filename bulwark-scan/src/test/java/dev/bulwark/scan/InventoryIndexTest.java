package dev.bulwark.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bulwark.image.Fixtures;
import dev.bulwark.image.Fixtures.E;
import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.Digest;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.OsRelease;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.scan.analyzer.Analyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inventory index: a re-scan of an image seen before gives exactly what assembling its layers gives. */
class InventoryIndexTest {
    @TempDir
    Path tmp;

    private static final String STATUS = """
            Package: libfoo1
            Status: install ok installed
            Architecture: amd64
            Source: foo (1.2-3)
            Version: 1.2-3+b1

            Package: bar
            Status: install ok installed
            Architecture: all
            Version: 2.0

            """;
    private static final String STATUS2 = STATUS + """
            Package: baz
            Status: install ok installed
            Architecture: amd64
            Version: 0.9-1

            """;

    /** Real analysers on real file shapes: a dpkg database, os-release, npm packages, a lockfile, a bad file. */
    private static List<Fixtures.Layer> layers() throws Exception {
        return List.of(
                Fixtures.gzLayer(List.of(E.symlink("etc/os-release", "../usr/lib/os-release"),
                        E.file("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
                        E.file("var/lib/dpkg/status", STATUS),
                        E.file("var/lib/dpkg/info/libfoo1:amd64.list", "/usr/lib/libfoo.so.1\n/usr/lib/node_modules/owned/package.json\n"),
                        E.file("usr/share/doc/bar/copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-2+\n"))),
                Fixtures.gzLayer(List.of(E.file("var/lib/dpkg/status", STATUS2),
                        E.file("usr/lib/node_modules/owned/package.json", "{\"name\":\"owned\",\"version\":\"1.0.0\"}"),
                        E.file("app/package.json", "{\"name\":\"app\",\"version\":\"1.0.0\",\"dependencies\":{\"left-pad\":\"1.3.0\"}}"),
                        E.file("app/node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\",\"license\":\"WTFPL\"}"),
                        E.file("app/node_modules/broken/package.json", "{not json"))),
                Fixtures.zstdLayer(List.of(E.file("app/node_modules/.wh.gone", ""),
                        E.file("app/node_modules/@scope/x/package.json", "{\"name\":\"@scope/x\",\"version\":\"0.1.0\",\"license\":\"(MIT OR Apache-2.0)\"}"))));
    }

    private Inventory scan(Path layout, Path cache, List<Analyzer> analyzers, AtomicInteger fromCache) throws Exception {
        ScanOptions opts = new ScanOptions(analyzers, cache, 1 << 24, 2, 4096);
        try (ImageSource src = ImageSources.open("oci:" + layout + ":t", SourceOptions.defaults())) {
            return new Scanner(opts).scan(src, new ScanListener() {
                @Override
                public void layerDone(LayerInfo layer, boolean cached) {
                    if (cached) fromCache.incrementAndGet();
                }
            });
        }
    }

    private Inventory scan(Path layout, Path cache) throws Exception {
        return scan(layout, cache, Analyzers.defaults(), new AtomicInteger());
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).enable(SerializationFeature.INDENT_OUTPUT).build();

    /** The inventory as JSON, scan time left out: what must be identical between a cold scan and an index hit. */
    private static String json(Inventory inv) throws Exception {
        record View(dev.bulwark.model.ImageInfo image, OsRelease os, List<Package> packages,
                    List<String> warnings, String tool) {
        }
        return JSON.writeValueAsString(new View(inv.image(), inv.os(), inv.packages(), inv.warnings(), inv.tool()));
    }

    private static List<Path> entries(Path cache, String dir) throws Exception {
        Path d = cache.resolve(dir);
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void anIndexHitIsIdenticalToAColdScanAndReadsNoLayerRecord() throws Exception {
        List<Fixtures.Layer> ls = layers();
        Fixtures.ociLayout(tmp.resolve("img"), "t", ls);
        Inventory uncached = scan(tmp.resolve("img"), null);
        assertThat(uncached.packages()).extracting(p -> p.name())
                .as("the fixture exercises sources, licences, layers and ownership")
                .contains("libfoo1", "bar", "baz", "left-pad", "@scope/x").doesNotContain("owned");
        assertThat(uncached.warnings()).isNotEmpty();

        Path cache = tmp.resolve("cache");
        Inventory cold = scan(tmp.resolve("img"), cache);
        assertThat(entries(cache, "inventories")).hasSize(1);
        // Without the layer records, only the index can answer.
        for (Path p : entries(cache, "layers")) Files.delete(p);
        AtomicInteger cached = new AtomicInteger();
        Inventory warm = scan(tmp.resolve("img"), cache, Analyzers.defaults(), cached);

        assertThat(cached.get()).as("every layer reported as known").isEqualTo(3);
        assertThat(entries(cache, "layers")).as("no layer was read again").isEmpty();
        assertThat(json(warm)).isEqualTo(json(cold)).isEqualTo(json(uncached));
        assertThat(warm.packages()).isEqualTo(cold.packages());
        assertThat(warm.image()).isEqualTo(cold.image());
        assertThat(warm.scannedAt()).isAfterOrEqualTo(cold.scannedAt());
    }

    @Test
    void aHitKeepsTheImagesLayerRecordsRecentlyUsed() throws Exception {
        Fixtures.ociLayout(tmp.resolve("img"), "t", layers());
        Path cache = tmp.resolve("cache");
        scan(tmp.resolve("img"), cache);
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(0);
        for (Path p : entries(cache, "layers")) Files.setLastModifiedTime(p, old);
        AtomicInteger cached = new AtomicInteger();
        scan(tmp.resolve("img"), cache, Analyzers.defaults(), cached);
        assertThat(cached.get()).isEqualTo(3);
        assertThat(entries(cache, "layers")).hasSize(3)
                .allSatisfy(p -> assertThat(Files.getLastModifiedTime(p)).isGreaterThan(old));
    }

    @Test
    void aChangedImageMissesAndGetsItsOwnEntry() throws Exception {
        List<Fixtures.Layer> ls = layers();
        Fixtures.ociLayout(tmp.resolve("a"), "t", ls);
        List<Fixtures.Layer> changed = new ArrayList<>(ls.subList(0, 2));
        changed.add(Fixtures.gzLayer(List.of(E.file("app/node_modules/other/package.json", "{\"name\":\"other\",\"version\":\"3.0.0\"}"))));
        Fixtures.ociLayout(tmp.resolve("b"), "t", changed);
        List<Fixtures.Layer> fewer = ls.subList(0, 2);
        Fixtures.ociLayout(tmp.resolve("c"), "t", fewer);

        Path cache = tmp.resolve("cache");
        scan(tmp.resolve("a"), cache);
        AtomicInteger cached = new AtomicInteger();
        Inventory b = scan(tmp.resolve("b"), cache, Analyzers.defaults(), cached);
        assertThat(cached.get()).as("two shared layers from the layer cache, the new one read").isEqualTo(2);
        assertThat(b.packages()).extracting(p -> p.name()).contains("other").doesNotContain("@scope/x");
        assertThat(json(b)).isEqualTo(json(scan(tmp.resolve("b"), null)));

        Inventory c = scan(tmp.resolve("c"), cache);
        assertThat(c.packages()).extracting(p -> p.name()).doesNotContain("other", "@scope/x");
        assertThat(json(c)).isEqualTo(json(scan(tmp.resolve("c"), null)));
        assertThat(entries(cache, "inventories")).as("one entry per distinct list of layers").hasSize(3);
    }

    @Test
    void otherAnalyserVersionsMiss() throws Exception {
        List<Fixtures.Layer> ls = layers();
        Fixtures.ociLayout(tmp.resolve("img"), "t", ls);
        Path cache = tmp.resolve("cache");
        scan(tmp.resolve("img"), cache, KeyValueAnalyzer.all(), new AtomicInteger());
        List<Analyzer> bumped = new ArrayList<>(KeyValueAnalyzer.all());
        Analyzer db = bumped.get(0);
        bumped.set(0, new Analyzer() {
            public String type() { return db.type(); }
            public int version() { return db.version() + 1; }
            public boolean packageDatabase() { return db.packageDatabase(); }
            public boolean required(String path, long size, int mode) { return db.required(path, size, mode); }
            public dev.bulwark.scan.analyzer.FileResult analyze(dev.bulwark.scan.analyzer.FileInput in) throws java.io.IOException {
                return db.analyze(in);
            }
        });
        AtomicInteger cached = new AtomicInteger();
        scan(tmp.resolve("img"), cache, bumped, cached);
        assertThat(cached.get()).as("neither the index nor the layer records of version 1 apply").isZero();
        assertThat(entries(cache, "inventories")).hasSize(2);
    }

    @Test
    void aDamagedEntryIsOnlyAMissAndIsReplaced() throws Exception {
        List<Fixtures.Layer> ls = layers();
        Fixtures.ociLayout(tmp.resolve("img"), "t", ls);
        Path cache = tmp.resolve("cache");
        Inventory cold = scan(tmp.resolve("img"), cache);
        Path entry = entries(cache, "inventories").get(0);
        byte[] good = Files.readAllBytes(entry);

        // a flipped byte in the compressed data, a truncated file, garbage, an empty file
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x40;
        for (byte[] bad : List.of(flipped, java.util.Arrays.copyOf(good, good.length / 2), new byte[]{31, -117, 8, 0, 1, 2}, new byte[0])) {
            Files.write(entry, bad);
            Inventory again = scan(tmp.resolve("img"), cache);
            assertThat(json(again)).isEqualTo(json(cold));
            assertThat(Files.readAllBytes(entry)).as("rewritten by the scan that missed").isEqualTo(good);
        }
        // and the rewritten entry answers again, alone
        for (Path p : entries(cache, "layers")) Files.delete(p);
        AtomicInteger cached = new AtomicInteger();
        assertThat(json(scan(tmp.resolve("img"), cache, Analyzers.defaults(), cached))).isEqualTo(json(cold));
        assertThat(cached.get()).isEqualTo(3);
    }

    @Test
    void anEntryStoredUnderAnotherKeyIsNotServed() throws Exception {
        List<Fixtures.Layer> ls = layers();
        Fixtures.ociLayout(tmp.resolve("a"), "t", ls);
        Fixtures.ociLayout(tmp.resolve("b"), "t", ls.subList(0, 2));
        Path cache = tmp.resolve("cache");
        scan(tmp.resolve("a"), cache);
        Path entryA = entries(cache, "inventories").get(0);
        Inventory b = scan(tmp.resolve("b"), cache);
        Path entryB = entries(cache, "inventories").stream().filter(p -> !p.equals(entryA)).findFirst().orElseThrow();
        // b's file now holds a's inventory (a copy gone wrong, a hash collision): its stored key does not match
        Files.copy(entryA, entryB, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(json(scan(tmp.resolve("b"), cache))).isEqualTo(json(b));
    }

    @Test
    void theIndexStaysUnderItsShareOfTheCacheBound() throws Exception {
        List<Fixtures.Layer> ls = layers();
        Path cache = tmp.resolve("cache");
        long bound = 16 * 2000;   // a sixteenth, 2000 bytes, for the index: room for about one entry
        for (int n = 1; n <= 3; n++) {
            Fixtures.ociLayout(tmp.resolve("img" + n), "t", ls.subList(0, n));
            try (ImageSource src = ImageSources.open("oci:" + tmp.resolve("img" + n) + ":t", SourceOptions.defaults())) {
                new Scanner(new ScanOptions(Analyzers.defaults(), cache, bound, 1, 4096)).scan(src, ScanListener.NONE);
            }
        }
        long total = 0;
        for (Path p : entries(cache, "inventories")) total += Files.size(p);
        assertThat(total).isLessThanOrEqualTo(bound / 16);
        long layerBytes = 0;
        for (Path p : entries(cache, "layers")) layerBytes += Files.size(p);
        assertThat(layerBytes + total).as("layers and index together keep the bound").isLessThanOrEqualTo(bound);
    }

    @Test
    void aRootFilesystemIsNeverIndexed() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), STATUS);
        Path cache = tmp.resolve("cache");
        try (ImageSource src = ImageSources.open("rootfs:" + root, SourceOptions.defaults())) {
            new Scanner(ScanOptions.defaults(cache)).scan(src, ScanListener.NONE);
        }
        assertThat(entries(cache, "inventories")).isEmpty();
    }

    @Test
    void theKeyCoversLayerOrderAndTheCode() throws Exception {
        List<Fixtures.Layer> ls = layers();
        InventoryIndex index = new InventoryIndex(tmp, 1 << 20, LayerCache.fingerprint(Analyzers.defaults()));
        List<LayerInfo> in = List.of(new LayerInfo(0, ls.get(0).diffId(), ls.get(0).digest(), 1, "", null),
                new LayerInfo(1, ls.get(1).diffId(), ls.get(1).digest(), 1, "", null));
        List<LayerInfo> swapped = List.of(in.get(1), in.get(0));
        assertThat(index.keyMaterial(in)).isNotEqualTo(index.keyMaterial(swapped)).contains(InventoryIndex.codeFingerprint());
        // eight hex digits (a CRC-32C) per class whose code decides the inventory
        assertThat(InventoryIndex.codeFingerprint()).matches("([0-9a-f]{8}){19}").isEqualTo(InventoryIndex.codeFingerprint());
        // the config facts the secret and hygiene checks read are part of the key: same layers, another USER
        dev.bulwark.model.ImageInfo a = new dev.bulwark.model.ImageInfo("oci:a", "oci", null, null, null, null, null, null, in, java.util.Map.of("user", "root"));
        dev.bulwark.model.ImageInfo b = new dev.bulwark.model.ImageInfo("oci:a", "oci", null, null, null, null, null, null, in, java.util.Map.of("user", "app"));
        assertThat(index.keyMaterial(a)).isNotEqualTo(index.keyMaterial(b)).startsWith(index.keyMaterial(in));
        assertThat(index.keyMaterial(List.of(new LayerInfo(0, null, ls.get(0).digest(), 1, "", null))))
                .as("a layer without a diffID: nothing to key by").isNull();
    }

    @Test
    void theEncodingRoundTripsEveryShapeAndRefusesEveryTruncation() throws Exception {
        dev.bulwark.model.ImageInfo image = new dev.bulwark.model.ImageInfo("oci:x", "oci", null, null, List.of(), List.of(), null, null, List.of(), java.util.Map.of());
        Digest layer = Digest.sha256(new byte[]{1});
        List<Package> pkgs = List.of(
                new Package(PackageType.DEB, "libfoo1", "1:1.2-3+b1", "pkg:deb/debian/libfoo1@1:1.2-3+b1?arch=amd64",
                        new dev.bulwark.model.SourcePackage("foo", "1.2-3"), List.of("GPL-2.0-or-later", "MIT"), layer,
                        List.of("/var/lib/dpkg/status"), java.util.Map.of("arch", "amd64", "z", "")),
                new Package(PackageType.NPM, "@scope/ünïcødé", "", null, null, List.of(), null, List.of(), java.util.Map.of()),
                new Package(PackageType.MAVEN, "g:a", "1", "pkg:maven/g/a@1", new dev.bulwark.model.SourcePackage("s", null),
                        List.of("LicenseRef-x"), layer, List.of("/a.jar", "/a.jar!/b.jar"), java.util.Map.of("sha1", "00")));
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        for (OsRelease os : java.util.Arrays.asList(null, new OsRelease("debian", "12", "bookworm", "Debian", null, false),
                new OsRelease(null, null, null, null, "debian", true))) {
            Inventory inv = new Inventory(image, os, pkgs, List.of("w1", "tab\there\nand newline"), now, "bulwark");
            byte[] data = InventoryIndex.encode("key\n", inv);
            assertThat(InventoryIndex.decode(data, "key\n", image, now, "bulwark")).isEqualTo(inv);
            assertThatThrownBy(() -> InventoryIndex.decode(data, "other key", image, now, "bulwark")).isInstanceOf(java.io.IOException.class);
            for (int cut = 0; cut < data.length; cut++) {
                byte[] part = java.util.Arrays.copyOf(data, cut);
                assertThatThrownBy(() -> InventoryIndex.decode(part, "key\n", image, now, "bulwark"))
                        .as("cut at %d", cut).isInstanceOf(java.io.IOException.class);
            }
            byte[] longer = java.util.Arrays.copyOf(data, data.length + 1);
            assertThatThrownBy(() -> InventoryIndex.decode(longer, "key\n", image, now, "bulwark")).isInstanceOf(java.io.IOException.class);
        }
    }
}

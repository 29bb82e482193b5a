package dev.bulwark.scan;

import dev.bulwark.image.Fixtures;
import dev.bulwark.image.Fixtures.E;
import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Package;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ScannerTest {
    @TempDir
    Path tmp;

    private List<Fixtures.Layer> layers() throws Exception {
        return List.of(
                Fixtures.gzLayer(List.of(E.symlink("etc/os-release", "../usr/lib/os-release"),
                        E.file("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
                        E.file("etc/decoy-os-release", "ID=alpine\n"),
                        E.file("var/lib/kv/db", "a=1\nb=1\n"))),
                Fixtures.gzLayer(List.of(E.file("var/lib/kv/db", "a=1\nb=2\nc=1\n!owned=/lib/owned.pkg\n"),
                        E.symlink("lib", "usr/lib"),
                        E.file("app/x.pkg", "x=1"), E.file("usr/lib/owned.pkg", "o=1"), E.file("app/y.pkg", "y=1"),
                        E.hardlink("app/z.pkg", "app/y.pkg"), E.file("app/bad.pkg", "garbage"))),
                Fixtures.zstdLayer(List.of(E.file("app/.wh.x.pkg", ""), E.file("opt/other.txt", "z"))));
    }

    private Inventory scan(Path layout, Path cache, AtomicInteger fromCache) throws Exception {
        ScanOptions opts = new ScanOptions(KeyValueAnalyzer.all(), cache, 1 << 20, 2, 4096);
        try (ImageSource src = ImageSources.open("oci:" + layout, SourceOptions.defaults())) {
            return new Scanner(opts).scan(src, new ScanListener() {
                @Override
                public void layerDone(LayerInfo layer, boolean cached) {
                    if (cached) fromCache.incrementAndGet();
                }
            });
        }
    }

    @Test
    void squashesLayersCreditsLayersAndDropsOwnedFiles() throws Exception {
        List<Fixtures.Layer> ls = layers();
        Fixtures.ociLayout(tmp.resolve("img"), "t", ls);
        Inventory inv = scan(tmp.resolve("img"), null, new AtomicInteger());

        assertThat(inv.os().id()).as("os-release found through the /etc symlink, not the decoy").isEqualTo("debian");
        Map<String, Package> byName = inv.packages().stream().collect(Collectors.toMap(p -> p.name() + "@" + p.paths().get(0), p -> p));
        assertThat(byName.keySet()).containsExactlyInAnyOrder("a@/var/lib/kv/db", "b@/var/lib/kv/db", "c@/var/lib/kv/db",
                "y@/app/y.pkg", "y@/app/z.pkg");
        assertThat(byName.get("a@/var/lib/kv/db").layer()).as("a=1 came with the base layer").isEqualTo(ls.get(0).diffId());
        assertThat(byName.get("b@/var/lib/kv/db").version()).isEqualTo("2");
        assertThat(byName.get("b@/var/lib/kv/db").layer()).as("b=2 replaced b=1 in layer 1").isEqualTo(ls.get(1).diffId());
        assertThat(byName.get("c@/var/lib/kv/db").layer()).isEqualTo(ls.get(1).diffId());
        assertThat(byName.get("y@/app/z.pkg").layer()).as("hard link yields the same package").isEqualTo(ls.get(1).diffId());
        assertThat(byName.get("a@/var/lib/kv/db").purl()).isEqualTo("pkg:deb/debian/a@1?distro=debian-12");
        assertThat(byName.get("a@/var/lib/kv/db").properties()).doesNotContainKey(InventoryAssembler.PURL_NAMESPACE_FROM_OS);
        assertThat(inv.warnings()).anyMatch(w -> w.startsWith("/app/bad.pkg"));
    }

    @Test
    void secondScanComesFromTheCacheAndEqualsTheFirst() throws Exception {
        Fixtures.ociLayout(tmp.resolve("img"), "t", layers());
        Path cache = tmp.resolve("cache");
        AtomicInteger cached = new AtomicInteger();
        Inventory cold = scan(tmp.resolve("img"), cache, cached);
        assertThat(cached.get()).isZero();
        Inventory warm = scan(tmp.resolve("img"), cache, cached);
        assertThat(cached.get()).isEqualTo(3);
        assertThat(warm.packages()).isEqualTo(cold.packages());
        assertThat(warm.os()).isEqualTo(cold.os());
        assertThat(warm.warnings()).isEqualTo(cold.warnings());
    }

    @Test
    void aDamagedCacheEntryIsOnlyAMiss() throws Exception {
        Fixtures.ociLayout(tmp.resolve("img"), "t", layers());
        Path cache = tmp.resolve("cache");
        Inventory cold = scan(tmp.resolve("img"), cache, new AtomicInteger());
        try (var files = Files.list(cache.resolve("layers"))) {
            for (Path p : files.toList()) Files.write(p, new byte[]{31, -117, 8, 0, 1, 2});
        }
        // The image's assembled inventory would answer without reading any layer record (InventoryIndexTest).
        try (var files = Files.list(cache.resolve("inventories"))) {
            for (Path p : files.toList()) Files.delete(p);
        }
        AtomicInteger cached = new AtomicInteger();
        Inventory again = scan(tmp.resolve("img"), cache, cached);
        assertThat(cached.get()).isZero();
        assertThat(again.packages()).isEqualTo(cold.packages());
    }

    @Test
    void cacheStaysUnderItsSizeBound() throws Exception {
        Fixtures.ociLayout(tmp.resolve("img"), "t", layers());
        Path cache = tmp.resolve("cache");
        ScanOptions tiny = new ScanOptions(KeyValueAnalyzer.all(), cache, 700, 1, 4096);
        try (ImageSource src = ImageSources.open("oci:" + tmp.resolve("img"), SourceOptions.defaults())) {
            new Scanner(tiny).scan(src, ScanListener.NONE);
        }
        long total;
        try (var files = Files.list(cache.resolve("layers"))) {
            total = files.mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(total).isLessThanOrEqualTo(700);
    }
}

package dev.bulwark.scan;

import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.image.testenv.TestComponents;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.LayerInfo;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real app image of scripts/testimages.sh (bookworm minbase + real jars from Maven Central + a real
 * node_modules tree + a Debian Go binary, with a deleted jar and an opaque directory) scanned with the default
 * analysers, from several places: the same packages everywhere, each credited to the layer that added it.
 */
class RealImageScanIT {
    private static Inventory archive;

    @BeforeAll
    static void scanOnce() throws Exception {
        TestComponents.requireImages();
        archive = scan("docker-archive:" + TestComponents.appDockerArchive(), null);
    }

    static Inventory scan(String target, Path cache) throws Exception {
        try (ImageSource src = ImageSources.open(target, new SourceOptions(null, null, false, null,
                Map.of("DOCKER_HOST", TestComponents.dockerHost())))) {
            return new Scanner(ScanOptions.defaults(cache)).scan(src, ScanListener.NONE);
        }
    }

    private static Set<String> ids(Inventory inv, PackageType type) {
        return inv.packages().stream().filter(p -> p.type() == type).map(p -> p.name() + "@" + p.version()).collect(Collectors.toSet());
    }

    private static Package find(Inventory inv, PackageType type, String name) {
        return inv.packages().stream().filter(p -> p.type() == type && p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(type + " " + name + " not found in " + ids(inv, type)));
    }

    private static LayerInfo layerMadeBy(Inventory inv, String fragment) {
        return inv.image().layers().stream().filter(l -> l.createdBy() != null && l.createdBy().contains(fragment)).findFirst()
                .orElseThrow(() -> new AssertionError("no layer created by '" + fragment + "'"));
    }

    @Test
    void findsTheDistributionAndItsPackagesInTheBaseLayer() {
        assertThat(archive.os().id()).isEqualTo("debian");
        assertThat(archive.os().versionId()).startsWith("12");
        Package libc = find(archive, PackageType.DEB, "libc6");
        assertThat(libc.sourceName()).isEqualTo("glibc");
        assertThat(libc.purl()).startsWith("pkg:deb/debian/libc6@").contains("distro=debian-12");
        assertThat(libc.layer()).isEqualTo(archive.image().layers().get(0).diffId());
        assertThat(ids(archive, PackageType.DEB)).hasSizeGreaterThan(80);
    }

    @Test
    void findsTheJarsIncludingNestedOnesAndNotTheDeletedOne() {
        Set<String> maven = ids(archive, PackageType.MAVEN);
        assertThat(maven).contains("org.apache.commons:commons-lang3@3.12.0", "com.fasterxml.jackson.core:jackson-databind@2.13.0",
                "org.apache.logging.log4j:log4j-core@2.14.1", "com.google.guava:guava@31.0.1-jre",
                "org.apache.commons:commons-text@1.9", "org.yaml:snakeyaml@1.30", "org.apache.commons:commons-lang3@3.11");
        assertThat(maven).noneMatch(id -> id.startsWith("commons-collections:commons-collections"));
        Package text = find(archive, PackageType.MAVEN, "org.apache.commons:commons-text");
        assertThat(text.paths().get(0)).startsWith("/app/lib/bulwark-fixture-app-1.0.0.jar!");
        assertThat(text.layer()).isEqualTo(layerMadeBy(archive, "in /app/lib/ ").diffId());
    }

    @Test
    void findsTheNodeModulesAndTheGoBinary() {
        assertThat(ids(archive, PackageType.NPM)).contains("express@4.17.1", "lodash@4.17.20");
        assertThat(find(archive, PackageType.NPM, "express").layer()).isEqualTo(layerMadeBy(archive, "in /app/web/ ").diffId());
        List<Package> go = archive.packages().stream().filter(p -> p.type() == PackageType.GOLANG).toList();
        assertThat(go).isNotEmpty().allMatch(p -> p.paths().get(0).equals("/app/bin/docker-registry"));
        assertThat(go).anyMatch(p -> p.name().equals("stdlib") && p.version().startsWith("v1."));
    }

    @Test
    void everySourceOfTheSameImageYieldsTheSamePackages() throws Exception {
        List<String> expected = archive.packages().stream().map(Package::key).toList();
        TestComponents.requireDocker();
        TestComponents.requireRegistries();
        for (String target : List.of("docker:" + TestComponents.appImage(),
                "registry:" + TestComponents.registryRef("ANON", "APP"),
                "oci:" + TestComponents.appOciZstdLayout())) {
            assertThat(scan(target, null).packages().stream().map(Package::key).toList()).as(target).isEqualTo(expected);
        }
    }
}

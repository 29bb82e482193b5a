package dev.bulwark.server;

import dev.bulwark.image.testenv.TestComponents;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Images the server tests scan, made from the prepared test artefacts of scripts/testimages.sh. */
public final class TestImages {
    private TestImages() {
    }

    /**
     * A docker-archive (docker save layout) in {@code dir} whose one layer is the outdated bookworm root filesystem
     * (the suite without bookworm-security, so Debian's advisories find real fixed versions above it). Made with tar
     * from the prepared rootfs tar; a copy of the test's own, so that the test may delete it.
     */
    static Path outdatedBookwormArchive(Path dir) throws Exception {
        return outdatedBookwormArchive(dir, false);
    }

    /**
     * @param hollow when true, the archive's layer is 4 KiB of zeros instead of the root filesystem (its config still
     *               names the real diffID): scanning it succeeds only from a cache that already knows the layer
     */
    public static Path outdatedBookwormArchive(Path dir, boolean hollow) throws Exception {
        Path rootfsTar = TestComponents.require(TestComponents.path("BASE_ROOTFS_DIR").resolveSibling("bookworm-base-rootfs.tar"),
                "outdated bookworm rootfs tar");
        Path tar = TestComponents.requireTool("tar");
        Path work = Files.createDirectories(dir.resolve(hollow ? "archive-work-hollow" : "archive-work"));
        String diffId = sha256(rootfsTar);
        if (hollow) Files.write(work.resolve("layer.tar"), new byte[4096]);
        else Files.createSymbolicLink(work.resolve("layer.tar"), rootfsTar);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/bash\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + diffId + "\"]},\"history\":[{\"created_by\":\"mmdebstrap\"}]}";
        byte[] cfg = config.getBytes(StandardCharsets.UTF_8);
        String cfgName = sha256(cfg) + ".json";
        Files.write(work.resolve(cfgName), cfg);
        Files.writeString(work.resolve("manifest.json"), "[{\"Config\":\"" + cfgName + "\",\"RepoTags\":[\"bulwark-test/outdated:12\"],"
                + "\"Layers\":[\"layer.tar\"]}]");
        Path out = dir.resolve(hollow ? "outdated-bookworm-hollow.tar" : "outdated-bookworm.tar");
        Process p = new ProcessBuilder(tar.toString(), "-chf", out.toString(), "-C", work.toString(), "manifest.json", cfgName, "layer.tar")
                .redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError("tar failed: " + msg);
        return out;
    }

    static Path debianAdvisories() {
        return TestComponents.require(TestComponents.path("DEBIAN_ADVISORIES_JSON"), "Debian advisories of scripts/debian-advisories.sh");
    }

    /** Alpine's secdb files of the shared feed data: a real DB that has nothing to say about Debian packages. */
    static Path alpineSecdb() {
        return TestComponents.require(TestComponents.root().resolveSibling("shared").resolve("vulndata/alpine-secdb/v3.10"), "shared vulndata");
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

}

package dev.bulwark.harden.imagetest;

import dev.bulwark.image.testenv.TestComponents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The image-test fixture built by scripts/testimages-imagetest.sh, listed in its own manifest.env beside the other
 * test images. Missing: the test FAILS, saying which script makes it.
 */
public final class ImageTestImages {
    private static Map<String, String> manifest;

    private ImageTestImages() {}

    public static synchronized Map<String, String> manifest() {
        if (manifest == null) {
            Path f = TestComponents.work().resolve("images/imagetest/manifest.env");
            if (!Files.isRegularFile(f)) throw TestComponents.missing("image-test fixture", f + " does not exist (scripts/testimages-imagetest.sh writes it)");
            Map<String, String> m = new LinkedHashMap<>();
            try {
                for (String line : Files.readAllLines(f)) {
                    int eq = line.indexOf('=');
                    if (!line.startsWith("#") && eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            manifest = m;
        }
        return manifest;
    }

    static String get(String key) {
        String v = manifest().get(key);
        if (v == null || v.isEmpty()) throw TestComponents.missing("image-test fixture", "manifest.env has no " + key);
        return v;
    }

    /** docker-archive:FILE of bulwark-test/imagetest:1. */
    public static String dockerArchive() {
        return "docker-archive:" + TestComponents.require(Path.of(get("IMAGETEST_DOCKER_ARCHIVE")), "image-test fixture");
    }

    /** oci:DIR:1 of the same image. */
    public static String ociLayout() {
        return "oci:" + TestComponents.require(Path.of(get("IMAGETEST_OCI_DIR")), "image-test fixture") + ":" + get("IMAGETEST_OCI_REF");
    }

    public static String imageId() {
        return get("IMAGETEST_IMAGE_ID");
    }

    /** The name the private dockerd knows it by. */
    public static String imageName() {
        return get("IMAGETEST_IMAGE");
    }
}

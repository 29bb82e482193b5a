package dev.bulwark.image;

import dev.bulwark.model.ImageRef;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the user asked to read, parsed from "kind:location" or guessed from a bare argument. */
public sealed interface Target {
    record DockerArchive(Path file, String tag) implements Target {
    }

    record OciLayout(Path path, String tag) implements Target {
    }

    record Registry(ImageRef ref) implements Target {
    }

    record DockerEngine(String name) implements Target {
    }

    record Rootfs(Path dir) implements Target {
    }

    /** A bare image name: the local Docker Engine if it has the image, else the registry. */
    record ImageName(ImageRef ref, String raw) implements Target {
    }

    /**
     * Parses {@code docker-archive:FILE[:TAG]}, {@code oci:DIR[:TAG]}, {@code registry:REF}, {@code docker:NAME},
     * {@code rootfs:DIR}, or a bare path or image name.
     *
     * @throws IllegalArgumentException with a message a user can act on
     */
    static Target parse(String s) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException("empty target");
        int colon = s.indexOf(':');
        String scheme = colon > 0 ? s.substring(0, colon) : "";
        String rest = colon > 0 ? s.substring(colon + 1) : s;
        switch (scheme) {
            case "docker-archive": {
                PathAndTag pt = splitExisting(rest, "docker-archive");
                return new DockerArchive(pt.path, pt.tag);
            }
            case "oci", "oci-archive": {
                PathAndTag pt = splitExisting(rest, "oci");
                return new OciLayout(pt.path, pt.tag);
            }
            case "registry":
                return new Registry(ImageRef.parse(stripSlashes(rest)));
            case "docker", "docker-daemon":
                if (rest.isBlank()) throw new IllegalArgumentException("docker: needs an image name or id");
                return new DockerEngine(rest);
            case "rootfs", "dir":
                if (rest.isBlank()) throw new IllegalArgumentException("rootfs: needs a directory");
                return new Rootfs(Path.of(rest));
            default:
                break;
        }
        Path p = Path.of(s);
        if (Files.isDirectory(p)) {
            return Files.exists(p.resolve("index.json")) ? new OciLayout(p, null) : new Rootfs(p);
        }
        if (Files.isRegularFile(p)) return new DockerArchive(p, null); // an OCI tar is recognised when opened
        if (s.startsWith("/") || s.startsWith("./") || s.startsWith("../") || s.endsWith(".tar") || s.endsWith(".tar.gz"))
            throw new IllegalArgumentException("no such file or directory: " + s);
        try {
            return new ImageName(ImageRef.parse(s), s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "' is neither an existing file or directory nor an image name ("
                    + e.getMessage() + ")");
        }
    }

    private static String stripSlashes(String s) {
        return s.startsWith("//") ? s.substring(2) : s;
    }

    record PathAndTag(Path path, String tag) {
    }

    /** Paths may hold colons: the first prefix that exists is the path, the rest the tag. */
    private static PathAndTag splitExisting(String rest, String kind) {
        if (rest.isBlank()) throw new IllegalArgumentException(kind + ": needs a path");
        if (Files.exists(Path.of(rest))) return new PathAndTag(Path.of(rest), null);
        for (int i = rest.indexOf(':'); i > 0; i = rest.indexOf(':', i + 1)) {
            Path p = Path.of(rest.substring(0, i));
            if (Files.exists(p)) {
                String tag = rest.substring(i + 1);
                return new PathAndTag(p, tag.isEmpty() ? null : tag);
            }
        }
        throw new IllegalArgumentException("no such file or directory: " + rest);
    }
}

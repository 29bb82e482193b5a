package dev.bulwark.trust;

import dev.bulwark.image.ImageException;
import dev.bulwark.image.Registry;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageRef;
import dev.bulwark.model.Platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pins image references to digests: tags move, digests do not. Each reference becomes {@code name:tag@sha256:…}
 * with the digest the registry serves for the tag — for a multi-platform image the index digest, as
 * {@code docker pull} records it, after checking that the index offers the wanted platform. Only the reference's
 * span on its line changes; everything else in the file stays byte for byte.
 */
public final class Pinner {
    static final long MAX_FILE = 4 << 20;
    private final SourceOptions options;
    private final Map<String, Registry.Resolved> cache = new HashMap<>();

    public Pinner(SourceOptions options) {
        this.options = options;
    }

    /**
     * One change.
     *
     * @param line  1-based
     * @param index true when the digest is an index's (a multi-platform image)
     */
    public record Edit(int line, String context, String before, String after, Digest digest, boolean index) {
    }

    /** What pinning one file would do, and the file's content afterwards. */
    public record Plan(Path file, List<ImageUse> uses, List<Edit> edits, String original, String pinned) {
        public Plan {
            uses = List.copyOf(uses);
            edits = List.copyOf(edits);
        }

        public boolean changes() {
            return !edits.isEmpty();
        }
    }

    /** The references in a file, without asking any registry. */
    public static List<ImageUse> references(Path file) throws TrustException {
        return ImageRefs.find(file.getFileName().toString(), read(file), file.toString());
    }

    /** How a reference becomes a digest: the registry, in production. */
    interface Resolver {
        Registry.Resolved resolve(ImageRef ref, String platform, String where) throws TrustException;
    }

    public Plan plan(Path file) throws TrustException {
        return plan(file, read(file), this::resolve);
    }

    static Plan plan(Path file, String content, Resolver resolver) throws TrustException {
        List<ImageUse> uses = ImageRefs.find(file.getFileName().toString(), content, file.toString());
        String[] lines = content.split("\n", -1);
        List<Edit> edits = new ArrayList<>();
        // Right to left within a line, so earlier columns stay valid.
        List<ImageUse> order = new ArrayList<>(uses);
        order.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line()) : Integer.compare(b.column(), a.column()));
        java.util.Set<String> done = new java.util.HashSet<>();
        for (ImageUse u : order) {
            if (u.pinned()) continue;
            if (!done.add(u.line() + ":" + u.column())) continue; // one ARG default used by several FROM lines
            String where = file + ":" + (u.line() + 1);
            ImageRef ref;
            try {
                ref = ImageRef.parse(u.image());
            } catch (IllegalArgumentException e) {
                throw new TrustException(where, e.getMessage());
            }
            Registry.Resolved r = resolver.resolve(ref, u.platform(), where);
            String after = pinnedText(u.text(), ref, r.digest());
            String line = lines[u.line()];
            if (!line.startsWith(u.text(), u.column())) throw new TrustException(where, "reference moved while editing (internal)");
            lines[u.line()] = line.substring(0, u.column()) + after + line.substring(u.column() + u.text().length());
            edits.add(new Edit(u.line() + 1, u.context(), u.text(), after, r.digest(), r.index()));
        }
        edits.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return new Plan(file, uses, edits, content, String.join("\n", lines));
    }

    /** The user's own spelling, with ":latest" made explicit when there was no tag, then "@digest". */
    static String pinnedText(String text, ImageRef ref, Digest digest) {
        int slash = text.lastIndexOf('/');
        boolean hasTag = text.indexOf(':', slash + 1) >= 0;
        return text + (hasTag ? "" : ":" + ref.tag()) + "@" + digest;
    }

    private Registry.Resolved resolve(ImageRef ref, String platform, String where) throws TrustException {
        Platform p = options.platform();
        if (platform != null && !platform.contains("$")) {
            try {
                p = Platform.parse(platform);
            } catch (IllegalArgumentException e) {
                throw new TrustException(where, e.getMessage());
            }
        }
        String key = ref + " " + p;
        Registry.Resolved r = cache.get(key);
        if (r != null) return r;
        SourceOptions o = new SourceOptions(p, options.credentials(), options.plainHttp(), options.limits(), options.env());
        try {
            r = Registry.open(ref, o).resolve(ref.reference());
        } catch (ImageException e) {
            throw new TrustException(where, e.oneLine(), e);
        }
        cache.put(key, r);
        return r;
    }

    /** Replaces the file whole (a temporary file beside it, then a rename), keeping its permissions. */
    public static void write(Plan plan) throws TrustException {
        Path file = plan.file();
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".pin");
            Files.writeString(tmp, plan.pinned(), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX: the default mode stands
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new TrustException(file.toString(), "cannot write: " + e.getMessage(), e);
        } finally {
            if (tmp != null) try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // our own temporary file
            }
        }
    }

    static String read(Path file) throws TrustException {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new TrustException(file.toString(), "not a regular file");
            if (Files.size(file) > MAX_FILE) throw new TrustException(file.toString(), "larger than 4 MiB; not a Dockerfile or manifest");
            byte[] b = Files.readAllBytes(file);
            var dec = StandardCharsets.UTF_8.newDecoder();
            return dec.decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new TrustException(file.toString(), "not UTF-8 text");
        } catch (IOException e) {
            throw new TrustException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }
}

package dev.bulwark.match.suppress;

import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.ImageRef;
import dev.bulwark.model.Inventory;
import dev.bulwark.model.Package;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What was scanned, as far as VEX matching needs it: the image's names and digests (to decide whether a
 * {@code pkg:oci/...} product is this image) and the packages it contains (to decide whether a product whose
 * subcomponents a statement names is present at all).
 *
 * @param references names the image is known by (tags, digest references), normalised by {@link ImageRef}
 * @param digests    manifest digests and the image ID
 * @param packages   every package of the inventory; may be empty
 */
public record ScanTarget(List<ImageRef> references, List<Digest> digests, List<Package> packages) {
    /** Kinds whose target string (after "kind:") is an image reference rather than a path. */
    private static final Set<String> REFERENCE_KINDS = Set.of("registry", "docker");

    public ScanTarget {
        references = references == null ? List.of() : List.copyOf(references);
        digests = digests == null ? List.of() : List.copyOf(digests);
        packages = packages == null ? List.of() : List.copyOf(packages);
    }

    /** The image and packages of an inventory. */
    public static ScanTarget of(Inventory inventory) {
        Objects.requireNonNull(inventory, "inventory");
        return of(inventory.image(), inventory.packages());
    }

    /** An image (null for none) and its packages. */
    public static ScanTarget of(ImageInfo image, List<Package> packages) {
        Set<ImageRef> refs = new LinkedHashSet<>();
        Set<Digest> digests = new LinkedHashSet<>();
        if (image != null) {
            if (image.manifestDigest() != null) digests.add(image.manifestDigest());
            if (image.imageId() != null) digests.add(image.imageId());
            for (String s : image.repoTags()) addRef(refs, digests, s);
            for (String s : image.repoDigests()) addRef(refs, digests, s);
            String kind = image.kind() == null ? "" : image.kind();
            String target = image.target() == null ? "" : image.target();
            if (REFERENCE_KINDS.contains(kind) && !target.isBlank())
                addRef(refs, digests, target.startsWith(kind + ":") ? target.substring(kind.length() + 1) : target);
        }
        return new ScanTarget(new ArrayList<>(refs), new ArrayList<>(digests), packages);
    }

    /**
     * An image named by a reference ("debian:12", "ghcr.io/org/app@sha256:…") and, optionally, further digests
     * (the image ID, the manifest digest when the reference has a tag only). Throws IllegalArgumentException for a
     * malformed reference or digest.
     */
    public static ScanTarget image(String reference, String... digests) {
        ImageRef ref = ImageRef.parse(reference);
        Set<Digest> ds = new LinkedHashSet<>();
        if (ref.digest() != null) ds.add(ref.digest());
        for (String d : digests) ds.add(Digest.parse(d));
        return new ScanTarget(List.of(ref), new ArrayList<>(ds), List.of());
    }

    private static void addRef(Set<ImageRef> refs, Set<Digest> digests, String s) {
        try {
            ImageRef r = ImageRef.parse(s);
            refs.add(r);
            if (r.digest() != null) digests.add(r.digest());
        } catch (IllegalArgumentException e) {
            // a tag the source reported that is not a reference: the image keeps its other names
        }
    }

    boolean hasImage() {
        return !references.isEmpty() || !digests.isEmpty();
    }

    /**
     * True when an oci purl names this image. With a version (a digest) the digest decides, and a
     * {@code repository_url} qualifier, when given, must be one of the image's repositories. Without a version the
     * name must be the last segment of one of the image's repositories, and {@code repository_url} and {@code tag},
     * when given, must agree with that same reference.
     */
    boolean isImage(Purl oci) {
        String repoUrl = oci.qualifiers().get("repository_url");
        String wantedRepo = repoUrl == null ? null : normaliseRepository(repoUrl);
        if (!oci.version().isEmpty()) {
            String v = oci.version().toLowerCase(Locale.ROOT);
            if (digests.stream().noneMatch(d -> d.toString().equals(v))) return false;
            return wantedRepo == null || references.isEmpty()
                    || references.stream().anyMatch(r -> repository(r).equals(wantedRepo));
        }
        String tag = oci.qualifiers().get("tag");
        for (ImageRef r : references) {
            String repo = repository(r);
            String last = repo.substring(repo.lastIndexOf('/') + 1);
            if (!last.equals(oci.name())) continue;
            if (wantedRepo != null && !repo.equals(wantedRepo)) continue;
            if (tag != null && !tag.equals(r.tag())) continue;
            return true;
        }
        return false;
    }

    private static String repository(ImageRef r) {
        return (r.registry() + "/" + r.repository()).toLowerCase(Locale.ROOT);
    }

    /** "https://index.docker.io/library/debian/" and "docker.io/debian" both become "docker.io/library/debian". */
    static String normaliseRepository(String url) {
        String s = url.strip();
        int scheme = s.indexOf("://");
        if (scheme >= 0) s = s.substring(scheme + 3);
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        try {
            return repository(ImageRef.parse(s));
        } catch (IllegalArgumentException e) {
            return s.toLowerCase(Locale.ROOT);
        }
    }
}

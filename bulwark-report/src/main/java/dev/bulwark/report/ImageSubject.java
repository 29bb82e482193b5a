package dev.bulwark.report;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Digest;
import dev.bulwark.model.ImageInfo;
import dev.bulwark.model.ImageRef;

import java.util.Locale;
import java.util.Set;

/**
 * How the scanned artifact is named in SBOMs.
 *
 * @param name        repository without tag ("alpine", "localhost:5000/team/app"), or the target for files
 * @param displayName the reference as users write it ("alpine:3.20"), or the target
 * @param digest      the manifest digest if one was read, else the image ID; null for a root filesystem
 * @param purl        {@code pkg:oci/...} per the purl spec's oci type, or null without a digest
 */
record ImageSubject(String name, String displayName, Digest digest, String purl) {
    /** Kinds whose target (after "kind:") is an image reference rather than a path. */
    private static final Set<String> REFERENCE_KINDS = Set.of("registry", "docker");

    static ImageSubject of(ImageInfo info) {
        if (info == null) return new ImageSubject("unknown", "unknown", null, null);
        String target = info.target() == null || info.target().isBlank() ? "unknown" : info.target();
        ImageRef ref = reference(info, target);
        Digest digest = info.manifestDigest() != null ? info.manifestDigest() : info.imageId();
        String name = ref != null ? repositoryName(ref) : target;
        String display = ref != null ? ref.familiar() : target;
        return new ImageSubject(name, display, digest, purl(info, ref, name, digest));
    }

    private static ImageRef reference(ImageInfo info, String target) {
        for (String s : info.repoTags()) {
            ImageRef r = parse(s);
            if (r != null) return r;
        }
        for (String s : info.repoDigests()) {
            ImageRef r = parse(s);
            if (r != null) return r;
        }
        String kind = info.kind() == null ? "" : info.kind();
        if (!REFERENCE_KINDS.contains(kind)) return null;
        return parse(target.startsWith(kind + ":") ? target.substring(kind.length() + 1) : target);
    }

    private static ImageRef parse(String s) {
        try {
            return ImageRef.parse(s);
        } catch (IllegalArgumentException e) {
            return null; // a tag the source reported that is not a reference: name the image by its target instead
        }
    }

    private static String repositoryName(ImageRef ref) {
        if (!ref.registry().equals(ImageRef.DOCKER_HUB)) return ref.registry() + "/" + ref.repository();
        return ref.repository().startsWith("library/") ? ref.repository().substring("library/".length()) : ref.repository();
    }

    /**
     * The oci purl: name is the last path segment of the repository, lower-cased; version the digest; qualifiers
     * arch, repository_url (registry/repository, when the image has one) and tag.
     */
    private static String purl(ImageInfo info, ImageRef ref, String name, Digest digest) {
        if (digest == null) return null;
        String base = ref != null ? ref.repository() : name;
        String last = base.substring(base.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (last.isBlank()) return null;
        try {
            PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType("oci").withName(last).withVersion(digest.toString());
            if (info.platform() != null) b.withQualifier("arch", info.platform().architecture());
            if (ref != null) {
                b.withQualifier("repository_url", ref.registry() + "/" + ref.repository());
                if (ref.tag() != null) b.withQualifier("tag", ref.tag());
            }
            return b.build().canonicalize();
        } catch (MalformedPackageURLException e) {
            return null; // a target that makes no valid purl name: the image is still described, just without one
        }
    }
}

package dev.bulwark.audit.file;

import dev.bulwark.model.AuditStatus;
import dev.bulwark.model.ImageRef;
import dev.bulwark.model.Severity;

/** Judging image references: pinned by digest, a mutable tag, or {@code latest}. */
final class Images {
    private Images() {
    }

    /**
     * @param status   PASS when pinned by digest, else FAIL
     * @param severity MEDIUM for latest or no tag, LOW for another tag
     * @param evidence what was seen
     * @param pinned   the reference as written with a digest placeholder added ("python:3.12-slim@sha256:&lt;digest&gt;")
     */
    record Verdict(AuditStatus status, Severity severity, String evidence, String pinned) {
    }

    static Verdict judge(String image) {
        String written = image.strip();
        ImageRef ref;
        try {
            ref = ImageRef.parse(written);
        } catch (IllegalArgumentException e) {
            return new Verdict(AuditStatus.FAIL, Severity.MEDIUM, "\"" + DockerfileParser.clip(written)
                    + "\" is not a valid image reference", "<image>:<tag>@sha256:<digest>");
        }
        if (ref.digest() != null) {
            return new Verdict(AuditStatus.PASS, Severity.UNKNOWN, written + " is pinned by digest", written);
        }
        int at = written.indexOf('@');
        String base = at >= 0 ? written.substring(0, at) : written;
        boolean explicitTag = base.lastIndexOf(':') > base.lastIndexOf('/');
        if (!explicitTag || "latest".equals(ref.tag())) {
            return new Verdict(AuditStatus.FAIL, Severity.MEDIUM, written + (explicitTag ? " uses the tag latest"
                    : " has no tag, so it means :latest") + ", which changes whenever a new image is pushed",
                    base + "@sha256:<digest>");
        }
        return new Verdict(AuditStatus.FAIL, Severity.LOW, written + " is a tag, not a digest: the registry can move it"
                + " to another image", base + "@sha256:<digest>");
    }

    /** How to find the digest of an image. */
    static String howToResolve(String image) {
        return "the digest: docker buildx imagetools inspect --format '{{json .Manifest.Digest}}' " + image.strip();
    }
}

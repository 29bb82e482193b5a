package dev.bulwark.trust;

/**
 * One image reference in a file, where an edit can replace it: {@code text} starts at {@code column} (UTF-16 index
 * into the line) of {@code line} (0-based).
 *
 * @param image    the reference to resolve (ARG defaults substituted)
 * @param context  what names it: "FROM", "services.web.image", "spec.containers[0].image"...
 * @param platform a Dockerfile's {@code FROM --platform=} value, else null
 */
public record ImageUse(int line, int column, String text, String image, String context, String platform) {
    /** True when the reference already carries a digest. */
    public boolean pinned() {
        return image.contains("@sha256:") || image.contains("@sha512:");
    }
}

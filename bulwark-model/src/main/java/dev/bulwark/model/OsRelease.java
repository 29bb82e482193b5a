package dev.bulwark.model;

/**
 * The distribution an image is built on, from /etc/os-release (or its fallbacks).
 *
 * @param id        os-release ID, e.g. "debian", "alpine", "rhel", "distroless" is reported as "debian" with
 *                  {@code distroless} true
 * @param versionId os-release VERSION_ID, e.g. "12", "3.20.3"
 * @param codename  VERSION_CODENAME when present ("bookworm")
 * @param prettyName PRETTY_NAME
 * @param idLike    ID_LIKE, space separated
 * @param distroless true for Google's distroless images (os-release says Debian, no package manager)
 */
public record OsRelease(String id, String versionId, String codename, String prettyName, String idLike, boolean distroless) {
    public String family() {
        return id == null ? "unknown" : id;
    }
}

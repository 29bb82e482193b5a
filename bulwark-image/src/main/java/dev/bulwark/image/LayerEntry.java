package dev.bulwark.image;

/**
 * One entry of a layer, its path normalised: absolute, "/"-separated, no "." or ".." components, no trailing slash.
 *
 * @param path       e.g. "/usr/lib/os-release"
 * @param type       what it is
 * @param size       content size for files, 0 otherwise
 * @param mode       permission bits (e.g. 0755), with setuid/setgid/sticky
 * @param linkTarget symlink target as written (may be relative), or hard link target as a normalised absolute path
 * @param uid        owner uid
 * @param gid        owner gid
 */
public record LayerEntry(String path, EntryType type, long size, int mode, String linkTarget, long uid, long gid) {
    public boolean isExecutable() {
        return (mode & 0111) != 0;
    }
}

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
 * @param mtime      modification time in seconds since the epoch, or {@link #NO_TIME} when the source does not say
 */
public record LayerEntry(String path, EntryType type, long size, int mode, String linkTarget, long uid, long gid, long mtime) {
    public static final long NO_TIME = Long.MIN_VALUE;

    /** An entry whose source gives no modification time. */
    public LayerEntry(String path, EntryType type, long size, int mode, String linkTarget, long uid, long gid) {
        this(path, type, size, mode, linkTarget, uid, gid, NO_TIME);
    }

    public boolean isExecutable() {
        return (mode & 0111) != 0;
    }
}

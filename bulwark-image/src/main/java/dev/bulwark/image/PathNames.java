package dev.bulwark.image;

import java.util.ArrayDeque;
import java.util.Deque;

/** Normalisation of archive entry names into absolute image paths, refusing names that leave the root. */
public final class PathNames {
    private PathNames() {
    }

    /**
     * "./usr//lib/./x/" becomes "/usr/lib/x"; "." and "./" become "/".
     *
     * @throws BlobIntegrityException for absolute names and names whose ".." climbs above the root
     */
    static String normalizeEntryName(String name) throws BlobIntegrityException {
        if (name.isEmpty()) throw new BlobIntegrityException("entry with an empty name");
        if (name.startsWith("/")) throw new BlobIntegrityException("entry '" + printable(name) + "' has an absolute path");
        if (name.indexOf('\0') >= 0) throw new BlobIntegrityException("entry '" + printable(name) + "' has a NUL byte in its name");
        Deque<String> parts = new ArrayDeque<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (parts.isEmpty()) throw new BlobIntegrityException("entry '" + printable(name) + "' escapes the image root (path traversal)");
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** Resolves a path against a directory inside the image, clamping ".." at the root as a chroot would. */
    public static String resolveInImage(String dir, String target) {
        Deque<String> parts = new ArrayDeque<>();
        if (!target.startsWith("/")) {
            for (String p : dir.split("/")) if (!p.isEmpty()) parts.addLast(p);
        }
        for (String p : target.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (!parts.isEmpty()) parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    public static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    public static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Escapes control characters so a hostile name cannot forge terminal output. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}

package dev.bulwark.harden.run;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a workload wrote, from an overlay's upper layer: every entry there (a written or created file, a whiteout
 * for a deleted one, a directory copied up because something under it changed) names the directory that had to be
 * writable: its parent. Reduced to the smallest set of directories, none nested in another, so each can become one
 * tmpfs mount. Bounded: at most {@link #MAX_ENTRIES} entries are looked at.
 */
final class WriteSet {
    static final int MAX_ENTRIES = 100_000;

    private WriteSet() {}

    static List<String> directories(Path upper) {
        TreeSet<String> dirs = new TreeSet<>();
        int[] seen = {0};
        try {
            Files.walkFileTree(upper, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return ++seen[0] > MAX_ENTRIES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    dirs.add(inImage(upper, file.getParent()));
                    return ++seen[0] > MAX_ENTRIES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    // an empty directory in the upper layer was created (or emptied): its parent was written
                    if (!dir.equals(upper)) {
                        try (var s = Files.list(dir)) {
                            if (s.findAny().isEmpty()) dirs.add(inImage(upper, dir.getParent()));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // what was read so far is still a lower bound of what the workload wrote
        }
        return minimal(dirs);
    }

    private static String inImage(Path upper, Path p) {
        String r = upper.relativize(p).toString();
        return r.isEmpty() ? "/" : "/" + r;
    }

    /** Drops every directory inside another of the set. */
    static List<String> minimal(java.util.Collection<String> dirs) {
        List<String> out = new ArrayList<>();
        for (String d : new TreeSet<>(dirs)) {
            boolean nested = out.stream().anyMatch(o -> o.equals("/") || d.equals(o) || d.startsWith(o + "/"));
            if (!nested) out.add(d);
        }
        return out;
    }
}

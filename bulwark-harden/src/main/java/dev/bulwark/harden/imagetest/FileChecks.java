package dev.bulwark.harden.imagetest;

import dev.bulwark.image.EntryType;
import dev.bulwark.image.LayerEntry;
import dev.bulwark.image.PathNames;
import dev.bulwark.harden.imagetest.TestResult.Mismatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** File tests against the final filesystem. Attributes are the path's own; content and type checks follow links. */
final class FileChecks {
    static final int MAX_SETUID_LISTED = 10;

    private FileChecks() {}

    static TestResult check(Spec.FileTest t, FileTree tree, String location) {
        long start = System.nanoTime();
        List<Mismatch> m = new ArrayList<>();
        FileTree.Entry own = tree.lstat(t.path());
        if (!t.exists()) {
            if (own != null) m.add(new Mismatch("exists", "no " + t.path(), describeType(own.type()) + " " + t.path()));
            return TestResult.of("file", t.name(), location, m, "", since(start));
        }
        if (own == null) {
            m.add(new Mismatch("exists", t.path(), "nothing there"));
            return TestResult.of("file", t.name(), location, m, "", since(start));
        }
        // a symlink test looks at the link; every other check at what the path leads to
        boolean wantLink = t.type() == Spec.FileType.SYMLINK || t.linkTarget() != null;
        FileTree.Entry e = wantLink ? own : tree.resolve(t.path());
        if (e == null) {
            m.add(new Mismatch("exists", t.path() + " leading somewhere", "a link to " + (own.meta().linkTarget() == null ? "?" : own.meta().linkTarget())
                    + " that leads nowhere inside the image"));
            return TestResult.of("file", t.name(), location, m, "", since(start));
        }
        if (t.type() != null && !typeOf(e).equals(describe(t.type())))
            m.add(new Mismatch("type", describe(t.type()), typeOf(e)));
        if (t.linkTarget() != null) {
            String found = e.type() == EntryType.SYMLINK ? e.meta().linkTarget() : "not a symlink (" + typeOf(e) + ")";
            if (!t.linkTarget().equals(found)) m.add(new Mismatch("linkTarget", t.linkTarget(), found));
        }
        if (t.mode() != null && (e.meta().mode() & 07777) != t.mode())
            m.add(new Mismatch("mode", String.format("%04o", t.mode()), String.format("%04o", e.meta().mode() & 07777)));
        if (t.owner() != null) owner(t.owner(), e.meta(), tree, m);
        if (t.size() != null) {
            long size = e.type() == EntryType.FILE ? e.meta().size() : -1;
            if (size != t.size()) m.add(new Mismatch("size", t.size() + " bytes", size < 0 ? "not a regular file (" + typeOf(e) + ")" : size + " bytes"));
        }
        if (t.needsContent()) content(t, e, m);
        if (t.noSetuid()) {
            List<LayerEntry> found = tree.setuidFiles(tree.resolvePath(t.path(), 0) == null ? t.path() : tree.resolvePath(t.path(), 0),
                    MAX_SETUID_LISTED + 1);
            if (!found.isEmpty()) {
                List<String> shown = found.stream().limit(MAX_SETUID_LISTED)
                        .map(f -> PathNames.printable(f.path()) + " (" + String.format("%04o", f.mode() & 07777) + ")").toList();
                m.add(new Mismatch("noSetuid", "no setuid or setgid file under " + t.path(),
                        String.join(", ", shown) + (found.size() > MAX_SETUID_LISTED ? " and more" : "")));
            }
        }
        return TestResult.of("file", t.name(), location, m, "", since(start));
    }

    private static void content(Spec.FileTest t, FileTree.Entry e, List<Mismatch> m) {
        if (e.type() != EntryType.FILE) {
            m.add(new Mismatch("content", "a regular file to read", typeOf(e)));
            return;
        }
        if (e.contentTooLarge() || e.content() == null) {
            m.add(new Mismatch("content", "a file of at most " + (FileTree.MAX_CONTENT >> 20) + " MiB", e.meta().size() + " bytes (not read)"));
            return;
        }
        String text = new String(e.content(), StandardCharsets.UTF_8);
        for (Pattern p : t.contains()) {
            if (!p.matcher(text).find()) m.add(new Mismatch("contains", "content matching /" + p.pattern() + "/", excerpt(text)));
        }
        for (Pattern p : t.notContains()) {
            Matcher x = p.matcher(text);
            if (x.find()) m.add(new Mismatch("notContains", "no match of /" + p.pattern() + "/", "'" + excerpt(x.group()) + "' on line " + lineOf(text, x.start())));
        }
    }

    private static void owner(String want, LayerEntry e, FileTree tree, List<Mismatch> m) {
        String u = want.contains(":") ? want.substring(0, want.indexOf(':')) : want;
        String g = want.contains(":") ? want.substring(want.indexOf(':') + 1) : null;
        long uid = id(u, tree.ids("/etc/passwd"));
        String found = e.uid() + ":" + e.gid();
        if (uid < 0) {
            m.add(new Mismatch("owner", want, "no user " + u + " in the image's /etc/passwd (file owned by " + found + ")"));
            return;
        }
        if (uid != e.uid()) {
            m.add(new Mismatch("owner", want + (u.equals(Long.toString(uid)) ? "" : " (uid " + uid + ")"), found));
            return;
        }
        if (g != null) {
            long gid = id(g, tree.ids("/etc/group"));
            if (gid < 0) m.add(new Mismatch("owner", want, "no group " + g + " in the image's /etc/group (file owned by " + found + ")"));
            else if (gid != e.gid()) m.add(new Mismatch("owner", want + (g.equals(Long.toString(gid)) ? "" : " (gid " + gid + ")"), found));
        }
    }

    static long id(String nameOrNumber, Map<String, Long> names) {
        if (nameOrNumber.matches("\\d{1,10}")) return Long.parseLong(nameOrNumber);
        return names.getOrDefault(nameOrNumber, -1L);
    }

    static String typeOf(FileTree.Entry e) {
        return describeType(e.type());
    }

    static String describeType(EntryType t) {
        return switch (t) {
            case FILE, HARDLINK -> "file";
            case DIRECTORY -> "directory";
            case SYMLINK -> "symlink";
            case OTHER -> "device, FIFO or socket";
        };
    }

    static String describe(Spec.FileType t) {
        return t.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The start of a text, on one line, control characters escaped. */
    static String excerpt(String s) {
        String one = s.length() > 160 ? s.substring(0, 160) + "..." : s;
        return "'" + PathNames.printable(one.replace("\n", "\\n")) + "'";
    }

    static int lineOf(String s, int offset) {
        int n = 1;
        for (int i = 0; i < offset && i < s.length(); i++) if (s.charAt(i) == '\n') n++;
        return n;
    }

    static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}

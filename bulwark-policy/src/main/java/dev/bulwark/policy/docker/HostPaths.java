package dev.bulwark.policy.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Host paths as the kernel will see them when dockerd mounts them: {@link #normalise} does the lexical part
 * ({@code /etc/../etc//x} is {@code /etc/x}); {@link #resolve} also follows symbolic links on this host, as
 * realpath does, so a bind of {@code /tmp/link} where link points to {@code /etc} is judged as {@code /etc}.
 * Components that do not exist are taken as they are (dockerd creates a missing bind source as a directory,
 * after which "missing/../link" does reach the link, so later components are still checked), never follows more than {@link #MAX_LINKS} links (a loop is an error: deny), and
 * never reads anything but link targets. A link swapped after the decision (TOCTOU) is outside what a plugin
 * can see; docs/policy.md says so.
 */
public final class HostPaths {
    /** As Linux's MAXSYMLINKS: more links than this in one path is a loop or an attack. */
    public static final int MAX_LINKS = 40;
    private static final int MAX_LENGTH = 4096;

    private HostPaths() {
    }

    /** The path with "//", "." and ".." removed lexically; null when it is not absolute or too long. */
    public static String normalise(String path) {
        if (path == null || !path.startsWith("/") || path.length() > MAX_LENGTH || path.indexOf('\0') >= 0) return null;
        Deque<String> out = new ArrayDeque<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (!out.isEmpty()) out.removeLast();
            } else {
                out.addLast(c);
            }
        }
        return out.isEmpty() ? "/" : "/" + String.join("/", out);
    }

    /**
     * The path with symbolic links on this host resolved (see the class comment).
     *
     * @throws IOException when it is not absolute, too long, or has more than {@link #MAX_LINKS} links
     */
    public static String resolve(String path) throws IOException {
        if (path == null) throw new IOException("not an absolute host path: null");
        // Resolved afresh every time, never cached: a cached resolution would let one request prime "/tmp/x is
        // /tmp/safe" and a second one, after the link was swapped to /etc, be decided on the stale answer — a
        // reliable bypass where otherwise only the race between decision and mount remains.
        return resolveNow(path);
    }

    /** The resolution itself (tests call it directly). */
    static String resolveNow(String path) throws IOException {
        if (normalise(path) == null) throw new IOException("not an absolute host path: " + clip(path));
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        // done.size() at and above which a component is known to be missing: below a missing directory nothing
        // exists, so no lstat is needed until ".." climbs back above it (lstat of a missing path costs an
        // exception inside the JDK, which was most of the decode time of a create with binds)
        int missingFrom = Integer.MAX_VALUE;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.equals(".")) continue;
            if (c.equals("..")) {
                if (!done.isEmpty()) done.remove(done.size() - 1);
                if (done.size() < missingFrom) missingFrom = Integer.MAX_VALUE;
                continue;
            }
            done.add(c);
            if (done.size() > missingFrom) continue;
            Path p = Path.of("/" + String.join("/", done));
            int kind = kind(p);
            if (kind == MISSING) missingFrom = done.size();
            if (kind == LINK) {
                if (++links > MAX_LINKS) throw new IOException("more than " + MAX_LINKS + " symbolic links in " + clip(path) + " (a loop?)");
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    throw new IOException("cannot read the link " + p + ": " + e.getMessage());
                }
                done.remove(done.size() - 1);
                if (target.startsWith("/")) done.clear();
                List<String> t = components(target);
                for (int i = t.size() - 1; i >= 0; i--) todo.addFirst(t.get(i));
                if (todo.size() + done.size() > MAX_LENGTH) throw new IOException("link targets too long in " + clip(path));
            }
        }
        return done.isEmpty() ? "/" : "/" + String.join("/", done);
    }

    private static final int OTHER = 0;
    private static final int LINK = 1;
    private static final int MISSING = 2;

    /**
     * What the path is, by the calls that do not throw for the common answers: a directory (most components) is
     * one lstat, a missing path one more that reports absence without an exception.
     */
    private static int kind(Path p) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return OTHER;
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return MISSING;
        return Files.isSymbolicLink(p) ? LINK : OTHER;
    }

    private static List<String> components(String s) {
        List<String> out = new ArrayList<>();
        for (String c : s.split("/")) if (!c.isEmpty()) out.add(c);
        return out;
    }

    private static String clip(String s) {
        if (s == null) return "null";
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}

package dev.bulwark.policy.docker;

import java.io.IOException;
import java.nio.file.Files;
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
        if (normalise(path) == null) throw new IOException("not an absolute host path: " + clip(path));
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.equals(".")) continue;
            if (c.equals("..")) {
                if (!done.isEmpty()) done.remove(done.size() - 1);
                continue;
            }
            done.add(c);
            Path p = Path.of("/" + String.join("/", done));
            if (Files.isSymbolicLink(p)) {
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

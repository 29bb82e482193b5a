package dev.bulwark.harden.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The subordinate id range a user may map into a user namespace, from /etc/subuid and /etc/subgid ("name:start:count"
 * or "uid:start:count"). When the invoking user has none, Bulwark uses {@link #DEFAULT_START}:{@link #DEFAULT_SIZE},
 * the range Docker's userns-remap "default" allocates to its dockremap user on a fresh host, and says so: it never
 * edits the host's files.
 */
final class SubIds {
    static final long DEFAULT_START = 100000;
    static final long DEFAULT_SIZE = 65536;

    record Range(long start, long size) {}

    private SubIds() {}

    /** The first range for {@code user} or {@code uid} in a subuid/subgid file, if any. Malformed lines are skipped. */
    static Optional<Range> find(Path file, String user, long uid) {
        List<String> lines;
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > (1 << 20)) return Optional.empty();
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        return find(lines, user, uid);
    }

    static Optional<Range> find(List<String> lines, String user, long uid) {
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] p = l.split(":");
            if (p.length != 3) continue;
            if (!p[0].equals(user) && !p[0].equals(Long.toString(uid))) continue;
            try {
                long start = Long.parseLong(p[1]);
                long size = Long.parseLong(p[2]);
                // a range starting at 0 would map root inside to root outside: no isolation, refuse it
                if (start > 0 && size > 0 && start + size <= 0xffffffffL) return Optional.of(new Range(start, size));
            } catch (NumberFormatException ignored) {
                // not a range
            }
        }
        return Optional.empty();
    }

    /** The id map for the invoking user: /etc/subuid and /etc/subgid, else the default, with where it came from. */
    static RunSpec.IdMap forInvoker(Path etc) {
        String user = System.getProperty("user.name");
        long uid = currentUid();
        Optional<Range> u = find(etc.resolve("subuid"), user, uid);
        Optional<Range> g = find(etc.resolve("subgid"), user, uid);
        if (u.isPresent() && g.isPresent()) {
            long size = Math.min(u.get().size(), g.get().size());
            return new RunSpec.IdMap(u.get().start(), g.get().start(), size, etc.resolve("subuid") + " and " + etc.resolve("subgid"));
        }
        return new RunSpec.IdMap(DEFAULT_START, DEFAULT_START, DEFAULT_SIZE, "default " + DEFAULT_START + ":" + DEFAULT_SIZE
                + " (no range for " + user + " in " + etc.resolve("subuid") + " and " + etc.resolve("subgid") + ")");
    }

    static long currentUid() {
        try {
            Object v = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return ((Number) v).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}

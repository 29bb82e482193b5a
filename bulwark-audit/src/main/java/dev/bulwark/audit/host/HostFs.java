package dev.bulwark.audit.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The host's files under a root directory, read the way the host would see them: absolute symlinks resolve inside
 * the root (like a chroot), user and group names come from the root's {@code /etc/passwd} and {@code /etc/group}.
 */
final class HostFs {
    private static final int MAX_LINKS = 40;

    private final Path root;
    private final boolean live;
    private volatile Accounts accounts;

    HostFs(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.live = this.root.equals(Path.of("/"));
    }

    Path root() {
        return root;
    }

    /** The real path of a host path: symlinks followed inside the root. A missing tail is kept as written. */
    Path resolve(String hostPath) {
        if (live) {
            Path p = Path.of(hostPath);
            try {
                return p.toRealPath();
            } catch (IOException e) {
                return p.toAbsolutePath().normalize();
            }
        }
        Deque<String> todo = new ArrayDeque<>();
        for (String part : hostPath.split("/")) {
            if (!part.isEmpty()) todo.addLast(part);
        }
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.removeFirst();
            if (part.equals(".")) continue;
            if (part.equals("..")) {
                if (!done.isEmpty()) done.removeLast();
                continue;
            }
            done.add(part);
            Path p = onDisk(done);
            if (Files.isSymbolicLink(p) && links++ < MAX_LINKS) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    done.removeLast();
                    if (target.startsWith("/")) done.clear();
                    List<String> parts = new ArrayList<>();
                    for (String t : target.split("/")) {
                        if (!t.isEmpty()) parts.add(t);
                    }
                    for (int i = parts.size() - 1; i >= 0; i--) todo.addFirst(parts.get(i));
                } catch (IOException e) {
                    // leave the link itself as the answer
                }
            }
        }
        return onDisk(done);
    }

    private Path onDisk(List<String> parts) {
        Path p = root;
        for (String s : parts) p = p.resolve(s);
        return p;
    }

    /** The host path of a path on disk ("/etc/docker" for {@code <root>/etc/docker}). */
    String hostPath(Path onDisk) {
        if (live) return onDisk.toString();
        Path rel = root.relativize(onDisk.toAbsolutePath().normalize());
        return "/" + rel.toString().replace('\\', '/');
    }

    boolean exists(String hostPath) {
        return Files.exists(resolve(hostPath), LinkOption.NOFOLLOW_LINKS);
    }

    boolean isDirectory(String hostPath) {
        return Files.isDirectory(resolve(hostPath), LinkOption.NOFOLLOW_LINKS);
    }

    boolean isRegularFile(String hostPath) {
        return Files.isRegularFile(resolve(hostPath), LinkOption.NOFOLLOW_LINKS);
    }

    Optional<String> read(String hostPath) throws IOException {
        Path p = resolve(hostPath);
        if (!Files.isRegularFile(p)) return Optional.empty();
        return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
    }

    /** Ownership and mode of a host path (after following links inside the root), or empty when absent. */
    Optional<Stat> stat(String hostPath) throws IOException {
        Path p = resolve(hostPath);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        Accounts acc = accounts();
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        return Optional.of(new Stat(hostPath, hostPath(p), uid, gid, acc.userName(uid), acc.groupName(gid), mode));
    }

    /** The regular files under a host directory, sorted, with their host paths. */
    List<String> filesUnder(String hostDir) throws IOException {
        Path d = resolve(hostDir);
        if (!Files.isDirectory(d)) return List.of();
        try (var s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).map(this::hostPath).sorted().toList();
        }
    }

    Accounts accounts() {
        Accounts a = accounts;
        if (a == null) {
            a = Accounts.read(this);
            accounts = a;
        }
        return a;
    }

    /**
     * A file's owner and mode.
     *
     * @param path     the host path asked for
     * @param realPath the host path after links
     * @param mode     the st_mode bits (file type included)
     */
    record Stat(String path, String realPath, int uid, int gid, String user, String group, int mode) {
        int permissions() {
            return mode & 07777;
        }

        /** True when no permission bit beyond {@code allowed} is set ("644 or more restrictive"). */
        boolean atMost(int allowed) {
            return (permissions() & ~allowed) == 0;
        }

        boolean isSocket() {
            return (mode & 0170000) == 0140000;
        }

        String owner() {
            return user + ":" + group;
        }

        String describe() {
            String where = realPath.equals(path) ? path : path + " -> " + realPath;
            return where + " mode " + octal(permissions()) + " owner " + owner() + " (uid " + uid + ", gid " + gid + ")";
        }
    }

    static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }

    /** Users and groups of the host ({@code /etc/passwd}, {@code /etc/group} under the root). */
    record Accounts(Map<Integer, String> users, Map<String, Integer> primaryGid, Map<Integer, String> groups,
                    Map<String, Set<String>> members) {
        static Accounts read(HostFs fs) {
            Map<Integer, String> users = new LinkedHashMap<>();
            Map<String, Integer> primary = new LinkedHashMap<>();
            Map<Integer, String> groups = new LinkedHashMap<>();
            Map<String, Set<String>> members = new LinkedHashMap<>();
            try {
                for (String line : fs.read("/etc/passwd").orElse("").split("\n")) {
                    String[] f = line.split(":", -1);
                    if (f.length >= 4 && !line.startsWith("#")) {
                        try {
                            users.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                            primary.putIfAbsent(f[0], Integer.parseInt(f[3]));
                        } catch (NumberFormatException ignored) {
                            // a malformed line: skip it as the C library does
                        }
                    }
                }
                for (String line : fs.read("/etc/group").orElse("").split("\n")) {
                    String[] f = line.split(":", -1);
                    if (f.length >= 3 && !line.startsWith("#")) {
                        try {
                            groups.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                        } catch (NumberFormatException ignored) {
                            continue;
                        }
                        Set<String> m = new LinkedHashSet<>();
                        if (f.length >= 4) {
                            for (String u : f[3].split(",")) {
                                if (!u.isBlank()) m.add(u.strip());
                            }
                        }
                        members.putIfAbsent(f[0], m);
                    }
                }
            } catch (IOException e) {
                // unreadable account files: names fall back to numbers
            }
            return new Accounts(Map.copyOf(users), Map.copyOf(primary), Map.copyOf(groups), Map.copyOf(members));
        }

        String userName(int uid) {
            return users.getOrDefault(uid, Integer.toString(uid));
        }

        String groupName(int gid) {
            return groups.getOrDefault(gid, Integer.toString(gid));
        }

        Optional<Integer> gidOf(String group) {
            return groups.entrySet().stream().filter(e -> e.getValue().equals(group)).map(Map.Entry::getKey).findFirst();
        }

        /** Members of a group: listed in /etc/group, plus users whose primary group it is. */
        Optional<Set<String>> membersOf(String group) {
            Set<String> listed = members.get(group);
            if (listed == null) return Optional.empty();
            Set<String> all = new LinkedHashSet<>(listed);
            gidOf(group).ifPresent(gid -> primaryGid.forEach((u, g) -> {
                if (g.equals(gid)) all.add(u);
            }));
            return Optional.of(all);
        }
    }
}

package dev.bulwark.audit.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dockerd process that serves the audited Docker host, found in {@code <root>/proc}.
 *
 * @param pid  its process id (-1 when the command line was given, not found)
 * @param argv its command line
 * @param exe  the executable ({@code /proc/<pid>/exe}), or empty
 * @param uid  its real user id, or -1 when unknown
 * @param why  how it was chosen, for evidence
 */
record DaemonProcess(int pid, List<String> argv, String exe, int uid, String why) {
    DaemonProcess {
        argv = List.copyOf(argv);
        exe = exe == null ? "" : exe;
    }

    static DaemonProcess given(List<String> argv) {
        return new DaemonProcess(-1, argv, "", -1, "command line given");
    }

    /**
     * Finds the dockerd that serves {@code dockerHost} ("unix:///path" or "tcp://h:p"): first one whose -H/--host
     * (or daemon.json "hosts", when {@code hostsOf} knows them) names that socket, else one whose --data-root is the
     * daemon's DockerRootDir, else the only dockerd running.
     *
     * @param dockerRootDir DockerRootDir from /info, or null
     */
    static Optional<DaemonProcess> find(HostFs fs, String dockerHost, String dockerRootDir,
                                        java.util.function.Function<DaemonArgs, List<String>> hostsOf) throws IOException {
        Path proc = fs.root().resolve("proc");
        if (!Files.isDirectory(proc)) return Optional.empty();
        List<DaemonProcess> candidates = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : ds) {
                List<String> argv = cmdline(p.resolve("cmdline"));
                if (argv.isEmpty() || !isDockerd(argv)) continue;
                int pid = Integer.parseInt(p.getFileName().toString());
                candidates.add(new DaemonProcess(pid, argv, exe(p), uid(p), ""));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        candidates.sort(java.util.Comparator.comparingInt(DaemonProcess::pid));
        String wanted = normaliseHost(fs, dockerHost);
        for (DaemonProcess d : candidates) {
            DaemonArgs args = DaemonArgs.parse(d.argv);
            List<String> hosts = hostsOf.apply(args);
            if (hosts.isEmpty()) hosts = List.of("unix:///var/run/docker.sock");
            for (String h : hosts) {
                String n = normaliseHost(fs, h);
                if (n.equals(wanted) || (h.startsWith("fd://") && wanted.equals(normaliseHost(fs, "unix:///var/run/docker.sock")))) {
                    return Optional.of(d.because("pid " + d.pid + " listens on " + h));
                }
            }
        }
        if (!local(dockerHost)) return Optional.empty(); // a remote daemon: a local dockerd is not it
        if (dockerRootDir != null && !dockerRootDir.isBlank()) {
            for (DaemonProcess d : candidates) {
                String dataRoot = DaemonArgs.parse(d.argv).last("data-root")
                    .orElse(DaemonArgs.parse(d.argv).last("graph").orElse("/var/lib/docker"));
                String r = fs.resolve(dataRoot).toString();
                String info = fs.resolve(dockerRootDir).toString();
                // with userns-remap, DockerRootDir is <data-root>/<uid>.<gid>
                if (info.equals(r) || (info.startsWith(r + "/") && info.substring(r.length() + 1).matches("\\d+\\.\\d+"))) {
                    return Optional.of(d.because("pid " + d.pid + " has --data-root " + dataRoot + " (DockerRootDir " + dockerRootDir + ")"));
                }
            }
        }
        if (candidates.size() == 1) {
            DaemonProcess d = candidates.getFirst();
            return Optional.of(d.because("pid " + d.pid + " is the only dockerd running"));
        }
        return Optional.empty();
    }

    /** A unix socket, or TCP to this machine's loopback: the daemon may be one of this /proc's processes. */
    static boolean local(String dockerHost) {
        if (dockerHost.startsWith("unix://") || dockerHost.startsWith("fd://")) return true;
        if (!dockerHost.startsWith("tcp://")) return false;
        String h = dockerHost.substring("tcp://".length());
        return h.startsWith("127.") || h.startsWith("localhost") || h.startsWith("[::1]");
    }

    private DaemonProcess because(String reason) {
        return new DaemonProcess(pid, argv, exe, uid, reason);
    }

    static boolean isDockerd(List<String> argv) {
        String a0 = argv.getFirst();
        String base = a0.substring(a0.lastIndexOf('/') + 1);
        return base.equals("dockerd") || (base.equals("docker") && argv.size() > 1 && argv.get(1).equals("daemon"));
    }

    private static String normaliseHost(HostFs fs, String h) {
        if (h.startsWith("unix://")) {
            return "unix://" + fs.resolve(h.substring("unix://".length()));
        }
        if (h.startsWith("tcp://")) {
            String rest = h.substring("tcp://".length());
            return "tcp://" + (rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest);
        }
        return h;
    }

    static List<String> cmdline(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < b.length) out.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String exe(Path procPid) {
        try {
            return Files.readSymbolicLink(procPid.resolve("exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static int uid(Path procPid) {
        try {
            for (String line : Files.readAllLines(procPid.resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }
}

package dev.bulwark.audit.host;

import dev.bulwark.audit.host.Check.Verdict;
import dev.bulwark.model.AuditResult;
import dev.bulwark.model.Severity;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Section 3: ownership and permissions of the daemon's files. "644 or more restrictive" means no permission bit
 * outside 0644 (so 0640 and 0600 pass, 0646 and 1644 do not), compared bit by bit rather than as numbers.
 */
final class FileChecks {
    private FileChecks() {
    }

    static final List<String> UNIT_DIRS = List.of("/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system",
        "/usr/lib/systemd/system");

    @FunctionalInterface
    interface Paths {
        List<String> of(Facts f) throws Exception;
    }

    static List<Check> all() {
        List<Check> c = new ArrayList<>();
        Paths service = f -> unitFile(f, "docker.service").map(List::of).orElse(List.of());
        Paths socketUnit = f -> unitFile(f, "docker.socket").map(List::of).orElse(List.of());
        Paths etcDocker = f -> List.of("/etc/docker");
        Paths daemonJson = f -> List.of(f.settings().configPath());
        Paths etcDefault = f -> List.of("/etc/default/docker");
        Paths sysconfig = f -> List.of("/etc/sysconfig/docker");
        c.add(owner("3.1", "Ensure that the docker.service file ownership is set to root:root", 1, service, "root"));
        c.add(mode("3.2", "Ensure that docker.service file permissions are appropriately set", 1, service, 0644));
        c.add(owner("3.3", "Ensure that docker.socket file ownership is set to root:root", 1, socketUnit, "root"));
        c.add(mode("3.4", "Ensure that docker.socket file permissions are set to 644 or more restrictive", 1, socketUnit,
            0644));
        c.add(owner("3.5", "Ensure that the /etc/docker directory ownership is set to root:root", 1, etcDocker, "root"));
        c.add(mode("3.6", "Ensure that /etc/docker directory permissions are set to 755 or more restrictively", 1,
            etcDocker, 0755));
        c.add(certs("3.7", "Ensure that registry certificate file ownership is set to root:root", true));
        c.add(certs("3.8", "Ensure that registry certificate file permissions are set to 444 or more restrictively", false));
        c.add(owner("3.9", "Ensure that TLS CA certificate file ownership is set to root:root", 1, f -> tlsFile(f, "tlscacert", "ca.pem"), "root"));
        c.add(mode("3.10", "Ensure that TLS CA certificate file permissions are set to 444 or more restrictively", 1,
            f -> tlsFile(f, "tlscacert", "ca.pem"), 0444));
        c.add(owner("3.11", "Ensure that Docker server certificate file ownership is set to root:root", 1,
            f -> tlsFile(f, "tlscert", "cert.pem"), "root"));
        c.add(mode("3.12", "Ensure that the Docker server certificate file permissions are set to 444 or more restrictively",
            1, f -> tlsFile(f, "tlscert", "cert.pem"), 0444));
        c.add(owner("3.13", "Ensure that the Docker server certificate key file ownership is set to root:root", 1,
            f -> tlsFile(f, "tlskey", "key.pem"), "root"));
        c.add(mode("3.14", "Ensure that the Docker server certificate key file permissions are set to 400", 1,
            f -> tlsFile(f, "tlskey", "key.pem"), 0400));
        c.add(socketOwner());
        c.add(mode("3.16", "Ensure that the Docker socket file permissions are set to 660 or more restrictively", 1,
            FileChecks::dockerSockets, 0660));
        c.add(owner("3.17", "Ensure that the daemon.json file ownership is set to root:root", 2, daemonJson, "root"));
        c.add(mode("3.18", "Ensure that daemon.json file permissions are set to 644 or more restrictive", 2, daemonJson,
            0644));
        c.add(owner("3.19", "Ensure that the /etc/default/docker file ownership is set to root:root", 2, etcDefault, "root"));
        c.add(mode("3.20", "Ensure that the /etc/default/docker file permissions are set to 644 or more restrictively", 2,
            etcDefault, 0644));
        c.add(mode("3.21", "Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more restrictively",
            2, sysconfig, 0644));
        c.add(owner("3.22", "Ensure that the /etc/sysconfig/docker file ownership is set to root:root", 2, sysconfig, "root"));
        c.add(owner("3.23", "Ensure that the Containerd socket file ownership is set to root:root", 1,
            FileChecks::containerdSockets, "root"));
        c.add(mode("3.24", "Ensure that the Containerd socket file permissions are set to 660 or more restrictively", 1,
            FileChecks::containerdSockets, 0660));
        return c;
    }

    private static Check owner(String id, String title, int level, Paths paths, String group) {
        CheckInfo info = new CheckInfo(id, title, 3, level, true, Severity.MEDIUM, "file");
        return Check.of(info, (f, i) -> perFile(f, i, paths.of(f), st -> {
            if (st.uid() == 0 && inGroup(f, st, group)) return Verdict.pass(st.describe());
            return Verdict.fail(st.describe(), "chown root:" + group + " " + st.realPath());
        }));
    }

    private static Check mode(String id, String title, int level, Paths paths, int allowed) {
        Severity sev = allowed == 0400 ? Severity.HIGH : Severity.MEDIUM;
        CheckInfo info = new CheckInfo(id, title, 3, level, true, sev, "file");
        return Check.of(info, (f, i) -> perFile(f, i, paths.of(f), st -> {
            if (st.atMost(allowed)) return Verdict.pass(st.describe());
            return Verdict.fail(st.describe() + ": bits " + HostFs.octal(st.permissions() & ~allowed) + " exceed "
                + HostFs.octal(allowed), "chmod " + Integer.toOctalString(allowed) + " " + st.realPath());
        }));
    }

    /** 3.15: the daemon's unix sockets belong to root and the socket group (-G, default docker). */
    private static Check socketOwner() {
        CheckInfo info = new CheckInfo("3.15", "Ensure that the Docker socket file ownership is set to root:docker", 3, 1,
            true, Severity.HIGH, "file");
        return Check.of(info, (f, i) -> {
            String group = f.settings().get("group").map(DaemonSettings.Setting::last).orElse("docker");
            return perFile(f, i, dockerSockets(f), st -> {
                if (st.uid() == 0 && inGroup(f, st, group)) return Verdict.pass(st.describe());
                return Verdict.fail(st.describe() + " (expected root:" + group + ")", "chown root:" + group + " "
                    + st.realPath() + " (dockerd sets it at start from --group / \"group\")");
            });
        });
    }

    /** Owned by the group: by name, or by gid (0 is root even where the root has no /etc/group). */
    private static boolean inGroup(Facts f, HostFs.Stat st, String group) {
        if (st.group().equals(group)) return true;
        if (group.equals("root")) return st.gid() == 0;
        if (group.matches("\\d+")) return st.gid() == Integer.parseInt(group);
        return false;
    }

    @FunctionalInterface
    interface StatRule {
        Verdict test(HostFs.Stat st);
    }

    private static List<AuditResult> perFile(Facts f, CheckInfo info, List<String> paths, StatRule rule) {
        if (paths.isEmpty()) {
            boolean tls = info.id().matches("3\\.(9|1[0-4])");
            return List.of(Check.result(info, Verdict.info(tls
                ? "TLS is not configured for the daemon (no tls, tlsverify, tlscacert, tlscert or tlskey)"
                : "not present on this host"), "host", ""));
        }
        List<AuditResult> out = new ArrayList<>();
        for (String p : paths) {
            Verdict v;
            try {
                Optional<HostFs.Stat> st = f.fs.stat(p);
                v = st.isEmpty() ? Verdict.info(p + " does not exist on this host") : rule.test(st.get());
            } catch (IOException e) {
                v = Verdict.error("cannot stat " + p + ": " + e.getMessage());
            }
            out.add(Check.result(info, v, p, p));
        }
        return out;
    }

    /** 3.7 and 3.8: every file under /etc/docker/certs.d. */
    private static Check certs(String id, String title, boolean ownership) {
        CheckInfo info = new CheckInfo(id, title, 3, 1, true, Severity.MEDIUM, "file");
        return Check.of(info, (f, i) -> {
            String dir = "/etc/docker/certs.d";
            if (!f.fs.isDirectory(dir)) {
                return List.of(Check.result(i, Verdict.info(dir + " does not exist: no registry certificates"), dir, dir));
            }
            List<String> files = f.fs.filesUnder(dir);
            if (files.isEmpty()) {
                return List.of(Check.result(i, Verdict.pass(dir + " holds no certificate files"), dir, dir));
            }
            return perFile(f, i, files, st -> {
                if (ownership) {
                    if (st.uid() == 0 && st.gid() == 0) return Verdict.pass(st.describe());
                    return Verdict.fail(st.describe(), "chown root:root " + st.realPath());
                }
                if (st.atMost(0444)) return Verdict.pass(st.describe());
                return Verdict.fail(st.describe(), "chmod 444 " + st.realPath());
            });
        });
    }

    // ------------------------------------------------------------------ where the files are

    /** The systemd unit file of a unit, first in systemd's search order, or empty. */
    static Optional<String> unitFile(Facts f, String unit) {
        for (String d : UNIT_DIRS) {
            String p = d + "/" + unit;
            if (f.fs.exists(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** ListenStream= values of the docker.socket unit ("/run/docker.sock", "2375", "0.0.0.0:2375"). */
    static List<String> listenStreams(Facts f) throws IOException {
        Optional<String> unit = unitFile(f, "docker.socket");
        List<String> out = new ArrayList<>();
        if (unit.isEmpty()) return out;
        for (String line : f.fs.read(unit.get()).orElse("").split("\n")) {
            String l = line.strip();
            if (l.startsWith("ListenStream=")) {
                String v = l.substring("ListenStream=".length()).strip();
                if (!v.isEmpty()) out.add(v);
            }
        }
        return out;
    }

    /** The daemon's unix sockets: -H unix://..., "hosts", docker.socket's paths for fd://, else the default. */
    static List<String> dockerSockets(Facts f) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String h : f.settings().hosts()) {
            if (h.startsWith("unix://")) {
                String p = h.substring("unix://".length());
                out.add(p.isEmpty() ? "/var/run/docker.sock" : p);
            } else if (h.startsWith("fd://")) {
                List<String> ls = listenStreams(f).stream().filter(s -> s.startsWith("/")).toList();
                out.addAll(ls.isEmpty() ? List.of("/var/run/docker.sock") : ls);
            }
        }
        return List.copyOf(out);
    }

    /** containerd's sockets: --containerd / "containerd", the system one, and a daemon-managed one. */
    static List<String> containerdSockets(Facts f) {
        Set<String> candidates = new LinkedHashSet<>();
        DaemonSettings s = f.settings();
        s.get("containerd").ifPresent(x -> candidates.add(x.last()));
        candidates.add("/run/containerd/containerd.sock");
        String execRoot = s.get("exec-root").map(DaemonSettings.Setting::last).orElse("/var/run/docker");
        candidates.add(execRoot + "/containerd/containerd.sock");
        List<String> present = candidates.stream().filter(f.fs::exists).toList();
        return present.isEmpty() ? List.of("/run/containerd/containerd.sock") : present;
    }

    /** A TLS file of the daemon, when TLS is configured; the default under /root/.docker when only the flag is. */
    static List<String> tlsFile(Facts f, String key, String defaultName) {
        DaemonSettings s = f.settings();
        Optional<DaemonSettings.Setting> v = s.get(key);
        if (v.isPresent() && !v.get().last().isBlank()) return List.of(v.get().last());
        boolean tls = s.bool("tls").orElse(false) || s.bool("tlsverify").orElse(false);
        if (!tls) return List.of();
        String certPath = f.view.environment().getOrDefault("DOCKER_CERT_PATH", "/root/.docker");
        return List.of(certPath + "/" + defaultName);
    }
}

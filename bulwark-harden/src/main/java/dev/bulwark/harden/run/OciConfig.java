package dev.bulwark.harden.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.bulwark.harden.seccomp.Seccomp;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * An OCI runtime config (config.json, runtime-spec 1.0.2 as runc 1.1 reads it) for a {@link RunSpec}. The parts
 * not in the spec record are fixed, and follow what Docker gives a container: /proc, a tmpfs /dev with its own
 * devpts and shm, /sys read-only, the kernel interfaces under /proc masked or read-only, a cgroup of its own, and
 * RLIMIT_NOFILE 1024. Written with jackson-core's generator, not databind: `bulwark run` starts a JVM for every
 * container, and databind's first use costs more than the rest of the run's preparation (bench/run-bench.sh).
 */
public final class OciConfig {
    private static final JsonFactory JSON = new JsonFactory();
    /** Docker's masked paths: kernel state a container has no business reading. */
    static final List<String> MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware");
    /** Docker's read-only paths: kernel knobs a container must not turn. */
    static final List<String> READ_ONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    static final long CPU_PERIOD = 100_000;

    private OciConfig() {}

    /**
     * The config as pretty JSON; {@code cgroupsPath} places the container's cgroup (null: runc's default),
     * {@code rootPath} is root.path (null: the spec's rootfs, absolute).
     */
    public static String json(RunSpec s, String hostname, String cgroupsPath, String rootPath) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            write(g, s, hostname, cgroupsPath, rootPath == null ? s.rootfs().toAbsolutePath().toString() : rootPath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + "\n";
    }

    private static void write(JsonGenerator g, RunSpec s, String hostname, String cgroupsPath, String rootPath) throws IOException {
        g.writeStartObject();
        g.writeStringField("ociVersion", "1.0.2-dev");
        g.writeObjectFieldStart("process");
        g.writeBooleanField("terminal", s.terminal());
        g.writeObjectFieldStart("user");
        g.writeNumberField("uid", s.uid());
        g.writeNumberField("gid", s.gid());
        g.writeArrayFieldStart("additionalGids");
        g.writeNumber(s.gid());
        g.writeEndArray();
        g.writeEndObject();
        strings(g, "args", s.args());
        strings(g, "env", s.env());
        g.writeStringField("cwd", s.cwd());
        g.writeObjectFieldStart("capabilities");
        List<String> caps = s.caps().stream().map(c -> c.startsWith("CAP_") ? c : "CAP_" + c).toList();
        for (String set : List.of("bounding", "effective", "permitted")) strings(g, set, caps);
        strings(g, "inheritable", List.of());
        strings(g, "ambient", List.of());
        g.writeEndObject();
        g.writeArrayFieldStart("rlimits");
        g.writeStartObject();
        g.writeStringField("type", "RLIMIT_NOFILE");
        g.writeNumberField("hard", 1024);
        g.writeNumberField("soft", 1024);
        g.writeEndObject();
        g.writeEndArray();
        g.writeBooleanField("noNewPrivileges", true);
        if (s.apparmor() != null && !s.apparmor().isEmpty()) g.writeStringField("apparmorProfile", s.apparmor());
        g.writeEndObject();

        g.writeObjectFieldStart("root");
        g.writeStringField("path", rootPath);
        g.writeBooleanField("readonly", s.readOnlyRoot());
        g.writeEndObject();
        g.writeStringField("hostname", hostname);

        g.writeArrayFieldStart("mounts");
        mount(g, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        mount(g, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        // no gid=5: in a user namespace the tty group may not be mapped
        mount(g, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620");
        mount(g, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(g, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        if (s.privateNetwork() || s.idMap() == null) {
            mount(g, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        } else {
            // sysfs needs a network namespace the user namespace owns; share the host's read-only instead
            mount(g, "/sys", "bind", "/sys", "rbind", "nosuid", "noexec", "nodev", "ro");
        }
        for (String t : s.tmpfs()) mount(g, t, "tmpfs", "tmpfs", "nosuid", "nodev", "noexec", "mode=1777", "size=65536k");
        for (RunSpec.Bind b : s.binds())
            mount(g, b.target(), "bind", b.source().toAbsolutePath().toString(), "rbind", b.writable() ? "rw" : "ro", "nosuid", "nodev");
        g.writeEndArray();

        g.writeObjectFieldStart("linux");
        if (s.idMap() != null) {
            idMap(g, "uidMappings", s.idMap().hostUid(), s.idMap().size());
            idMap(g, "gidMappings", s.idMap().hostGid(), s.idMap().size());
        }
        g.writeArrayFieldStart("namespaces");
        List<String> ns = new java.util.ArrayList<>(List.of("pid", "ipc", "uts", "mount"));
        if (s.privateNetwork()) ns.add("network");
        if (s.idMap() != null) ns.add("user");
        for (String t : ns) {
            g.writeStartObject();
            g.writeStringField("type", t);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("resources");
        g.writeArrayFieldStart("devices");
        g.writeStartObject();
        g.writeBooleanField("allow", false);
        g.writeStringField("access", "rwm");
        g.writeEndObject();
        g.writeEndArray();
        if (s.memoryBytes() > 0) {
            g.writeObjectFieldStart("memory");
            g.writeNumberField("limit", s.memoryBytes());
            g.writeNumberField("swap", s.memoryBytes());
            g.writeEndObject();
        }
        if (s.cpus() > 0) {
            g.writeObjectFieldStart("cpu");
            g.writeNumberField("quota", Math.max(1000, Math.round(s.cpus() * CPU_PERIOD)));
            g.writeNumberField("period", CPU_PERIOD);
            g.writeEndObject();
        }
        if (s.pidsLimit() > 0) {
            g.writeObjectFieldStart("pids");
            g.writeNumberField("limit", s.pidsLimit());
            g.writeEndObject();
        }
        g.writeEndObject();
        if (cgroupsPath != null) g.writeStringField("cgroupsPath", cgroupsPath);
        strings(g, "maskedPaths", MASKED);
        strings(g, "readonlyPaths", READ_ONLY);
        if (s.seccomp() != null) {
            g.writeFieldName("seccomp");
            g.writeRawValue(Seccomp.toJson(s.seccomp()).strip());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void idMap(JsonGenerator g, String field, long host, long size) throws IOException {
        g.writeArrayFieldStart(field);
        g.writeStartObject();
        g.writeNumberField("containerID", 0);
        g.writeNumberField("hostID", host);
        g.writeNumberField("size", size);
        g.writeEndObject();
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    private static void mount(JsonGenerator g, String dst, String type, String src, String... options) throws IOException {
        g.writeStartObject();
        g.writeStringField("destination", dst);
        g.writeStringField("type", type);
        g.writeStringField("source", src);
        g.writeArrayFieldStart("options");
        for (String o : options) g.writeString(o);
        g.writeEndArray();
        g.writeEndObject();
    }
}

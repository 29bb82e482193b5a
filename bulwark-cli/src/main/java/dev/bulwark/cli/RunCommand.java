package dev.bulwark.cli;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.run.Isolation;
import dev.bulwark.harden.run.RunSpec;
import dev.bulwark.harden.run.Runner;
import dev.bulwark.harden.run.vm.MicroVm;
import dev.bulwark.harden.seccomp.Arch;
import dev.bulwark.harden.seccomp.Seccomp;
import dev.bulwark.harden.seccomp.SeccompProfile;
import dev.bulwark.harden.settings.HardenedSettings;
import dev.bulwark.harden.settings.Hardening;
import dev.bulwark.model.BulwarkException;
import dev.bulwark.model.Decision;
import dev.bulwark.model.Finding;
import dev.bulwark.model.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `bulwark run`: Run an image with hardened settings: read-only root, user namespace, dropped capabilities, seccomp,
 * cgroup limits; under runc, gVisor's runsc or in a micro-VM ({@code --isolation}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run an image with hardened settings: read-only root, user namespace, dropped capabilities,"
                + " seccomp, no new privileges, memory / CPU / pids limits, no network; under runc, gVisor (--isolation sandbox)"
                + " or a micro-VM with its own kernel (--isolation vm). Output streams through; signals are"
                + " passed on; the exit status is the container's (see docs/run.md).")
final class RunCommand implements Callable<Integer> {
    static final String DEFAULT_ROOTFS_DIR = "/var/lib/bulwark/rootfs";
    static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @Mixin
    ImageOptions image;
    @Parameters(index = "1..*", paramLabel = "CMD", description = "Command and arguments (after --), replacing the image's CMD.")
    List<String> command = new ArrayList<>();
    @Option(names = "--isolation", paramLabel = "LEVEL", description = "container (runc, default), sandbox (gVisor's runsc) or vm (QEMU micro-VM with its own kernel).")
    String isolation = "container";
    @Option(names = "--user", paramLabel = "UID[:GID]|NAME", description = "User inside (default: the image's USER; root becomes 65534:65534).")
    String user;
    @Option(names = "--read-only", arity = "0..1", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Mount the root read-only (default true; --no-read-only writes to an overlay thrown away afterwards).")
    boolean readOnly = true;
    @Option(names = "--tmpfs", paramLabel = "PATH", description = "A writable tmpfs (repeatable; /tmp, /run and the image's VOLUMEs always).")
    List<String> tmpfs = new ArrayList<>();
    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory limit, no extra swap (default 512m).")
    String memory;
    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit (default 1.0).")
    Double cpus;
    @Option(names = "--pids-limit", paramLabel = "N", description = "Process limit (default 256).")
    Integer pids;
    @Option(names = "--network", paramLabel = "none", description = "Network: none (default: a namespace of its own with only lo).")
    String network = "none";
    @Option(names = "--cap-add", paramLabel = "CAP", split = ",", description = "Keep this capability (all others are dropped).")
    List<String> capAdd = new ArrayList<>();
    @Option(names = "--seccomp", paramLabel = "FILE|default|unconfined", description = "Seccomp profile (default: Bulwark's deny-list, docs/run.md).")
    String seccomp = "default";
    @Option(names = "--apparmor", paramLabel = "PROFILE", description = "AppArmor profile (loaded already); refused when AppArmor is not enabled in the kernel.")
    String apparmor;
    @Option(names = "--userns", arity = "0..1", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run in a user namespace: root inside is an unprivileged host uid from /etc/subuid (default true).")
    boolean userns = true;
    @Option(names = {"-v", "--volume"}, paramLabel = "HOST:CTR[:ro]", description = "Bind a host directory (repeatable).")
    List<String> volumes = new ArrayList<>();
    @Option(names = {"-e", "--env"}, paramLabel = "NAME[=VALUE]", description = "Set an environment variable (NAME alone: from this environment).")
    List<String> env = new ArrayList<>();
    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside (default: the image's WORKDIR, else /).")
    String workdir;
    @Option(names = "--gate-severity", paramLabel = "SEVERITY", description = "Refuse to run when a scan of the image finds a vulnerability at or above this (exit 1).")
    String gateSeverity;
    @Option(names = "--gate-isolation", paramLabel = "LEVEL", description = "With --gate-severity: an image the scan flags may still run at this"
            + " isolation or a stronger one (e.g. vm); below it, it is refused.")
    String gateIsolation;
    @Option(names = "--policy", paramLabel = "FILE", description = "Refuse to run when this policy denies the run as a container create (exit 1).")
    Path policy;
    @Mixin
    DbOptions db;
    @Option(names = "--rootfs-dir", paramLabel = "DIR", description = "Where unpacked images are kept (default " + DEFAULT_ROOTFS_DIR + ").")
    Path rootfsDir;
    @Option(names = "--runc", paramLabel = "PATH", description = "The runc binary (default: runc on PATH).")
    Path runc;
    @Mixin
    IsolationOptions levels;
    @Option(names = "--vm-console", paramLabel = "FILE", description = "Copy the VM's console log (kernel messages, the init's timings) to FILE afterwards.")
    Path vmConsole;
    @Option(names = "--print-config", description = "Print the bundle's config.json (its root the unpacked image) instead of running.")
    boolean printConfig;
    @Option(names = {"-q", "--quiet"}, description = "Say nothing but errors.")
    boolean quiet;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (image.target == null) {
            err.println("bulwark: run needs an IMAGE: bulwark run [OPTIONS] IMAGE [-- CMD...]");
            return ExitCode.USAGE.code;
        }
        Severity gate;
        long mem;
        Isolation level;
        Isolation gateLevel;
        List<RunSpec.Bind> binds = new ArrayList<>();
        try {
            gate = gateSeverity == null ? null : severity(gateSeverity);
            level = Isolation.parse(isolation);
            gateLevel = gateIsolation == null ? null : Isolation.parse(gateIsolation);
            if (gateLevel != null && gate == null) throw new IllegalArgumentException("--gate-isolation needs --gate-severity (which findings ask for it)");
            MicroVm.Accel.parse(levels.vmAccel); // a usage error, before anything is read
            if (level != Isolation.CONTAINER && apparmor != null)
                throw new IllegalArgumentException("--apparmor applies only with --isolation container (runsc and the VM do not load host AppArmor profiles)");
            if (level == Isolation.VM && !seccomp.equals("default"))
                throw new IllegalArgumentException("--seccomp applies only with --isolation container or sandbox (no filter runs inside the VM: its own kernel is the wall)");
            if (level == Isolation.VM && printConfig) throw new IllegalArgumentException("--print-config: a VM has no OCI config (container and sandbox do)");
            mem = memory == null ? Hardening.DEFAULT_MEMORY : Hardening.parseMemory(memory);
            if (level == Isolation.VM && mem < MicroVm.MIN_MEMORY)
                throw new IllegalArgumentException("--memory " + memory + ": a VM needs at least 128m (its kernel and init live in it too)");
            if (cpus != null && (cpus <= 0 || cpus > 1024 || cpus.isNaN())) throw new IllegalArgumentException("--cpus " + cpus + " is not a CPU count");
            if (pids != null && (pids <= 0)) throw new IllegalArgumentException("--pids-limit must be positive");
            if (!network.equals("none"))
                throw new IllegalArgumentException("--network " + network + ": only none is supported (no host namespaces; bridges need a network plugin)");
            for (String v : volumes) binds.add(RunSpec.Bind.parse(v));
            for (String t : tmpfs) if (!t.startsWith("/") || t.contains("/../") || t.endsWith("/..")) throw new IllegalArgumentException("--tmpfs " + t + ": must be an absolute path");
            if (workdir != null && !workdir.startsWith("/")) throw new IllegalArgumentException("--workdir must be absolute: " + workdir);
            for (String c : capAdd) {
                if (!c.toUpperCase(Locale.ROOT).matches("(CAP_)?[A-Z_]+")) throw new IllegalArgumentException("--cap-add " + c + ": not a capability");
            }
            for (String e : env) if (e.isEmpty() || e.startsWith("=") || e.indexOf('\0') >= 0) throw new IllegalArgumentException("-e " + e + ": expected NAME[=VALUE]");
        } catch (IllegalArgumentException e) {
            err.println("bulwark: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        try {
            if (apparmor != null && !Runner.appArmorEnabled())
                throw new HardenException("--apparmor " + apparmor, "AppArmor is not enabled in this kernel (/sys/module/apparmor/parameters/enabled)");
            // a bad policy file stops the run before the image is read
            dev.bulwark.policy.Policy loaded = policy == null ? null : dev.bulwark.policy.Policies.load(policy);
            Path runcPath = null;
            MicroVm.Options vmOptions = null;
            switch (level) {
                case CONTAINER -> {
                    runcPath = runc != null ? runc : which("runc");
                    if (!Files.isRegularFile(runcPath) || !Files.isExecutable(runcPath)) throw new HardenException(runcPath.toString(), "not an executable runc");
                }
                case SANDBOX -> runcPath = levels.runsc();
                case VM -> vmOptions = levels.vm(vmConsole);
            }
            // read once: --password-stdin consumes standard input, which the container inherits afterwards
            dev.bulwark.image.SourceOptions options = image.sourceOptions(System.in);
            if (image.passwordStdin && options.credentials() != null) {
                image.password = options.credentials().password();
                image.passwordStdin = false;
            }
            if (gate != null) {
                List<Finding> found = RunGates.scan(image, db.location(), gate, err);
                if (!found.isEmpty() && gateLevel != null && level.atLeast(gateLevel)) {
                    if (!quiet) err.println("bulwark: " + found.size() + " vulnerabilit" + (found.size() == 1 ? "y" : "ies") + " at or above " + gate
                            + " in " + image.target + ": running at --isolation " + level.id() + " as --gate-isolation " + gateLevel.id() + " allows");
                    found = List.of();
                }
                if (!found.isEmpty()) {
                    if (gateLevel != null) err.println("bulwark: refused below --isolation " + gateLevel.id() + " (this run: " + level.id() + ")");
                    err.println("bulwark: refused: " + found.size() + " vulnerabilit" + (found.size() == 1 ? "y" : "ies") + " at or above " + gate
                            + " in " + image.target);
                    found.stream().limit(10).forEach(f -> err.println("  " + RunGates.describe(f)));
                    if (found.size() > 10) err.println("  ... and " + (found.size() - 10) + " more (bulwark scan " + image.target + ")");
                    err.flush();
                    return ExitCode.FINDINGS.code;
                }
            }
            // the VM's kernel is the wall: no user namespace, and its share shows the image's own ownership
            RunSpec.IdMap map = userns && level != Isolation.VM ? Runner.idMap() : null;
            if (map != null && !quiet && map.source().startsWith("default")) err.println("bulwark: user namespace: " + map.source());
            Path store = rootfsDir != null ? rootfsDir : Path.of(DEFAULT_ROOTFS_DIR);
            if (rootfsDir == null) makeStore(store);
            Runner.Prepared prep = Runner.prepare(image.target, options, store, map,
                    quiet ? null : m -> {
                        err.println("bulwark: " + m);
                        err.flush();
                    });
            try {
                var cfg = prep.config();
                if (!cfg.complete() && !quiet)
                    err.println("bulwark: warning: " + image.target + ": only the image's facts are known (no ENV values; argv split on spaces)");
                HardenedSettings s = Hardening.settings(image.target, cfg, new Hardening.Overrides(user, mem, cpus, pids, seccomp, apparmor, tmpfs, capAdd));
                long[] ids = resolveUser(s.user(), prep.rootfs(), user != null ? "--user " + s.user() : "the image's USER " + s.user());
                List<String> argv = cfg.argv(command);
                Map<String, String> environment = new LinkedHashMap<>();
                for (String e : cfg.env()) environment.put(e.contains("=") ? e.substring(0, e.indexOf('=')) : e, e);
                environment.putIfAbsent("PATH", PATH);
                for (String e : env) {
                    String name = e.contains("=") ? e.substring(0, e.indexOf('=')) : e;
                    String value = e.contains("=") ? e : System.getenv(name) == null ? null : name + "=" + System.getenv(name);
                    if (value == null) environment.remove(name);
                    else environment.put(name, value);
                }
                environment.putIfAbsent("HOSTNAME", "HOSTNAME=bulwark");
                String cwd = workdir != null ? workdir : cfg.workingDir().isEmpty() ? "/" : cfg.workingDir();
                Set<String> caps = new LinkedHashSet<>(s.capAdd());
                // the guest kernel is the VM's wall: no filter inside it (docs/run.md), so none is built for it
                SeccompProfile filter = level == Isolation.VM ? null : seccompFor(seccomp, caps);
                RunSpec run = new RunSpec(prep.rootfs(), argv, List.copyOf(environment.values()), cwd, ids[0], ids[1], readOnly,
                        s.tmpfs(), binds, List.copyOf(caps), filter, apparmor, s.memoryBytes(), s.cpus(), s.pidsLimit(), true, map, false);
                if (policy != null) {
                    Decision d = RunGates.policy(loaded, policyImageName(image.target, prep.info()), run, List.copyOf(caps), seccomp, level);
                    if (!d.allowed()) {
                        err.println("bulwark: refused by policy " + policy + ": " + d.rule() + (d.message().isEmpty() ? "" : ": " + d.message()));
                        return ExitCode.FINDINGS.code;
                    }
                }
                err.flush();
                if (printConfig) {
                    System.out.print(Runner.config(run));
                    System.out.flush();
                    return ExitCode.OK.code;
                }
                Path work = store.resolveSibling("run");
                return switch (level) {
                    case CONTAINER -> Runner.run(run, runcPath, work, Runner.Streams.inherit());
                    case SANDBOX -> Runner.runSandbox(run, runcPath, work, Runner.Streams.inherit());
                    case VM -> MicroVm.run(run, vmOptions, work, MicroVm.Output.inherit(), m -> {
                        if (!quiet) {
                            err.println("bulwark: " + m);
                            err.flush();
                        }
                    });
                };
            } finally {
                Runner.release(prep);
            }
        } catch (IllegalArgumentException e) {
            err.println("bulwark: " + e.getMessage());
            return ExitCode.USAGE.code;
        } catch (BulwarkException | IOException | InterruptedException e) {
            return ExitCode.report(e, err);
        }
    }

    /**
     * The image as the policy's {@code image} variable sees it: a registry or engine name as given; an image from a
     * file has no name, so it is "localhost/bulwark-local" with its tag, pinned by the manifest digest.
     */
    static String policyImageName(String target, dev.bulwark.model.ImageInfo info) {
        for (String scheme : List.of("registry:", "docker:", "docker-daemon:")) {
            if (target.startsWith(scheme)) return target.substring(scheme.length()).replaceFirst("^/+", "");
        }
        if (!target.contains(":") && !Files.exists(Path.of(target))) return target;
        String tag = info.repoTags().isEmpty() ? "latest" : info.repoTags().get(0).replaceAll(".*:", "").replaceAll("[^A-Za-z0-9_.-]", "-");
        if (tag.isEmpty()) tag = "latest";
        return "localhost/bulwark-local:" + tag + (info.manifestDigest() == null ? "" : "@" + info.manifestDigest());
    }

    static Severity severity(String s) {
        Severity v = Severity.parse(s);
        if (v == Severity.UNKNOWN) throw new IllegalArgumentException("--gate-severity " + s + ": one of NEGLIGIBLE, LOW, MEDIUM, HIGH, CRITICAL");
        return v;
    }

    /** The store and the run directory beside it: root's, traversable, as the mapped root must pass through them. */
    static void makeStore(Path store) throws IOException {
        for (Path d : List.of(store.getParent(), store)) {
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d);
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx--x--x"));
            }
        }
    }

    static Path which(String name) throws HardenException {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) continue;
            Path c = Path.of(dir, name);
            if (Files.isRegularFile(c) && Files.isExecutable(c)) return c;
        }
        String flag = name.startsWith("qemu") ? "--qemu" : "--" + name;
        String pkg = name.startsWith("qemu") ? "qemu-system-x86" : name;
        throw new HardenException(name, "not found on PATH (install " + pkg + ", or give " + flag + " PATH)");
    }

    static SeccompProfile seccompFor(String choice, Set<String> caps) throws HardenException {
        if (choice.equals("default")) return Runner.defaultSeccomp();
        if (choice.equals("unconfined")) return null;
        SeccompProfile p = Seccomp.read(Path.of(choice));
        Set<String> withPrefix = new LinkedHashSet<>();
        caps.forEach(c -> withPrefix.add(c.startsWith("CAP_") ? c : "CAP_" + c));
        return Seccomp.forContainer(p, Arch.host(), withPrefix, null);
    }

    /**
     * "uid[:gid]" as numbers; a name is looked up in the image's /etc/passwd (and a group name in /etc/group), read
     * without following links: a hostile image's /etc/passwd may be a link to the host's.
     */
    static long[] resolveUser(String user, Path rootfs, String where) throws HardenException {
        String u = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        String g = user.contains(":") ? user.substring(user.indexOf(':') + 1) : null;
        long uid = number(u);
        long gid = -1;
        if (uid < 0 || g == null) {
            String[] entry = lookup(rootfs, "passwd", u, uid);
            if (entry == null) {
                if (uid < 0) throw new HardenException(where, "no user " + u + " in the image's /etc/passwd");
            } else {
                uid = number(entry[2]);
                gid = number(entry[3]);
            }
        }
        if (g != null) {
            gid = number(g);
            if (gid < 0) {
                String[] entry = lookup(rootfs, "group", g, -1);
                if (entry == null) throw new HardenException(where, "no group " + g + " in the image's /etc/group");
                gid = number(entry[2]);
            }
        }
        if (gid < 0) gid = uid;
        if (uid < 0 || gid < 0) throw new HardenException(where, "not a user");
        return new long[] {uid, gid};
    }

    private static String[] lookup(Path rootfs, String file, String name, long id) throws HardenException {
        Path f = rootfs.resolve("etc").resolve(file);
        try {
            if (Files.isSymbolicLink(rootfs.resolve("etc")) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > (4 << 20))
                return null;
            for (String line : Files.readAllLines(f)) {
                String[] p = line.split(":", -1);
                if (p.length < 4) continue;
                if (p[0].equals(name) || (id >= 0 && p[2].equals(Long.toString(id)))) return p;
            }
            return null;
        } catch (IOException e) {
            throw new HardenException(f.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    private static long number(String s) {
        if (s == null || !s.matches("\\d{1,10}")) return -1;
        long v = Long.parseLong(s);
        return v > 0xfffffffeL ? -1 : v;
    }
}

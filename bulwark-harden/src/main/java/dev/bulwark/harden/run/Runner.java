package dev.bulwark.harden.run;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.seccomp.Arch;
import dev.bulwark.harden.seccomp.Seccomp;
import dev.bulwark.harden.seccomp.SeccompProfile;
import dev.bulwark.image.ImageException;
import dev.bulwark.image.ImageRunConfig;
import dev.bulwark.image.ImageSource;
import dev.bulwark.image.ImageSources;
import dev.bulwark.image.LayerApplier;
import dev.bulwark.image.SourceOptions;
import dev.bulwark.model.ImageInfo;
import java.io.File;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs an image under runc from a generated OCI bundle: the image is unpacked once per image id and id offset
 * (ownership shifted into the user namespace's range as it is written, so no chown pass and no idmapped mounts,
 * which runc 1.1 does not have), kept in the cache and mounted read-only; each run gets a fresh bundle and runc
 * state directory, both removed afterwards with the container and its cgroup. The same bundle runs under gVisor's
 * runsc for the sandbox level ({@link #runSandbox}); the VM level is {@link dev.bulwark.harden.run.vm.MicroVm}.
 */
public final class Runner {
    /** Calls Docker's default profile refuses because they reach past the container: this is their deny-list. */
    static final List<String> DENIED = List.of("acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module",
            "delete_module", "finit_module", "fsconfig", "fsmount", "fsopen", "fspick", "get_kernel_syms", "init_module",
            "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mount", "move_mount",
            "name_to_handle_at", "nfsservctl", "open_by_handle_at", "open_tree", "perf_event_open", "pivot_root",
            "process_vm_readv", "process_vm_writev", "ptrace", "query_module", "quotactl", "reboot", "request_key",
            "setns", "settimeofday", "stime", "swapoff", "swapon", "syslog", "umount", "umount2", "unshare", "uselib",
            "userfaultfd", "ustat", "vhangup", "_sysctl", "sysfs", "mbind", "move_pages", "set_mempolicy");

    /**
     * An image ready to run.
     *
     * @param rootfs    the unpacked tree
     * @param temporary whether {@link #release} deletes it (an image without an id is not cached)
     * @param unpacked  whether this call unpacked it (false: from the cache)
     */
    public record Prepared(Path rootfs, ImageInfo info, ImageRunConfig config, RunSpec.IdMap idMap, boolean temporary, boolean unpacked) {}

    /** Where a run's standard streams go (INHERIT streams the container's output straight through). */
    public record Streams(ProcessBuilder.Redirect in, ProcessBuilder.Redirect out, ProcessBuilder.Redirect err) {
        public static Streams inherit() {
            return new Streams(ProcessBuilder.Redirect.INHERIT, ProcessBuilder.Redirect.INHERIT, ProcessBuilder.Redirect.INHERIT);
        }
    }

    private Runner() {}

    /** The id map for the invoking user: /etc/subuid and /etc/subgid, else 100000:65536 (see {@link RunSpec.IdMap#source()}). */
    public static RunSpec.IdMap idMap() {
        return SubIds.forInvoker(Path.of("/etc"));
    }

    /** Bulwark's default filter: every call of this machine's architecture but {@link #DENIED}, which fail with EPERM. */
    public static SeccompProfile defaultSeccomp() {
        Arch host = Arch.host();
        Set<String> names = new TreeSet<>(Seccomp.syscalls(host));
        DENIED.forEach(names::remove);
        return SeccompProfile.allowList(List.of(host), List.copyOf(names));
    }

    /** Whether AppArmor is enabled in this kernel (runc refuses an apparmorProfile otherwise). */
    public static boolean appArmorEnabled() {
        try {
            return Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).strip().equals("Y");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Opens the image and finds or makes its root filesystem in {@code cacheDir} (null: a temporary one); {@code idMap} null
     * means no user namespace (ownership as in the image). {@code log} hears what happens (may be null).
     */
    public static Prepared prepare(String target, SourceOptions options, Path cacheDir, RunSpec.IdMap idMap, Consumer<String> log)
            throws ImageException, HardenException, InterruptedException {
        Consumer<String> say = log == null ? m -> {} : log;
        try (ImageSource src = ImageSources.open(target, options)) {
            ImageInfo info = src.info();
            ImageRunConfig config = ImageRunConfig.of(src);
            long uidOff = idMap == null ? 0 : idMap.hostUid();
            long gidOff = idMap == null ? 0 : idMap.hostGid();
            LayerApplier.Options ao = LayerApplier.Options.shifted(uidOff, gidOff);
            try {
                if (info.imageId() == null || cacheDir == null) {
                    Path parent = cacheDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : Files.createDirectories(cacheDir);
                    Path tmp = Files.createTempDirectory(parent, "bulwark-rootfs-", PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                    Path root = Files.createDirectory(tmp.resolve("rootfs"));
                    say.accept("unpacking " + info.target() + " (not cached)");
                    unpack(src, root, ao, tmp);
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
                    return new Prepared(root, info, config, idMap, true, true);
                }
                Path dir = Files.createDirectories(cacheDir);
                Path done = dir.resolve(info.imageId().hex() + "-" + uidOff + "-" + gidOff);
                if (Files.isDirectory(done.resolve("rootfs"))) return new Prepared(done.resolve("rootfs"), info, config, idMap, false, false);
                Path tmp = Files.createTempDirectory(dir, ".unpack-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path root = Files.createDirectory(tmp.resolve("rootfs"));
                say.accept("unpacking " + info.target() + " into " + done);
                unpack(src, root, ao, tmp);
                // the rootfs's own mode decides who may traverse it; the holder stays private until it is complete
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
                try {
                    Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                    deleteTree(tmp); // another run unpacked the same image first: use theirs
                }
                return new Prepared(done.resolve("rootfs"), info, config, idMap, false, true);
            } catch (IOException e) {
                throw new HardenException(cacheDir == null ? "" : cacheDir.toString(), "cannot write the unpacked image: " + e.getMessage(), e);
            }
        }
    }

    private static void unpack(ImageSource src, Path root, LayerApplier.Options ao, Path holder)
            throws ImageException, InterruptedException, IOException {
        boolean ok = false;
        try {
            LayerApplier.apply(src, root, ao);
            ok = true;
        } finally {
            if (!ok) deleteTree(holder);
        }
    }

    /** Deletes a temporary rootfs made by {@link #prepare} (cached ones stay). */
    public static void release(Prepared p) throws IOException {
        if (p.temporary()) deleteTree(p.rootfs().getParent());
    }

    /**
     * Runs the container to its end with runc and returns its exit status (128 + signal when a signal ended it, as
     * a shell reports it). SIGINT, SIGTERM and SIGHUP sent to this process are passed to the container's init
     * with {@code runc kill}. {@code workDir} holds the bundle and runc's state for the run; both are removed.
     */
    public static int run(RunSpec spec, Path runc, Path workDir, Streams streams) throws HardenException, InterruptedException {
        return execute(spec, runc, Isolation.CONTAINER, workDir, streams, null);
    }

    /**
     * Runs the same bundle under gVisor's runsc (the sandbox level): runsc speaks runc's command line, and applies
     * the spec's seccomp filter inside the sandbox ({@code --oci-seccomp}) on top of its own filter of the host
     * calls it makes. runsc needs its stdout and stderr to be pipes or opened for append, so they are pipes here,
     * copied to where {@code streams} says.
     */
    public static int runSandbox(RunSpec spec, Path runsc, Path workDir, Streams streams) throws HardenException, InterruptedException {
        requireSandbox(runsc);
        return execute(spec, runsc, Isolation.SANDBOX, workDir, streams, null);
    }

    /**
     * Calls {@code action} with the signal's name (INT, TERM, HUP) when this process gets one, until the returned
     * Runnable is run (it restores the previous handlers). For runners that stop their workload themselves (the VM).
     */
    public static Runnable onStopSignals(Consumer<String> action) {
        List<Object> restore = new ArrayList<>();
        for (String sig : List.of("INT", "TERM", "HUP")) SignalForwarding.install(sig, () -> action.accept(sig), restore);
        return () -> SignalForwarding.restore(restore);
    }

    /** Fails with one line unless {@code runsc} is an executable file. */
    public static void requireSandbox(Path runsc) throws HardenException {
        if (!Files.isRegularFile(runsc) || !Files.isExecutable(runsc))
            throw new HardenException(runsc.toString(), "no gVisor runsc here (install the runsc package, or give --runsc PATH)");
    }

    /**
     * What a learn run found: the workload's exit status, and the directories it wrote to outside its tmpfs mounts
     * (each the deepest directory holding a written, created or deleted entry; none nested in another).
     */
    public record Writes(int exitCode, List<String> directories) {
        public Writes {
            directories = List.copyOf(directories);
        }
    }

    /**
     * Runs the workload on a writable overlay over the image (read-only root off, whatever the spec says) and
     * reports where it wrote: the entries of the overlay's upper layer, before it is thrown away.
     */
    public static Writes learnWrites(RunSpec spec, Path runc, Path workDir, Streams streams) throws HardenException, InterruptedException {
        RunSpec writable = new RunSpec(spec.rootfs(), spec.args(), spec.env(), spec.cwd(), spec.uid(), spec.gid(), false, spec.tmpfs(),
                spec.binds(), spec.caps(), spec.seccomp(), spec.apparmor(), spec.memoryBytes(), spec.cpus(), spec.pidsLimit(),
                spec.privateNetwork(), spec.idMap(), spec.terminal());
        List<String> found = new ArrayList<>();
        int code = execute(writable, runc, Isolation.CONTAINER, workDir, streams, upper -> found.addAll(WriteSet.directories(upper)));
        return new Writes(code, found);
    }

    private static int execute(RunSpec spec, Path runc, Isolation level, Path workDir, Streams streams, Consumer<Path> beforeCleanup)
            throws HardenException, InterruptedException {
        boolean sandbox = level == Isolation.SANDBOX;
        String tool = sandbox ? "runsc" : "runc";
        if (spec.idMap() != null) {
            requireSearchable(spec.rootfs(), spec.idMap());
            for (RunSpec.Bind b : spec.binds()) requireSearchable(b.source(), spec.idMap());
        }
        String id = "bulwark-" + HexFormat.of().formatHex(randomBytes());
        Path bundle;
        Path state;
        try {
            Files.createDirectories(workDir);
            bundle = Files.createTempDirectory(workDir, id + "-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            state = Files.createDirectory(bundle.resolve("state"));
        } catch (IOException e) {
            throw new HardenException(workDir.toString(), "cannot write the bundle: " + e.getMessage(), e);
        }
        Path merged = null;
        try {
            RunSpec effective = spec;
            if (!spec.readOnlyRoot()) {
                // a writable root never writes to the cached tree: an overlay whose upper layer dies with the run
                merged = overlay(spec, bundle);
                effective = new RunSpec(merged, spec.args(), spec.env(), spec.cwd(), spec.uid(), spec.gid(), false, spec.tmpfs(),
                        spec.binds(), spec.caps(), spec.seccomp(), spec.apparmor(), spec.memoryBytes(), spec.cpus(), spec.pidsLimit(),
                        spec.privateNetwork(), spec.idMap(), spec.terminal());
            }
            Files.writeString(bundle.resolve("config.json"), OciConfig.json(effective, "bulwark", "/bulwark/" + id, null));
        } catch (IOException e) {
            if (merged != null) quiet("umount", merged.toString());
            try {
                deleteTree(bundle);
            } catch (IOException ignored) {
                // best effort
            }
            throw new HardenException(workDir.toString(), "cannot write the bundle: " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>();
        // runc in a session of its own: a terminal's Ctrl-C signals the whole foreground group, and runc, which passes
        // on what it gets, would deliver it to the container a second time beside the `runc kill` below
        if (Files.isExecutable(SETSID)) cmd.addAll(List.of(SETSID.toString(), "--wait"));
        cmd.addAll(List.of(runc.toString(), "--root", state.toString()));
        if (sandbox) {
            // without a network of its own runsc would set up its netstack from the host's namespace
            cmd.add(spec.privateNetwork() ? "--network=none" : "--network=host");
            if (spec.seccomp() != null) cmd.add("--oci-seccomp");
        }
        cmd.addAll(List.of("run", "--bundle", bundle.toString(), id));
        Process p = null;
        List<Object> restore = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(streams.in());
            if (sandbox) pb.redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(ProcessBuilder.Redirect.PIPE);
            else pb.redirectOutput(streams.out()).redirectError(streams.err());
            // before the start: a container can be up and talking before a cold JVM has made its first handler,
            // and a stop signal in between would end the JVM and leave runc running in its own session
            CompletableFuture<Process> started = new CompletableFuture<>();
            forwardSignals(runc, state, id, started, restore);
            try {
                p = pb.start();
            } catch (IOException e) {
                started.completeExceptionally(e);
                throw e;
            }
            started.complete(p);
            if (sandbox) {
                pumps.add(Pipes.copy(p.getInputStream(), streams.out(), java.io.FileDescriptor.out, "stdout"));
                pumps.add(Pipes.copy(p.getErrorStream(), streams.err(), java.io.FileDescriptor.err, "stderr"));
            }
            int code = p.waitFor();
            for (Thread t : pumps) t.join();
            return code;
        } catch (IOException e) {
            throw new HardenException(runc.toString(), "cannot start " + tool + ": " + e.getMessage(), e);
        } finally {
            SignalForwarding.restore(restore);
            if (p != null && p.isAlive()) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            }
            quiet(runc.toString(), "--root", state.toString(), "delete", sandbox ? "--force" : "-f", id);
            if (merged != null) quiet("umount", merged.toString());
            if (beforeCleanup != null && merged != null) beforeCleanup.accept(bundle.resolve("upper"));
            try {
                deleteTree(bundle);
            } catch (IOException ignored) {
                // a leftover bundle directory under the work dir is harmless
            }
        }
    }

    /**
     * runc mounts the root and binds from inside the user namespace, as the mapped root: every directory above them
     * must let that uid pass (a cache under /root, mode 0700, does not). Says which one and what to do.
     */
    static void requireSearchable(Path p, RunSpec.IdMap map) throws HardenException {
        Path abs = p.toAbsolutePath().normalize();
        for (Path d = abs.getParent(); d != null; d = d.getParent()) {
            try {
                int mode = ((Number) Files.getAttribute(d, "unix:mode")).intValue();
                long uid = ((Number) Files.getAttribute(d, "unix:uid")).longValue();
                long gid = ((Number) Files.getAttribute(d, "unix:gid")).longValue();
                boolean ok = (mode & 01) != 0 || (uid == map.hostUid() && (mode & 0100) != 0) || (gid == map.hostGid() && (mode & 010) != 0);
                if (!ok) {
                    throw new HardenException(d.toString(), String.format("mode %04o: the user namespace's root (host uid %d) cannot reach %s;"
                            + " chmod o+x it or choose another --rootfs-dir / mount source", mode & 07777, map.hostUid(), abs));
                }
            } catch (IOException e) {
                throw new HardenException(d.toString(), "cannot read: " + e.getMessage(), e);
            }
        }
    }

    /** Mounts lower = the image, upper = a fresh directory owned by the mapped root; returns the merged dir. */
    private static Path overlay(RunSpec spec, Path bundle) throws IOException, HardenException {
        Path upper = Files.createDirectory(bundle.resolve("upper"));
        Path work = Files.createDirectory(bundle.resolve("work"));
        Path merged = Files.createDirectory(bundle.resolve("merged"));
        if (spec.idMap() != null) {
            Files.setAttribute(upper, "unix:uid", (int) spec.idMap().hostUid());
            Files.setAttribute(upper, "unix:gid", (int) spec.idMap().hostGid());
        }
        Files.setPosixFilePermissions(upper, PosixFilePermissions.fromString("rwxr-xr-x"));
        String opts = "lowerdir=" + spec.rootfs().toAbsolutePath() + ",upperdir=" + upper + ",workdir=" + work;
        for (Path d : List.of(spec.rootfs().toAbsolutePath(), upper, work)) {
            if (d.toString().contains(":") || d.toString().contains(","))
                throw new HardenException(d.toString(), "a path with ':' or ',' cannot be an overlay layer");
        }
        try {
            Process p = new ProcessBuilder("mount", "-t", "overlay", "overlay", "-o", opts, merged.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) throw new HardenException(merged.toString(), "cannot mount the writable overlay: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HardenException(merged.toString(), "interrupted while mounting the overlay");
        }
        return merged;
    }

    /** The config.json {@link #run} would write for this spec (a fresh cgroup name each call). */
    public static String config(RunSpec spec) {
        return OciConfig.json(spec, "bulwark", "/bulwark/bulwark-" + HexFormat.of().formatHex(randomBytes()), null);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** util-linux's setsid (essential on Debian): {@code --wait} keeps the exit status when it has to fork. */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /**
     * Passes INT, TERM and HUP to the container with {@code runc kill}. Installed before runc starts: a signal that
     * comes before runc has made the container is passed on once it is there (tried for up to 5 s, between tries
     * waiting on runc's own end, which makes further tries pointless).
     */
    private static void forwardSignals(Path runc, Path state, String id, CompletableFuture<Process> runcProcess, List<Object> restore) {
        for (String sig : List.of("INT", "TERM", "HUP")) {
            SignalForwarding.install(sig, () -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                try {
                    while (status(runc.toString(), "--root", state.toString(), "kill", id, sig) != 0) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) return;
                        Process rp = runcProcess.get(left, TimeUnit.NANOSECONDS);
                        if (rp.waitFor(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS)) return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    // runc never started, or not within the bound: nothing to pass the signal to
                }
            }, restore);
        }
    }

    /** The exit status of a command run quietly; -1 when it could not run or did not end in 30 s. */
    static int status(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Best effort: runc may be gone, or the container already is. */
    static void quiet(String... cmd) {
        status(cmd);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

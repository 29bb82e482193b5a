package dev.bulwark.harden.run.vm;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.run.RunSpec;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs a {@link RunSpec} in a QEMU micro-VM ({@code -M microvm}: no PCI, no firmware, virtio-mmio devices found
 * through ACPI): the guest kernel of a Debian package, an initramfs Bulwark writes for the run (busybox, the modules,
 * {@link VmInit}'s scripts), the image's root shared read-only over virtio-9p, and a second share that carries the
 * command's stdout, stderr and exit status back. The VM has no network device; its memory and CPUs are the spec's
 * limits. The host reads the output files as they grow, so output streams (with a poll's delay) and nothing the
 * guest does to those names afterwards reaches the host: it reads through descriptors it opened before the boot.
 */
public final class MicroVm {
    /** Below this the Debian kernel and the initramfs do not fit with room for a workload. */
    public static final long MIN_MEMORY = 128L << 20;
    /** How long a KVM boot may take to reach the init before KVM is taken for unusable here. */
    static final long KVM_BOOT_SECONDS = 15;
    /**
     * Emulated (TCG) guests calibrate the TSC against an emulated timer, slowly and often wrongly; telling the
     * kernel the frequency and trusting the TSC cuts a second from every boot (measured; the facts).
     * Speculation mitigations (retpolines, page-table isolation...) cost every emulated instruction and defend
     * against a CPU that an emulator does not speculate like, and the crypto self-tests run at every boot: without
     * both, the boot to the init went from 1.9 s to 1.2 s (guest clock, one command, 512M). Zeroing every page
     * and slab object the guest kernel allocates (Debian's default, against leaks of stale kernel memory to the
     * guest's processes) costs another 0.07-0.1 s of emulated stores; the guest holds one workload.
     */
    static final String TCG_CMDLINE = "tsc_early_khz=2600000 tsc=reliable no_timer_check mitigations=off cryptomgr.notests init_on_alloc=0";

    /** Hardware acceleration: KVM, emulation (TCG), or KVM when it works here and emulation otherwise. */
    public enum Accel {
        AUTO, KVM, TCG;

        public static Accel parse(String s) {
            for (Accel a : values()) if (a.name().equalsIgnoreCase(s)) return a;
            throw new IllegalArgumentException("--vm-accel " + s + ": one of auto, kvm, tcg");
        }
    }

    /**
     * Where the VM's parts are.
     *
     * @param qemu      qemu-system-x86_64
     * @param kernelDir an unpacked Debian linux-image package ({@link VmKernel#find})
     * @param busybox   a statically linked busybox (Debian's busybox-static: /bin/busybox)
     * @param accel     acceleration
     * @param console   where to copy the guest's console log after the run (boot messages and the init's timings:
     *                  "up", "modules", "mounted", "status" with the guest's uptime), or null
     */
    public record Options(Path qemu, Path kernelDir, Path busybox, Accel accel, Path console) {
        public Options(Path qemu, Path kernelDir, Path busybox, Accel accel) {
            this(qemu, kernelDir, busybox, accel, null);
        }
    }

    /** Where a run's standard streams go; stdin is not passed into the VM (the command reads /dev/null). */
    public record Output(OutputStream out, OutputStream err) {
        public static Output inherit() {
            return new Output(new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
        }
    }

    private MicroVm() {}

    /** Checks that QEMU, the kernel (with its modules) and busybox are there, before anything is started. */
    public static VmKernel check(Options o) throws HardenException {
        if (!Files.isRegularFile(o.qemu()) || !Files.isExecutable(o.qemu()))
            throw new HardenException(o.qemu().toString(), "no QEMU here (install qemu-system-x86 --no-install-recommends, or give --qemu PATH)");
        if (!Files.isRegularFile(o.busybox()) || !Files.isExecutable(o.busybox()))
            throw new HardenException(o.busybox().toString(), "no static busybox for the VM's init (install busybox-static, or give --vm-busybox PATH)");
        if (!staticElf(o.busybox()))
            throw new HardenException(o.busybox().toString(), "not a statically linked x86-64 program: the initramfs has no libraries for it (install busybox-static, or give --vm-busybox PATH)");
        // the modules are looked for when the initramfs's base is made (once per kernel, on the first run)
        return VmKernel.find(o.kernelDir());
    }

    /** Whether {@code f} is a 64-bit little-endian x86-64 ELF executable without a program interpreter (PT_INTERP). */
    static boolean staticElf(Path f) {
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(f)) {
            ByteBuffer h = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (h.hasRemaining() && ch.read(h) > 0) {
                // read the whole header
            }
            if (h.position() < 64 || h.getInt(0) != 0x464c457f || h.get(4) != 2 || h.get(5) != 1 || h.getShort(18) != 62) return false;
            long phoff = h.getLong(32);
            int phentsize = h.getShort(54) & 0xffff;
            int phnum = h.getShort(56) & 0xffff;
            if (phentsize < 4 || phnum > 256 || phoff < 0 || phoff > ch.size()) return false;
            ByteBuffer ph = ByteBuffer.allocate(phentsize * phnum).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.position(phoff);
            while (ph.hasRemaining() && ch.read(ph) > 0) {
                // read all program headers
            }
            if (ph.hasRemaining()) return false;
            for (int i = 0; i < phnum; i++) if (ph.getInt(i * phentsize) == 3) return false;
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether /dev/kvm is there and this process may use it (whether it boots a guest is another matter). */
    static boolean kvmPresent() {
        Path kvm = Path.of("/dev/kvm");
        return Files.exists(kvm) && Files.isReadable(kvm) && Files.isWritable(kvm);
    }

    /**
     * Boots the VM, runs the command, returns its exit status. {@code workDir} holds the run's directory (the
     * initramfs, the output share, the console log), removed afterwards; {@code warn} hears the one-line notices
     * (emulation, a KVM that did not boot).
     */
    public static int run(RunSpec spec, Options o, Path workDir, Output output, Consumer<String> warn) throws HardenException, InterruptedException {
        VmKernel kernel = check(o);
        if (spec.memoryBytes() > 0 && spec.memoryBytes() < MIN_MEMORY)
            throw new HardenException("--memory", "a VM needs at least 128m (the guest kernel and init live in it too)");
        Path dir;
        try {
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, "bulwark-vm-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new HardenException(workDir.toString(), "cannot make the VM's run directory: " + e.getMessage(), e);
        }
        try {
            Path initrd = dir.resolve("initrd.cpio");
            Initramfs.write(initrd, Initramfs.base(workDir, kernel, o.busybox()), spec);
            Accel accel = o.accel();
            Path memo = workDir.resolve(".kvm-unusable-" + hostRelease() + "-" + kernel.version());
            if (accel == Accel.AUTO) accel = kvmPresent() && !Files.exists(memo) ? Accel.KVM : Accel.TCG;
            if (accel == Accel.KVM && !kvmPresent()) throw new HardenException("/dev/kvm", "KVM is not available here (use --vm-accel tcg or auto)");
            if (accel == Accel.KVM) {
                Boot b = boot(spec, o, kernel, initrd, dir, Accel.KVM, output);
                if (b.reachedInit() || o.accel() == Accel.KVM || b.status() != null) return b.exitCode();
                // a /dev/kvm that cannot run this kernel (a paravirtual one, a missing CPU feature) fails before the init
                try {
                    Files.writeString(memo, b.console());
                } catch (IOException ignored) {
                    // the memo only saves the next run the attempt
                }
                warn.accept("KVM did not boot the guest (" + b.reason() + "); using software emulation from now on");
            }
            warn.accept("the VM runs under software emulation (TCG, no usable KVM): each boot takes seconds");
            return boot(spec, o, kernel, initrd, dir, Accel.TCG, output).exitCode();
        } catch (IOException e) {
            throw new HardenException(dir.toString(), "cannot prepare the VM: " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    /** What one boot left: whether the init started, QEMU's exit, the status the guest wrote (null: none). */
    record Boot(boolean reachedInit, int qemuExit, String status, String console, String qemuLog, String reason) {
        int exitCode() throws HardenException {
            if (status != null && status.strip().matches("\\d{1,3}")) return Integer.parseInt(status.strip());
            String tail = lastLines(console + qemuLog, 6);
            // the run directory is gone by the time this is read: the tail of the console is the evidence
            throw new HardenException("", "the VM ended without the command's exit status (QEMU exit " + qemuExit
                    + (reason == null ? "" : ", " + reason) + "; --vm-console FILE keeps the console)" + (tail.isEmpty() ? "" : ": " + tail));
        }
    }

    /** The QEMU command line for a boot (package-private for tests; no process is started). */
    static List<String> command(RunSpec spec, Options o, VmKernel kernel, Path initrd, Path io, Path console, Accel accel) {
        long mem = spec.memoryBytes() > 0 ? spec.memoryBytes() : 512L << 20;
        int cpus = spec.cpus() > 0 ? (int) Math.max(1, Math.ceil(spec.cpus())) : 1;
        List<String> c = new ArrayList<>(List.of(o.qemu().toString(), "-M", "microvm", "-accel", accel == Accel.KVM ? "kvm" : "tcg",
                "-cpu", accel == Accel.KVM ? "host" : "max", "-m", (mem >> 20) + "M", "-smp", Integer.toString(cpus),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                // QEMU runs as the caller (root): its own seccomp filter refuses what an escape from the device
                // emulation would want first (setuid, spawning, obsolete calls, scheduler and resource control)
                "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
                "-serial", "file:" + console, "-kernel", kernel.image().toString(), "-initrd", initrd.toString(),
                "-append", "console=ttyS0 quiet panic=-1 rdinit=/init" + (accel == Accel.TCG ? " " + TCG_CMDLINE : "")));
        share(c, "root", spec.rootfs(), VmInit.ROOT_TAG, true);
        share(c, "io", io, VmInit.IO_TAG, false);
        for (int i = 0; i < spec.binds().size(); i++)
            share(c, "bind" + i, spec.binds().get(i).source(), VmInit.bindTag(i), !spec.binds().get(i).writable());
        return c;
    }

    private static void share(List<String> c, String id, Path path, String tag, boolean readOnly) {
        // QEMU's option syntax: a comma inside a value is written twice
        c.add("-fsdev");
        c.add("local,id=" + id + ",path=" + path.toAbsolutePath().toString().replace(",", ",,") + ",security_model=none" + (readOnly ? ",readonly=on" : ""));
        c.add("-device");
        c.add("virtio-9p-device,fsdev=" + id + ",mount_tag=" + tag);
    }

    private static Boot boot(RunSpec spec, Options o, VmKernel kernel, Path initrd, Path dir, Accel accel, Output output)
            throws IOException, InterruptedException, HardenException {
        Path io = dir.resolve("io-" + accel.name().toLowerCase(Locale.ROOT));
        Files.createDirectory(io);
        Path console = dir.resolve("console-" + accel.name().toLowerCase(Locale.ROOT) + ".log");
        Path qemuLog = dir.resolve("qemu-" + accel.name().toLowerCase(Locale.ROOT) + ".log");
        Files.createFile(console);
        List<String> cmd = command(spec, o, kernel, initrd, io, console, accel);
        try (FileChannel out = open(io.resolve("stdout")); FileChannel err = open(io.resolve("stderr")); FileChannel status = open(io.resolve("status"))) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<String> signalled = new AtomicReference<>();
            AtomicReference<Process> qemu = new AtomicReference<>();
            // a stop signal stops the VM: there is no process inside to pass it to from here. Handled from before
            // QEMU starts, so that no signal in between ends this JVM and leaves QEMU running
            Runnable restore = dev.bulwark.harden.run.Runner.onStopSignals(sig -> {
                signalled.set(sig);
                Process q = qemu.get();
                if (q != null) q.destroy();
            });
            long started = System.nanoTime();
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(qemuLog.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                restore.run();
                throw e;
            }
            qemu.set(p);
            if (signalled.get() != null) p.destroy();
            Thread tOut = Thread.ofPlatform().daemon().name("bulwark-vm-stdout").start(() -> follow(out, output.out(), done));
            Thread tErr = Thread.ofPlatform().daemon().name("bulwark-vm-stderr").start(() -> follow(err, output.err(), done));
            boolean reached = false;
            String reason = null;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KVM_BOOT_SECONDS);
                while (p.isAlive()) {
                    if (!reached) reached = Files.readString(console, StandardCharsets.ISO_8859_1).contains(VmInit.UP);
                    if (!reached && accel == Accel.KVM && System.nanoTime() > deadline) {
                        reason = "no init after " + KVM_BOOT_SECONDS + " s";
                        p.destroyForcibly();
                        break;
                    }
                    p.waitFor(reached ? 200 : 50, TimeUnit.MILLISECONDS);
                }
                p.waitFor();
            } finally {
                restore.run();
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                done.set(true);
                tOut.join();
                tErr.join();
            }
            long ran = System.nanoTime() - started;
            String consoleText = Files.readString(console, StandardCharsets.ISO_8859_1);
            if (o.console() != null) {
                try {
                    Files.writeString(o.console(), consoleText + String.format(Locale.ROOT, "bulwark-host: qemu %s ran %.3f s%n",
                            accel.name().toLowerCase(Locale.ROOT), ran / 1e9), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new HardenException(o.console().toString(), "cannot write the VM's console log: " + e.getMessage(), e);
                }
            }
            if (!reached) reached = consoleText.contains(VmInit.UP);
            String qemuText = Files.exists(qemuLog) ? Files.readString(qemuLog, StandardCharsets.ISO_8859_1) : "";
            if (signalled.get() != null) reason = "stopped by SIG" + signalled.get();
            if (reason == null && !reached) reason = "QEMU stopped before the init ran";
            ByteBuffer sb = ByteBuffer.allocate(64);
            status.read(sb, 0);
            String st = sb.position() == 0 ? null : new String(sb.array(), 0, sb.position(), StandardCharsets.US_ASCII);
            if (st == null && signalled.get() != null) st = Integer.toString(128 + switch (signalled.get()) {
                case "INT" -> 2;
                case "HUP" -> 1;
                default -> 15;
            });
            return new Boot(reached, p.exitValue(), st, consoleText, qemuText, reason);
        }
    }

    private static FileChannel open(Path f) throws IOException {
        Files.createFile(f);
        // the guest's init runs as root but QEMU serves the share with the host's permissions: world-writable files
        // let any QEMU user write them
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
        return FileChannel.open(f, StandardOpenOption.READ);
    }

    /** Copies what the guest appends to {@code from} until {@code done} and nothing more is there. */
    private static void follow(FileChannel from, OutputStream to, AtomicBoolean done) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long pos = 0;
        try {
            while (true) {
                boolean last = done.get();
                buf.clear();
                int n = from.read(buf, pos);
                if (n > 0) {
                    to.write(buf.array(), 0, n);
                    pos += n;
                    continue;
                }
                to.flush();
                if (last) return;
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException e) {
            // the reader's destination is gone (a closed pipe): the run goes on, its output is dropped
        }
    }

    private static String hostRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String lastLines(String s, int n) {
        List<String> lines = s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // a leftover run directory under the work dir is harmless
        }
    }
}

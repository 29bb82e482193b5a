package dev.bulwark.harden.run.vm;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.run.RunSpec;
import dev.bulwark.model.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The initramfs of a run, in two concatenated newc archives (the kernel unpacks one after the other into the same
 * root):
 * <ul>
 *   <li>the base, the same for every run with this kernel and busybox: {@code /init} ({@link VmInit#init()}),
 *       {@code /bin/busybox}, the kernel modules as {@code /modules/NN-name.ko} (NN: load order) and the directories
 *       the init uses. About 3 MB; made once and kept in the run directory, because finding the modules
 *       and their order walks the kernel's few thousand module files;</li>
 *   <li>the run's own few kilobytes: {@code /bulwark/run.sh}, the overlay's top layer {@code /tools} (the mount
 *       points the image lacks; the init links busybox in as {@code /.bulwark/busybox}) and its exec script.</li>
 * </ul>
 */
final class Initramfs {
    /** Part of the base's name: a change to what the base holds must not find an old base. */
    private static final String LAYOUT = "2";
    /** Inode numbers of the run's archive start here: the kernel pairs hard links by inode across archives. */
    private static final int RUN_INODES = 1 << 20;

    private Initramfs() {}

    /**
     * The base archive for this kernel and busybox in {@code dir}, written there first when it is missing. Its name
     * carries a digest of what it is made of (kernel release, the kernel's and busybox's paths, sizes and times, the
     * init); bases of other kernels are removed when a new one is written. A base that someone else owns or may
     * write is not used (it becomes PID 1 of the guest): it is written anew.
     */
    static Path base(Path dir, VmKernel kernel, Path busybox) throws IOException, HardenException {
        String name = ".initramfs-" + key(kernel, busybox) + ".cpio";
        Path base = dir.resolve(name);
        if (trusted(base)) return base;
        List<Path> modules = kernel.modules();
        Path tmp = Files.createTempFile(dir, ".initramfs-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (Cpio c = new Cpio(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                for (String d : List.of("bin", "dev", "proc", "sys", "io", "image", "newroot", "rw", "run", "modules", "bulwark", "tools", "tools/.bulwark"))
                    c.dir(d, 0755);
                c.file("bin/busybox", 0755, busybox);
                c.symlink("bin/sh", "busybox");
                for (int i = 0; i < modules.size(); i++) {
                    String m = modules.get(i).getFileName().toString();
                    c.file(String.format("modules/%02d-%s", i, m), 0644, modules.get(i));
                }
                c.file("init", 0755, VmInit.init().getBytes(StandardCharsets.UTF_8));
            }
            Files.move(tmp, base, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, ".initramfs-*.cpio")) {
            for (Path p : old) if (!p.getFileName().toString().equals(name)) Files.deleteIfExists(p);
        } catch (IOException e) {
            // another kernel's base left behind costs disk space, nothing else
        }
        return base;
    }

    /** Writes the run's initramfs to {@code out}: the base, then the run's own archive. */
    static void write(Path out, Path base, RunSpec spec) throws IOException {
        Files.copy(base, out);
        try (Cpio c = new Cpio(new BufferedOutputStream(Files.newOutputStream(out, StandardOpenOption.APPEND), 1 << 14), RUN_INODES)) {
            for (String m : VmInit.mountPoints(spec, spec.rootfs())) c.dir("tools" + m, 0755);
            c.file("bulwark/run.sh", 0644, VmInit.run(spec, spec.rootfs()).getBytes(StandardCharsets.UTF_8));
            c.file("tools/.bulwark/exec", 0644, VmInit.exec(spec, spec.rootfs()).getBytes(StandardCharsets.UTF_8));
        }
    }

    static String key(VmKernel kernel, Path busybox) throws IOException {
        StringBuilder s = new StringBuilder(LAYOUT).append('\n').append(kernel.version()).append('\n').append(String.join(",", VmKernel.NEEDED)).append('\n');
        for (Path p : List.of(kernel.image(), kernel.modulesDir().resolve("kernel"), busybox)) {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
            s.append(p.toAbsolutePath()).append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis()).append('\n');
        }
        s.append(VmInit.init());
        return Digest.sha256(s.toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 24);
    }

    private static boolean trusted(Path f) {
        try {
            PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() && a.owner().equals(Files.getOwner(f.getParent()))
                    && !a.permissions().contains(PosixFilePermission.GROUP_WRITE) && !a.permissions().contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException e) {
            return false;
        }
    }
}

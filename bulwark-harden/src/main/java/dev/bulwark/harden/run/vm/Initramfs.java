package dev.bulwark.harden.run.vm;

import dev.bulwark.harden.run.RunSpec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The initramfs of one run: {@code /init} and {@code /bulwark/run.sh} ({@link VmInit}), {@code /bin/busybox}, the
 * kernel modules as {@code /modules/NN-name.ko} (NN: load order), the mount points the init uses, and the overlay's
 * top layer {@code /tools} (the mount points the image lacks; the init links busybox in as {@code /.bulwark/busybox}).
 * About 3 MB, written in a few milliseconds; built per run because the run script is the run's.
 */
final class Initramfs {
    private Initramfs() {}

    static void write(Path out, RunSpec spec, VmKernel kernel, Path busybox) throws IOException, dev.bulwark.harden.HardenException {
        List<Path> modules = kernel.modules();
        try (Cpio c = new Cpio(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16))) {
            for (String d : List.of("bin", "dev", "proc", "sys", "io", "image", "newroot", "rw", "run", "modules", "bulwark", "tools", "tools/.bulwark"))
                c.dir(d, 0755);
            c.file("bin/busybox", 0755, busybox);
            c.symlink("bin/sh", "busybox");
            for (String m : VmInit.mountPoints(spec, spec.rootfs())) c.dir("tools" + m, 0755);
            for (int i = 0; i < modules.size(); i++) {
                String name = modules.get(i).getFileName().toString();
                c.file(String.format("modules/%02d-%s", i, name), 0644, modules.get(i));
            }
            c.file("init", 0755, VmInit.init().getBytes(StandardCharsets.UTF_8));
            c.file("bulwark/run.sh", 0644, VmInit.run(spec, spec.rootfs()).getBytes(StandardCharsets.UTF_8));
            c.file("tools/.bulwark/exec", 0644, VmInit.exec(spec, spec.rootfs()).getBytes(StandardCharsets.UTF_8));
        }
    }
}

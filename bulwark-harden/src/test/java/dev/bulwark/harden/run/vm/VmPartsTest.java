package dev.bulwark.harden.run.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.run.RunSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VM's parts that need no QEMU: the kernel lookup, module order, the cpio writer, the scripts, the command line. */
class VmPartsTest {
    @TempDir
    Path tmp;

    static byte[] module(String depends) {
        // what matters of a .ko here: its .modinfo strings, NUL-separated, somewhere in the file
        return ("\u007fELF junk\0license=GPL\0depends=" + depends + "\0vermagic=6.1.0 SMP\0").getBytes(StandardCharsets.US_ASCII);
    }

    Path kernelTree(String version, Map<String, String> modules) throws Exception {
        Path dir = tmp.resolve("k");
        Files.createDirectories(dir.resolve("boot"));
        Files.writeString(dir.resolve("boot/vmlinuz-" + version), "kernel");
        for (var m : modules.entrySet()) {
            Path f = dir.resolve("lib/modules/" + version + "/kernel/sub/" + m.getKey() + ".ko");
            Files.createDirectories(f.getParent());
            Files.write(f, module(m.getValue()));
        }
        return dir;
    }

    Map<String, String> needed() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("virtio_ring", "");
        m.put("virtio", "virtio_ring");
        m.put("virtio_mmio", "virtio,virtio_ring");
        m.put("netfs", "");
        m.put("fscache", "netfs");
        m.put("9pnet", "");
        m.put("9pnet_virtio", "virtio,9pnet,virtio_ring");
        m.put("9p", "9pnet,fscache,netfs");
        m.put("overlay", "");
        return m;
    }

    @Test
    void modulesComeDependenciesFirst() throws Exception {
        VmKernel k = VmKernel.find(kernelTree("6.1.0-57-amd64", needed()));
        assertThat(k.version()).isEqualTo("6.1.0-57-amd64");
        List<String> order = k.modules().stream().map(p -> p.getFileName().toString().replace(".ko", "")).toList();
        assertThat(order).containsExactlyInAnyOrderElementsOf(needed().keySet());
        for (var e : needed().entrySet()) {
            for (String dep : e.getValue().split(",")) {
                if (!dep.isEmpty()) assertThat(order.indexOf(dep)).as(dep + " before " + e.getKey()).isLessThan(order.indexOf(e.getKey()));
            }
        }
    }

    @Test
    void theUncompressedKernelIsPreferredAndTheNewestVersionWins() throws Exception {
        Path dir = kernelTree("6.1.0-9-amd64", needed());
        Files.createDirectories(dir.resolve("lib/modules/6.1.0-57-amd64/kernel"));
        Files.writeString(dir.resolve("boot/vmlinuz-6.1.0-57-amd64"), "k");
        Files.writeString(dir.resolve("boot/vmlinux-6.1.0-57-amd64"), "k");
        Files.writeString(dir.resolve("boot/vmlinuz-7.0.0"), "no modules beside it");
        VmKernel k = VmKernel.find(dir);
        assertThat(k.version()).isEqualTo("6.1.0-57-amd64");
        assertThat(k.image().getFileName().toString()).isEqualTo("vmlinux-6.1.0-57-amd64");
    }

    @Test
    void aMissingKernelOrModuleIsOneClearLine() throws Exception {
        assertThatThrownBy(() -> VmKernel.find(tmp.resolve("none"))).isInstanceOf(HardenException.class)
                .hasMessageContaining("no guest kernel").hasMessageContaining("--vm-kernel");
        Files.createDirectories(tmp.resolve("empty/boot"));
        assertThatThrownBy(() -> VmKernel.find(tmp.resolve("empty"))).isInstanceOf(HardenException.class)
                .hasMessageContaining("no boot/vmlinuz-VERSION with lib/modules/VERSION beside it");
        Map<String, String> without9p = needed();
        without9p.remove("9p");
        VmKernel k = VmKernel.find(kernelTree("6.1.0-57-amd64", without9p));
        assertThatThrownBy(k::modules).isInstanceOf(HardenException.class).hasMessageContaining("the guest kernel has no module 9p");
    }

    @Test
    void compressedModulesAndCyclesAreRefused() throws Exception {
        Map<String, String> m = needed();
        m.put("overlay", "virtio_mmio");
        m.put("virtio_ring", "overlay");
        VmKernel cyclic = VmKernel.find(kernelTree("1.0", m));
        assertThatThrownBy(cyclic::modules).isInstanceOf(HardenException.class).hasMessageContaining("cycle");
        Path z = Files.createDirectories(tmp.resolve("z"));
        Files.write(z.resolve("virtio.ko.xz"), new byte[] {1, 2});
        assertThatThrownBy(() -> VmKernel.depends(z.resolve("virtio.ko.xz"))).isInstanceOf(HardenException.class).hasMessageContaining("compressed module");
    }

    @Test
    void dependsIsReadOnlyAtTheStartOfAModinfoString() {
        assertThat(VmKernel.depends("x\0alias=foo_depends=zzz\0depends=a-b,c\0".getBytes(StandardCharsets.US_ASCII))).containsExactly("a_b", "c");
        assertThat(VmKernel.depends("nothing".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(VmKernel.depends("\0depends=".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void theCpioArchiveReadsBackAsNewc() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path big = Files.write(tmp.resolve("f"), new byte[4099]);
        try (Cpio c = new Cpio(out)) {
            c.dir("bin", 0755);
            c.file("bin/busybox", 0755, big);
            c.symlink("bin/sh", "busybox");
            c.file("init", 0700, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(out.size() % 4).isZero();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            CpioArchiveEntry e = in.getNextEntry();
            assertThat(e.getName()).isEqualTo("bin");
            assertThat(e.isDirectory()).isTrue();
            e = in.getNextEntry();
            assertThat(e.getName()).isEqualTo("bin/busybox");
            assertThat(e.getSize()).isEqualTo(4099);
            assertThat(e.getMode() & 07777).isEqualTo(0755);
            assertThat(in.readAllBytes()).hasSize(4099);
            e = in.getNextEntry();
            assertThat(e.isSymbolicLink()).isTrue();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("busybox");
            e = in.getNextEntry();
            assertThat(e.getName()).isEqualTo("init");
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("#!/bin/sh\n");
            assertThat(in.getNextEntry()).isNull();
        }
    }

    /** Entry names of the newc archives in {@code bytes} from {@code offset} on, one list per archive. */
    static List<List<String>> archives(byte[] bytes, int offset) throws Exception {
        List<List<String>> out = new java.util.ArrayList<>();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = offset;
        while (at < bytes.length) {
            // an archive ends after its trailer's name, padded to 4 bytes (the reader itself reads on to 512)
            int trailer = text.indexOf("TRAILER!!!\0", at);
            assertThat(trailer).as("a trailer after " + at).isPositive();
            int end = (trailer + 11 + 3) / 4 * 4;
            List<String> names = new java.util.ArrayList<>();
            try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(bytes, at, end - at))) {
                CpioArchiveEntry e;
                while ((e = in.getNextEntry()) != null) {
                    names.add(e.getName() + "#" + e.getInode());
                    in.readAllBytes();
                }
            }
            out.add(names);
            at = end;
        }
        return out;
    }

    @Test
    void theInitramfsBaseIsMadeOnceAndTheRunsArchiveFollowsIt() throws Exception {
        VmKernel k = VmKernel.find(kernelTree("6.1.0-57-amd64", needed()));
        Path busybox = Files.write(tmp.resolve("busybox"), elf(false));
        Path runs = Files.createDirectories(tmp.resolve("run"));
        Path base = Initramfs.base(runs, k, busybox);
        assertThat(base.getFileName().toString()).matches("\\.initramfs-[0-9a-f]{24}\\.cpio");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(base))).isEqualTo("rw-------");
        Object made = Files.readAttributes(base, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertThat(Initramfs.base(runs, k, busybox)).isEqualTo(base);
        assertThat(Files.readAttributes(base, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).as("not written again").isEqualTo(made);

        Path root = Files.createDirectories(tmp.resolve("root/etc"));
        Path initrd = tmp.resolve("initrd.cpio");
        Initramfs.write(initrd, base, spec(root.getParent(), List.of("true"), List.of("PATH=/bin"), true, List.of()));
        byte[] all = Files.readAllBytes(initrd);
        byte[] head = Files.readAllBytes(base);
        assertThat(java.util.Arrays.copyOf(all, head.length)).isEqualTo(head);
        List<List<String>> parts = archives(all, 0);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0)).anyMatch(n -> n.startsWith("init#")).anyMatch(n -> n.startsWith("bin/busybox#"))
                .anyMatch(n -> n.matches("modules/00-.*\\.ko#\\d+")).noneMatch(n -> n.startsWith("bulwark/run.sh#"));
        assertThat(parts.get(1)).anyMatch(n -> n.startsWith("bulwark/run.sh#")).anyMatch(n -> n.startsWith("tools/.bulwark/exec#"))
                .anyMatch(n -> n.startsWith("tools/proc#")).anyMatch(n -> n.startsWith("tools/var/cache/x#"));
        // the kernel pairs hard links by inode number: the run's archive must not reuse the base's
        java.util.Set<String> baseInodes = new java.util.HashSet<>();
        for (String n : parts.get(0)) if (!n.startsWith("TRAILER")) baseInodes.add(n.substring(n.lastIndexOf('#')));
        for (String n : parts.get(1)) if (!n.startsWith("TRAILER")) assertThat(baseInodes).doesNotContain(n.substring(n.lastIndexOf('#')));

        // another busybox makes another base and removes the old one
        Files.write(busybox, elf(true));
        Path other = Initramfs.base(runs, k, busybox);
        assertThat(other).isNotEqualTo(base).exists();
        assertThat(base).doesNotExist();
        // a base that others may write is not used: it is written anew
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.write(other, new byte[] {1, 2, 3});
        assertThat(Initramfs.base(runs, k, busybox)).isEqualTo(other);
        assertThat(Files.size(other)).isGreaterThan(3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(other))).isEqualTo("rw-------");
    }

    @Test
    void cpioRefusesNamesThatClimbOrRepeat() throws Exception {
        try (Cpio c = new Cpio(new ByteArrayOutputStream())) {
            assertThatThrownBy(() -> c.dir("../x", 0755)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.dir("/abs", 0755)).isInstanceOf(IllegalArgumentException.class);
            c.dir("a", 0755);
            assertThatThrownBy(() -> c.dir("a", 0755)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        }
    }

    RunSpec spec(Path rootfs, List<String> args, List<String> env, boolean ro, List<RunSpec.Bind> binds) {
        return new RunSpec(rootfs, args, env, "/srv/it's", 1000, 1001, ro, List.of("/tmp", "/var/cache/x"), binds, List.of(), null, null,
                256L << 20, 1.5, 64, true, null, false);
    }

    @Test
    void theExecScriptQuotesEveryWordAndKeepsArgvZero() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root/etc"));
        Files.writeString(root.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        String s = VmInit.exec(spec(root.getParent(), List.of("sh", "-c", "echo '$HOME' \"$(id)\""), List.of("PATH=/bin", "A=x'y"), true, List.of()), root.getParent());
        assertThat(s).contains("cd '/srv/it'\\''s' || exit 126").contains("a0='sh'").contains("p='/bin'")
                .contains("export 'A=x'\\''y'").contains("export 'HOME=/home/app'")
                .endsWith("exec -a \"$a0\" \"$c\" '-c' 'echo '\\''$HOME'\\'' \"$(id)\"'\n");
        // a name the shell cannot export goes through env -i
        String odd = VmInit.exec(spec(root.getParent(), List.of("/app"), List.of("my.var=1"), true, List.of()), root.getParent());
        assertThat(odd).contains("env -i 'my.var=1' 'HOME=/home/app' \"$c\"");
        assertThatThrownBy(() -> VmInit.q("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRunScriptMountsTheRootReadOnlyUnlessAskedAndTheTopLayerOnlyAddsWhatTheImageLacks() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("var/cache"));
        Files.createDirectories(root.resolve("tmp"));
        RunSpec ro = spec(root, List.of("true"), List.of(), true, List.of(new RunSpec.Bind(tmp, "/data", false)));
        assertThat(VmInit.run(ro, root)).contains("mount -t overlay -o ro,lowerdir=/tools:/image overlay /newroot")
                .contains("bulwark-bind-0 '/newroot/data'").contains(",ro,nosuid,nodev bulwark-bind-0");
        assertThat(VmInit.run(spec(root, List.of("true"), List.of(), false, List.of()), root)).contains("upperdir=/rw/upper").doesNotContain("ro,lowerdir");
        assertThat(VmInit.mountPoints(ro, root)).containsExactly("/data", "/dev", "/sys", "/var/cache/x");
    }

    @Test
    void theCommandLineSharesTheRootReadOnlyAndHasNoNetwork() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("a,b"));
        VmKernel k = new VmKernel("6.1", tmp.resolve("vmlinux-6.1"), tmp);
        MicroVm.Options o = new MicroVm.Options(Path.of("/usr/bin/qemu-system-x86_64"), tmp, Path.of("/bin/busybox"), MicroVm.Accel.TCG);
        List<String> c = MicroVm.command(spec(root, List.of("true"), List.of(), true, List.of()), o, k, tmp.resolve("initrd"), tmp.resolve("io"),
                tmp.resolve("console"), MicroVm.Accel.TCG);
        String line = String.join(" ", c);
        assertThat(line).contains("-M microvm -accel tcg -cpu max -m 256M -smp 2 -nodefaults").contains(MicroVm.TCG_CMDLINE)
                .contains("path=" + tmp + "/a,,b,security_model=none,readonly=on").contains("mount_tag=bulwark-io").doesNotContain("-netdev", "-nic")
                .contains("-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
        List<String> kvm = MicroVm.command(spec(root, List.of("true"), List.of(), true, List.of()), o, k, tmp.resolve("i"), tmp.resolve("io"),
                tmp.resolve("c"), MicroVm.Accel.KVM);
        assertThat(String.join(" ", kvm)).contains("-accel kvm -cpu host").doesNotContain("tsc_early_khz");
    }

    @Test
    void missingQemuBusyboxOrKernelAreClearLines() throws Exception {
        Path exe = Files.createFile(tmp.resolve("exe"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThatThrownBy(() -> MicroVm.check(new MicroVm.Options(tmp.resolve("no-qemu"), tmp, exe, MicroVm.Accel.TCG)))
                .isInstanceOf(HardenException.class).hasMessageContaining("no QEMU here (install qemu-system-x86");
        assertThatThrownBy(() -> MicroVm.check(new MicroVm.Options(exe, tmp, tmp.resolve("no-busybox"), MicroVm.Accel.TCG)))
                .isInstanceOf(HardenException.class).hasMessageContaining("no static busybox");
        assertThatThrownBy(() -> MicroVm.check(new MicroVm.Options(exe, tmp, exe, MicroVm.Accel.TCG)))
                .isInstanceOf(HardenException.class).hasMessageContaining("not a statically linked x86-64 program");
        Path fakeStatic = tmp.resolve("static");
        Files.write(fakeStatic, elf(false));
        Files.setPosixFilePermissions(fakeStatic, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> MicroVm.check(new MicroVm.Options(exe, tmp.resolve("no-kernel"), fakeStatic, MicroVm.Accel.TCG)))
                .isInstanceOf(HardenException.class).hasMessageContaining("no guest kernel");
    }

    /** A minimal ELF64 x86-64 header with two program headers, the second PT_INTERP when {@code dynamic}. */
    static byte[] elf(boolean dynamic) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64 + 2 * 56).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1).putShort(16, (short) 2).putShort(18, (short) 62);
        b.putLong(32, 64).putShort(54, (short) 56).putShort(56, (short) 2);
        b.putInt(64, 1);
        b.putInt(64 + 56, dynamic ? 3 : 1);
        return b.array();
    }

    @Test
    void onlyAStaticBusyboxWillDo() throws Exception {
        Path s = Files.write(tmp.resolve("s"), elf(false));
        Path d = Files.write(tmp.resolve("d"), elf(true));
        Path junk = Files.write(tmp.resolve("j"), new byte[] {0x7f, 'E', 'L', 'F'});
        assertThat(MicroVm.staticElf(s)).isTrue();
        assertThat(MicroVm.staticElf(d)).isFalse();
        assertThat(MicroVm.staticElf(junk)).isFalse();
        // a real, dynamically linked program
        assertThat(MicroVm.staticElf(Path.of("/bin/ls"))).isFalse();
    }
}

package dev.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bulwark run --isolation`: bad levels and missing runtimes as one line before anything starts, and the two ways a
 * level can be demanded: the scan gate's --gate-isolation and a policy rule on HostConfig.Isolation. The runtimes here
 * are stand-in scripts that never get to run a workload; the real ones are in IsolationIT (bulwark-harden).
 */
class RunIsolationCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    Path executable(String name, String script) throws Exception {
        Path p = Files.writeString(tmp.resolve(name), script);
        assertThat(p.toFile().setExecutable(true)).isTrue();
        return p;
    }

    String zlibImage(String version) throws Exception {
        Path dir = tmp.resolve("img-" + version.replace(':', '_'));
        dev.bulwark.image.Fixtures.ociLayout(dir, "1", List.of(dev.bulwark.image.Fixtures.gzLayer(List.of(
                dev.bulwark.image.Fixtures.E.file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"),
                dev.bulwark.image.Fixtures.E.file("var/lib/dpkg/status", "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\n"
                        + "Source: zlib\nVersion: " + version + "\n\n")))));
        return "oci:" + dir + ":1";
    }

    /** An unpacked kernel package as far as the lookup can tell: the image and the modules the init loads. */
    Path fakeKernel() throws Exception {
        Path dir = tmp.resolve("kernel");
        Files.createDirectories(dir.resolve("boot"));
        Files.writeString(dir.resolve("boot/vmlinuz-6.1.0-1-amd64"), "not a kernel");
        for (String m : List.of("virtio_ring", "virtio", "virtio_mmio", "netfs", "fscache", "9pnet", "9pnet_virtio", "9p", "overlay")) {
            Path f = dir.resolve("lib/modules/6.1.0-1-amd64/kernel/" + m + ".ko");
            Files.createDirectories(f.getParent());
            Files.write(f, "\0depends=\0".getBytes(StandardCharsets.US_ASCII));
        }
        return dir;
    }

    /** What the busybox check looks at: an x86-64 ELF executable without a program interpreter. */
    Path fakeStaticBusybox() throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64 + 56).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1).putShort(16, (short) 2).putShort(18, (short) 62);
        b.putLong(32, 64).putShort(54, (short) 56).putShort(56, (short) 1).putInt(64, 1);
        Path p = Files.write(tmp.resolve("busybox"), b.array());
        assertThat(p.toFile().setExecutable(true)).isTrue();
        return p;
    }

    void usage(String expected, String... args) {
        Path store = tmp.resolve("store");
        String[] all = new String[args.length + 2];
        all[0] = "run";
        all[1] = "--rootfs-dir=" + store;
        System.arraycopy(args, 0, all, 2, args.length);
        Run r = run(all);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("bulwark: ").contains(expected).doesNotContain("\n").doesNotContain("Exception");
        assertThat(store).doesNotExist();
    }

    @Test
    void badLevelsAndCombinationsAreUsageErrors() {
        usage("isolation kata: one of container, sandbox, vm", "--isolation", "kata", "oci:/x");
        usage("--vm-accel hvf: one of auto, kvm, tcg", "--vm-accel", "hvf", "oci:/x");
        usage("--gate-isolation needs --gate-severity", "--gate-isolation", "vm", "oci:/x");
        usage("isolation vmm: one of", "--gate-severity", "HIGH", "--gate-isolation", "vmm", "oci:/x");
        usage("--memory 64m: a VM needs at least 128m", "--isolation", "vm", "--memory", "64m", "oci:/x");
        usage("--print-config: a VM has no OCI config", "--isolation", "vm", "--print-config", "oci:/x");
        usage("--apparmor applies only with --isolation container", "--isolation", "sandbox", "--apparmor", "p", "oci:/x");
        usage("--seccomp applies only with --isolation container or sandbox", "--isolation", "vm", "--seccomp", "unconfined", "oci:/x");
    }

    @Test
    void aMissingRunscQemuKernelOrBusyboxIsOneInputErrorLine() throws Exception {
        Path store = tmp.resolve("store");
        Path qemu = executable("qemu", "#!/bin/sh\nexit 0\n");
        Run noRunsc = run("run", "--rootfs-dir", store.toString(), "--isolation", "sandbox", "--runsc", tmp.resolve("no-runsc").toString(), "oci:/x");
        assertThat(noRunsc.code()).isEqualTo(3);
        assertThat(noRunsc.err().strip()).isEqualTo("bulwark: " + tmp.resolve("no-runsc") + ": no gVisor runsc here (install the runsc package, or give --runsc PATH)");
        Run noQemu = run("run", "--rootfs-dir", store.toString(), "--isolation", "vm", "--qemu", tmp.resolve("no-qemu").toString(), "oci:/x");
        assertThat(noQemu.code()).isEqualTo(3);
        assertThat(noQemu.err().strip()).isEqualTo("bulwark: " + tmp.resolve("no-qemu")
                + ": no QEMU here (install qemu-system-x86 --no-install-recommends, or give --qemu PATH)");
        Run dynamic = run("run", "--rootfs-dir", store.toString(), "--isolation", "vm", "--qemu", qemu.toString(), "--vm-busybox", "/bin/ls", "oci:/x");
        assertThat(dynamic.code()).isEqualTo(3);
        assertThat(dynamic.err().strip()).isEqualTo("bulwark: /bin/ls: not a statically linked x86-64 program: the initramfs has no libraries for it"
                + " (install busybox-static, or give --vm-busybox PATH)");
        Run noKernel = run("run", "--rootfs-dir", store.toString(), "--isolation", "vm", "--qemu", qemu.toString(), "--vm-busybox", fakeStaticBusybox().toString(),
                "--vm-kernel", tmp.resolve("no-kernel").toString(), "oci:/x");
        assertThat(noKernel.code()).isEqualTo(3);
        assertThat(noKernel.err().strip()).startsWith("bulwark: " + tmp.resolve("no-kernel") + ": no guest kernel").contains("scripts/vmkernel.sh")
                .doesNotContain("\n");
        Run noBusybox = run("run", "--rootfs-dir", store.toString(), "--isolation", "vm", "--qemu", qemu.toString(), "--vm-kernel", fakeKernel().toString(),
                "--vm-busybox", tmp.resolve("no-busybox").toString(), "oci:/x");
        assertThat(noBusybox.code()).isEqualTo(3);
        assertThat(noBusybox.err().strip()).contains("no static busybox for the VM's init (install busybox-static");
        assertThat(store).doesNotExist();
    }

    @Test
    void aFlaggedImageRunsOnlyAtTheGateIsolationLevel() throws Exception {
        Path runc = executable("runc", "#!/bin/sh\necho runc must not run >&2\nexit 99\n");
        Path qemu = executable("qemu", "#!/bin/sh\necho stand-in qemu ran\nexit 0\n");
        String db = tmp.resolve("db").toString();
        Path store = tmp.resolve("store");
        String image = zlibImage("1:1.2.13.dfsg-1");
        Run container = run("run", "--no-cache", "--db", db, "--rootfs-dir", store.toString(), "--runc", runc.toString(),
                "--gate-severity", "LOW", "--gate-isolation", "vm", "--user", "1000:1000", image, "--", "true");
        assertThat(container.code()).as(container.err()).isEqualTo(1);
        assertThat(container.err()).contains("refused below --isolation vm (this run: container)").contains("zlib1g 1:1.2.13.dfsg-1")
                .doesNotContain("runc must not run");
        // at vm the gate lets it through: the stand-in QEMU then ends without booting anything, which is one line
        Run vm = run("run", "--no-cache", "--db", db, "--rootfs-dir", store.toString(), "--isolation", "vm", "--vm-accel", "tcg",
                "--qemu", qemu.toString(), "--vm-busybox", fakeStaticBusybox().toString(), "--vm-kernel", fakeKernel().toString(),
                "--gate-severity", "LOW", "--gate-isolation", "vm", "--user", "1000:1000", image, "--", "true");
        assertThat(vm.code()).as(vm.err()).isEqualTo(3);
        assertThat(vm.err()).contains("running at --isolation vm as --gate-isolation vm allows").contains("software emulation")
                .contains("bulwark: the VM ended without the command's exit status (QEMU exit 0, QEMU stopped before the init ran;"
                        + " --vm-console FILE keeps the console): stand-in qemu ran")
                .doesNotContain("Exception");
    }

    @Test
    void aPolicyCanDemandALevel() throws Exception {
        Path runsc = executable("runsc", "#!/bin/sh\necho runsc ran >&2\nexit 42\n");
        Path runc = executable("runc", "#!/bin/sh\necho runc must not run >&2\nexit 99\n");
        Path policy = Files.writeString(tmp.resolve("iso.yaml"), "apiVersion: bulwark.dev/v1\nkind: Policy\ndefault: allow\nrules:\n"
                + "  - name: local-images-in-a-sandbox\n    match: {actions: [container.create]}\n"
                + "    condition: 'registry == \"localhost\" && !(body.HostConfig.Isolation in [\"sandbox\", \"vm\"])'\n"
                + "    effect: deny\n    message: needs --isolation sandbox or vm\n");
        Path store = tmp.resolve("store");
        String image = zlibImage("1:1.2.13.dfsg-1+deb12u1");
        Run container = run("run", "-q", "--rootfs-dir", store.toString(), "--runc", runc.toString(), "--policy", policy.toString(),
                "--user", "1000:1000", image, "--", "true");
        assertThat(container.code()).as(container.err()).isEqualTo(1);
        assertThat(container.err().strip()).isEqualTo("bulwark: refused by policy " + policy + ": local-images-in-a-sandbox: needs --isolation sandbox or vm");
        // the sandbox passes the policy and reaches (the stand-in) runsc, once the store is reachable for the mapped root
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Run sandbox = run("run", "-q", "--rootfs-dir", store.toString(), "--isolation", "sandbox", "--runsc", runsc.toString(), "--policy", policy.toString(),
                "--user", "1000:1000", image, "--", "true");
        assertThat(sandbox.err()).doesNotContain("refused");
        assertThat(sandbox.code()).as(sandbox.err()).isEqualTo(42);
    }

    @Test
    void hardenSaysWhichLevelTheWorkloadNeeds() throws Exception {
        String image = zlibImage("1:1.2.13.dfsg-1+deb12u1");
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        Run sandbox;
        Run vm;
        try {
            System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
            sandbox = run("harden", "--isolation", "sandbox", image);
            vm = run("harden", "--isolation", "vm", image);
        } finally {
            System.setOut(stdout);
        }
        assertThat(sandbox.code()).as(sandbox.err()).isZero();
        assertThat(vm.code()).as(vm.err()).isZero();
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("docker run --runtime=runsc \\\n");
        assertThat(out.indexOf("docker run", 1)).as("the vm rendering").isPositive();
        assertThat(out.substring(out.indexOf("docker run", 1))).startsWith("docker run \\\n");
        assertThat(vm.err()).contains("bulwark: note: needs --isolation vm: run it in a VM: bulwark run --isolation vm");
        Run bad = run("harden", "--isolation", "hyperv", image);
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("bulwark: isolation hyperv: one of container, sandbox, vm");
    }
}

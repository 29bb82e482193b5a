package dev.bulwark.cli;

import dev.bulwark.harden.HardenException;
import dev.bulwark.harden.run.Runner;
import dev.bulwark.harden.run.vm.MicroVm;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the stronger isolation levels' parts are: gVisor's runsc, and QEMU with its kernel and busybox for the VM. */
final class IsolationOptions {
    static final String DEFAULT_VM_KERNEL = "/var/lib/bulwark/vmkernel";

    @Option(names = "--runsc", paramLabel = "PATH", description = "The runsc binary for the sandbox level (default: runsc on PATH).")
    Path runsc;
    @Option(names = "--qemu", paramLabel = "PATH", description = "QEMU for the vm level (default: qemu-system-x86_64 on PATH).")
    Path qemu;
    @Option(names = "--vm-kernel", paramLabel = "DIR", description = "An unpacked Debian linux-image package (boot/, lib/modules/) for the vm level (default " + DEFAULT_VM_KERNEL + ").")
    Path vmKernel;
    @Option(names = "--vm-busybox", paramLabel = "PATH", description = "The static busybox the VM's init runs (default /bin/busybox, Debian's busybox-static).")
    Path vmBusybox;
    @Option(names = "--vm-accel", paramLabel = "auto|kvm|tcg", description = "KVM, software emulation, or KVM when it boots the guest here (default auto).")
    String vmAccel = "auto";

    /** runsc, checked to be there. */
    Path runsc() throws HardenException {
        Path p = runsc != null ? runsc : RunCommand.which("runsc");
        Runner.requireSandbox(p);
        return p;
    }

    /** The VM's parts, checked to be there; {@code console} as {@link MicroVm.Options#console()}. */
    MicroVm.Options vm(Path console) throws HardenException {
        MicroVm.Options o = new MicroVm.Options(qemu != null ? qemu : RunCommand.which("qemu-system-x86_64"),
                vmKernel != null ? vmKernel : Path.of(DEFAULT_VM_KERNEL), vmBusybox != null ? vmBusybox : Path.of("/bin/busybox"),
                MicroVm.Accel.parse(vmAccel), console);
        MicroVm.check(o);
        return o;
    }
}

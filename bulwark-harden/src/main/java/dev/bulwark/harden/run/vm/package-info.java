/**
 * The VM isolation level of `bulwark run`: a QEMU micro-VM booting an unpacked Debian kernel with an initramfs Bulwark
 * writes per run (busybox, the virtio / 9p / overlay modules, the init), the image's root shared read-only over
 * virtio-9p, the command's output and exit status handed back through a second share. Facade: {@link
 * dev.bulwark.harden.run.vm.MicroVm}.
 */
package dev.bulwark.harden.run.vm;

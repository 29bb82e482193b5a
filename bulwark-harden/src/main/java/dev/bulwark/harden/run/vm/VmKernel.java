package dev.bulwark.harden.run.vm;

import dev.bulwark.harden.HardenException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A guest kernel from an unpacked Debian linux-image package (not installed: {@code DIR/boot/vmlinu[xz]-VER} and
 * {@code DIR/lib/modules/VER/}), and the modules the guest needs to reach the image: Debian builds virtio-mmio, 9p
 * and overlayfs as modules, so the initramfs must carry and load them, dependencies first.
 *
 * @param version    the kernel release (what {@code uname -r} says in the guest)
 * @param image      the file QEMU boots: the uncompressed {@code vmlinux-VER} when present (PVH entry, no
 *                   decompression under emulation), else {@code vmlinuz-VER}
 * @param modulesDir {@code DIR/lib/modules/VER}
 */
public record VmKernel(String version, Path image, Path modulesDir) {
    /** What the init needs: virtio-mmio devices (microvm has no PCI), the 9p transport and file system, overlayfs. */
    public static final List<String> NEEDED = List.of("virtio_mmio", "9pnet_virtio", "9p", "overlay");
    private static final long MAX_MODULE = 64L << 20;

    /** Finds the newest kernel in {@code dir} that has its modules beside it. */
    public static VmKernel find(Path dir) throws HardenException {
        String hint = "unpack a Debian linux-image package there (scripts/vmkernel.sh does) or give --vm-kernel DIR";
        if (!Files.isDirectory(dir)) throw new HardenException(dir.toString(), "no guest kernel: not a directory; " + hint);
        List<String> versions = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("boot"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vmlinuz-") || n.startsWith("vmlinux-"))
                    .map(n -> n.substring("vmlinuz-".length())).distinct()
                    .filter(v -> Files.isDirectory(dir.resolve("lib/modules").resolve(v).resolve("kernel")))
                    .forEach(versions::add);
        } catch (IOException e) {
            throw new HardenException(dir.resolve("boot").toString(), "no guest kernel (" + e.getMessage() + "); " + hint);
        }
        if (versions.isEmpty())
            throw new HardenException(dir.toString(), "no guest kernel: no boot/vmlinuz-VERSION with lib/modules/VERSION beside it; " + hint);
        versions.sort(Comparator.comparing(VmKernel::versionKey));
        String v = versions.get(versions.size() - 1);
        Path raw = dir.resolve("boot/vmlinux-" + v);
        Path image = Files.isRegularFile(raw) ? raw : dir.resolve("boot/vmlinuz-" + v);
        if (!Files.isRegularFile(image)) throw new HardenException(image.toString(), "the guest kernel is not a regular file");
        return new VmKernel(v, image, dir.resolve("lib/modules").resolve(v));
    }

    /** Numeric parts zero-padded so that 6.1.0-57 sorts after 6.1.0-9. */
    static String versionKey(String v) {
        StringBuilder b = new StringBuilder();
        for (String part : v.split("[^0-9]+")) if (!part.isEmpty()) b.append(String.format("%012d", Long.parseLong(part.length() > 12 ? part.substring(0, 12) : part)));
        return b + v;
    }

    /** The modules {@link #NEEDED} and what they depend on, in load order (each after what it depends on). */
    public List<Path> modules() throws HardenException {
        Map<String, Path> index = index();
        Set<String> ordered = new LinkedHashSet<>();
        for (String m : NEEDED) visit(m, index, ordered, new LinkedHashSet<>());
        List<Path> out = new ArrayList<>();
        for (String m : ordered) out.add(index.get(m));
        return out;
    }

    private void visit(String name, Map<String, Path> index, Set<String> ordered, Set<String> path) throws HardenException {
        if (ordered.contains(name)) return;
        if (!path.add(name)) throw new HardenException(modulesDir.toString(), "module dependencies form a cycle: " + String.join(" -> ", path) + " -> " + name);
        Path file = index.get(name);
        if (file == null) {
            throw new HardenException(modulesDir.toString(), "the guest kernel has no module " + name + " (needed for "
                    + String.join(", ", NEEDED) + "; a kernel with them built in needs no module, but this one has neither)");
        }
        for (String dep : depends(file)) visit(dep, index, ordered, path);
        path.remove(name);
        ordered.add(name);
    }

    /** Module name (dashes as underscores, as the kernel names them) to its file under kernel/. */
    private Map<String, Path> index() throws HardenException {
        Map<String, Path> index = new HashMap<>();
        try (Stream<Path> s = Files.walk(modulesDir.resolve("kernel"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                String base = n.endsWith(".ko") ? n.substring(0, n.length() - 3)
                        : n.matches(".*\\.ko\\.(xz|zst|gz)") ? n.substring(0, n.indexOf(".ko.")) : null;
                if (base == null || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
                index.putIfAbsent(base.replace('-', '_'), p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new HardenException(modulesDir.toString(), "cannot list the guest kernel's modules: " + e.getMessage());
        }
        return index;
    }

    /** The {@code depends=} entry of the module's .modinfo section (NUL-separated key=value strings). */
    static List<String> depends(Path ko) throws HardenException {
        String n = ko.getFileName().toString();
        if (!n.endsWith(".ko"))
            throw new HardenException(ko.toString(), "compressed module: the initramfs's insmod loads plain .ko files (unpack the kernel package with uncompressed modules)");
        byte[] data;
        try {
            if (Files.size(ko) > MAX_MODULE) throw new HardenException(ko.toString(), "module larger than 64 MiB");
            try (InputStream in = Files.newInputStream(ko)) {
                data = in.readNBytes((int) MAX_MODULE);
            }
        } catch (IOException e) {
            throw new HardenException(ko.toString(), "cannot read: " + e.getMessage());
        }
        return depends(data);
    }

    static List<String> depends(byte[] data) {
        byte[] key = "depends=".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + key.length <= data.length; i++) {
            if (i > 0 && data[i - 1] != 0) continue;
            for (int j = 0; j < key.length; j++) if (data[i + j] != key[j]) continue outer;
            int end = i + key.length;
            while (end < data.length && data[end] != 0) end++;
            String v = new String(data, i + key.length, end - i - key.length, StandardCharsets.US_ASCII).strip();
            List<String> out = new ArrayList<>();
            for (String d : v.split(",")) if (!d.isBlank()) out.add(d.strip().replace('-', '_'));
            return out;
        }
        return List.of();
    }
}

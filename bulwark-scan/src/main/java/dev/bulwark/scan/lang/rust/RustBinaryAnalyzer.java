package dev.bulwark.scan.lang.rust;

import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.Elf;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;
import dev.bulwark.scan.lang.Purls;
import dev.bulwark.scan.lang.rust.AuditableDeps.Crate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rust executables built with cargo-auditable: the ELF section ".dep-v0" lists the crates compiled in. The root
 * crate gets property "role"="main"; crates not from crates.io keep their source in property "source".
 */
public final class RustBinaryAnalyzer implements Analyzer {
    private static final String SECTION = ".dep-v0";
    private static final int MAX_SECTION = 8 << 20;

    @Override
    public String type() {
        return "rustbinary";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public boolean required(String path, long size, int mode) {
        return (mode & 0111) != 0 && size > 1024 && size < (512L << 20);
    }

    @Override
    public boolean accepts(byte[] head) {
        return Elf.isElf(head);
    }

    @Override
    public FileResult analyze(FileInput in) throws IOException {
        byte[] section;
        try (SeekableByteChannel ch = in.channel()) {
            Elf.Section s = Elf.section(ch, SECTION);
            if (s == null) return null; // not built with cargo-auditable
            if (s.size() > MAX_SECTION) return FileResult.warning(type(), in.path(), SECTION + " is " + s.size() + " bytes, over " + MAX_SECTION);
            ByteBuffer b = Elf.read(ch, s.offset(), (int) s.size());
            section = new byte[b.remaining()];
            b.get(section);
        } catch (IllegalArgumentException e) {
            return null; // not ELF
        }
        AuditableDeps.Result r = AuditableDeps.parse(section);
        if (r.problem() != null) return FileResult.warning(type(), in.path(), r.problem());
        List<Package> out = new ArrayList<>();
        for (Crate c : r.crates()) {
            Map<String, String> props = new LinkedHashMap<>();
            if (c.root()) props.put("role", "main");
            if (!c.source().isEmpty() && !c.source().equals("crates.io")) props.put("source", c.source());
            out.add(new Package(PackageType.CARGO, c.name(), c.version(), Purls.of("cargo", null, c.name(), c.version()), null,
                    List.of(), null, List.of(in.path()), props));
        }
        return FileResult.ofPackages(type(), in.path(), out);
    }
}

package dev.bulwark.scan.lang.rust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.bulwark.model.Package;
import dev.bulwark.model.PackageType;
import dev.bulwark.scan.analyzer.Analyzer;
import dev.bulwark.scan.analyzer.Elf;
import dev.bulwark.scan.analyzer.FileInput;
import dev.bulwark.scan.analyzer.FileResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Rust executables built with cargo-auditable: the ELF section ".dep-v0" holds the dependency tree as
 * zlib-compressed JSON ({"packages":[{"name","version","source","kind","root"}]}).
 */
public final class RustBinaryAnalyzer implements Analyzer {
    private static final String SECTION = ".dep-v0";
    private static final int MAX_SECTION = 8 << 20;
    private static final int MAX_JSON = 32 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return "rustbinary";
    }

    @Override
    public int version() {
        return 1;
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
            section = Elf.sectionBytes(ch, SECTION, MAX_SECTION);
        } catch (IllegalArgumentException e) {
            return null; // not an ELF file we can read: not a Rust binary for us
        }
        if (section == null) return null;
        byte[] json;
        try {
            json = inflate(section);
        } catch (DataFormatException | IllegalArgumentException e) {
            return FileResult.warning(type(), in.path(), ".dep-v0 is not zlib data (" + e.getMessage() + ")");
        }
        JsonNode root = JSON.readTree(json);
        List<Package> out = new ArrayList<>();
        for (JsonNode p : root.path("packages")) {
            String name = p.path("name").asText(""), version = p.path("version").asText("");
            if (name.isEmpty() || version.isEmpty()) continue;
            if ("build".equals(p.path("kind").asText())) continue; // build-time only: not in the binary
            Map<String, String> props = p.path("root").asBoolean(false) ? Map.of("role", "main") : Map.of();
            out.add(new Package(PackageType.CARGO, name, version, purl(name, version), null, List.of(), null, List.of(in.path()), props));
        }
        return FileResult.ofPackages(type(), in.path(), out);
    }

    private static byte[] inflate(byte[] data) throws DataFormatException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 << 10];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) throw new DataFormatException("truncated");
                out.write(buf, 0, n);
                if (out.size() > MAX_JSON) throw new DataFormatException("inflates beyond " + MAX_JSON + " bytes");
            }
            return out.toByteArray();
        } finally {
            inf.end();
        }
    }

    private static String purl(String name, String version) {
        try {
            return PackageURLBuilder.aPackageURL().withType("cargo").withName(name).withVersion(version).build().canonicalize();
        } catch (MalformedPackageURLException e) {
            return null;
        }
    }
}

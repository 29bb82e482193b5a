package dev.bulwark.scan.lang.rust;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * cargo-auditable's dependency list: the content of an executable's ".dep-v0" section, zlib-compressed JSON
 * {@code {"packages":[{"name","version","source","kind","dependencies","root"}]}}. Pure parsing, bounded inflation.
 */
final class AuditableDeps {
    static final int MAX_JSON = 32 << 20;
    private static final int MAX_PACKAGES = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One crate; {@code source} is "crates.io", "git", "local", "registry" ... */
    record Crate(String name, String version, String source, boolean root) {
    }

    /** The crates compiled into the binary, or a reason they cannot be read. */
    record Result(List<Crate> crates, String problem) {
    }

    private AuditableDeps() {
    }

    /**
     * The runtime crates (build-time ones, kind "build", are not in the binary). Local crates other than the root
     * are the workspace's own code, not crates.io's namesakes, and are left out.
     */
    static Result parse(byte[] section) {
        byte[] json;
        try {
            json = inflate(section);
        } catch (DataFormatException e) {
            return new Result(List.of(), ".dep-v0 is not zlib data (" + e.getMessage() + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            return new Result(List.of(), ".dep-v0 holds malformed JSON (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            return new Result(List.of(), ".dep-v0: " + e.getMessage());
        }
        if (root == null || !root.path("packages").isArray()) return new Result(List.of(), ".dep-v0 has no \"packages\" list");
        List<Crate> out = new ArrayList<>();
        for (JsonNode p : root.path("packages")) {
            if (out.size() >= MAX_PACKAGES) break;
            String name = p.path("name").asText(""), version = p.path("version").asText("");
            if (name.isEmpty() || version.isEmpty() || "build".equals(p.path("kind").asText())) continue;
            String source = p.path("source").asText("");
            boolean isRoot = p.path("root").asBoolean(false);
            if ("local".equals(source) && !isRoot) continue;
            out.add(new Crate(name, version, source, isRoot));
        }
        return new Result(List.copyOf(out), null);
    }

    /** zlib, refusing to inflate beyond {@link #MAX_JSON} bytes. */
    static byte[] inflate(byte[] data) throws DataFormatException {
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
}

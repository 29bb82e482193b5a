package dev.bulwark.image;

import com.github.luben.zstd.ZstdOutputStream;
import dev.bulwark.model.Digest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds small, valid images in memory or on disk for tests: layers, OCI layouts, docker-save archives. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A tar entry to put in a layer. */
    public record E(String name, byte type, String content, String link, int mode) {
        public static E file(String name, String content) {
            return new E(name, TarConstants.LF_NORMAL, content, null, 0644);
        }

        public static E exe(String name, String content) {
            return new E(name, TarConstants.LF_NORMAL, content, null, 0755);
        }

        public static E dir(String name) {
            return new E(name, TarConstants.LF_DIR, null, null, 0755);
        }

        public static E symlink(String name, String target) {
            return new E(name, TarConstants.LF_SYMLINK, null, target, 0777);
        }

        public static E hardlink(String name, String target) {
            return new E(name, TarConstants.LF_LINK, null, target, 0644);
        }
    }

    public static byte[] tar(List<E> entries) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bos)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (E e : entries) {
                TarArchiveEntry t = new TarArchiveEntry(e.name(), e.type(), false);
                t.setMode(e.mode());
                if (e.link() != null) t.setLinkName(e.link());
                byte[] data = e.content() == null ? new byte[0] : e.content().getBytes(StandardCharsets.UTF_8);
                if (e.type() == TarConstants.LF_NORMAL) t.setSize(data.length);
                out.putArchiveEntry(t);
                if (e.type() == TarConstants.LF_NORMAL) out.write(data);
                out.closeArchiveEntry();
            }
        }
        return bos.toByteArray();
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    public static byte[] zstd(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = new ZstdOutputStream(bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    /** A layer: its uncompressed tar and the blob as stored. */
    public record Layer(byte[] tar, byte[] blob, String mediaType) {
        public Digest diffId() {
            return Digest.sha256(tar);
        }

        public Digest digest() {
            return Digest.sha256(blob);
        }
    }

    public static Layer gzLayer(List<E> entries) throws IOException {
        byte[] t = tar(entries);
        return new Layer(t, gzip(t), "application/vnd.oci.image.layer.v1.tar+gzip");
    }

    public static Layer zstdLayer(List<E> entries) throws IOException {
        byte[] t = tar(entries);
        return new Layer(t, zstd(t), "application/vnd.oci.image.layer.v1.tar+zstd");
    }

    public static Layer plainLayer(List<E> entries) throws IOException {
        byte[] t = tar(entries);
        return new Layer(t, t, "application/vnd.oci.image.layer.v1.tar");
    }

    public static String config(List<Layer> layers, String arch) {
        StringBuilder ids = new StringBuilder();
        StringBuilder hist = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            if (i > 0) {
                ids.append(',');
                hist.append(',');
            }
            ids.append('"').append(layers.get(i).diffId()).append('"');
            hist.append("{\"created_by\":\"RUN step ").append(i).append("\"}");
        }
        return "{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"created\":\"2026-01-01T00:00:00Z\","
                + "\"config\":{\"User\":\"app\",\"Env\":[\"PATH=/usr/bin\",\"SECRET=x\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]},\"history\":[" + hist + "]}";
    }

    public static String manifest(String configDigest, long configSize, List<Layer> layers) {
        StringBuilder ls = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (i > 0) ls.append(',');
            ls.append("{\"mediaType\":\"").append(l.mediaType()).append("\",\"digest\":\"").append(l.digest())
                    .append("\",\"size\":").append(l.blob().length).append('}');
        }
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + configSize
                + "},\"layers\":[" + ls + "]}";
    }

    /** Writes an OCI layout with one image tagged {@code tag}; returns blob name → bytes for tampering tests. */
    public static Map<String, byte[]> ociLayout(Path dir, String tag, List<Layer> layers) throws IOException {
        Map<String, byte[]> files = ociFiles(tag, layers, "amd64");
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return files;
    }

    public static Map<String, byte[]> ociFiles(String tag, List<Layer> layers, String arch) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] config = config(layers, arch).getBytes(StandardCharsets.UTF_8);
        Digest cd = Digest.sha256(config);
        byte[] manifest = manifest(cd.toString(), config.length, layers).getBytes(StandardCharsets.UTF_8);
        Digest md = Digest.sha256(manifest);
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("index.json", ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"" + md + "\",\"size\":" + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
                + tag + "\"}}]}").getBytes(StandardCharsets.UTF_8));
        files.put("blobs/sha256/" + cd.hex(), config);
        files.put("blobs/sha256/" + md.hex(), manifest);
        for (Layer l : layers) files.put("blobs/sha256/" + l.digest().hex(), l.blob());
        return files;
    }

    /** A `docker save`-style archive (legacy layout) with one image. */
    public static void dockerArchive(Path file, String repoTag, List<Layer> layers) throws IOException {
        byte[] config = config(layers, "amd64").getBytes(StandardCharsets.UTF_8);
        Digest cd = Digest.sha256(config);
        List<E> entries = new ArrayList<>();
        StringBuilder layerNames = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            String dir = "%064d".formatted(i);
            entries.add(E.dir(dir + "/"));
            entries.add(new E(dir + "/layer.tar", TarConstants.LF_NORMAL, null, null, 0644));
            if (i > 0) layerNames.append(',');
            layerNames.append('"').append(dir).append("/layer.tar\"");
        }
        String manifest = "[{\"Config\":\"" + cd.hex() + ".json\",\"RepoTags\":[\"" + repoTag + "\"],\"Layers\":[" + layerNames + "]}]";
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bos)) {
            for (int i = 0; i < layers.size(); i++) {
                String dir = "%064d".formatted(i);
                put(out, dir + "/layer.tar", layers.get(i).tar());
            }
            put(out, cd.hex() + ".json", config);
            put(out, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        }
        Files.write(file, bos.toByteArray());
    }

    public static void put(TarArchiveOutputStream out, String name, byte[] data) throws IOException {
        TarArchiveEntry t = new TarArchiveEntry(name);
        t.setSize(data.length);
        out.putArchiveEntry(t);
        out.write(data);
        out.closeArchiveEntry();
    }

    /** A tar of named files (an OCI layout as a tar, say). */
    public static void tarFiles(Path file, Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bos)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : files.entrySet()) put(out, e.getKey(), e.getValue());
        }
        Files.write(file, bos.toByteArray());
    }
}

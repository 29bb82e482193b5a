package dev.bulwark.image;

import dev.bulwark.model.LayerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

class RootfsSourceTest {
    @TempDir
    Path root;

    /** Every entry a walk of the source reports, and the content of the files it was asked to read. */
    private List<LayerEntry> walk(Path dir, List<String> warnings, java.util.function.Predicate<String> read, Map<String, String> contents) throws Exception {
        List<LayerEntry> seen = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ImageSource src = ImageSources.open("rootfs:" + dir, SourceOptions.defaults())) {
            src.walkLayers(List.of(0), new LayerHandler() {
                @Override
                public LayerVisitor start(LayerInfo layer) {
                    return new LayerVisitor() {
                        @Override
                        public void entry(LayerEntry e, InputStream content) throws IOException {
                            seen.add(e);
                            if (content != null && read.test(e.path())) contents.put(e.path(), new String(content.readAllBytes()));
                        }

                        @Override
                        public void warning(String message) {
                            warnings.add(message);
                        }
                    };
                }

                @Override
                public void finished(LayerVisitor visitor, LayerInfo layer) {
                }
            }, pool);
        } finally {
            pool.shutdownNow();
        }
        return seen;
    }

    /** What the JDK's own file tree walk and a stat per entry say about the same tree. */
    private static List<LayerEntry> reference(Path dir) throws IOException {
        List<LayerEntry> out = new ArrayList<>();
        Files.walkFileTree(dir, Set.of(), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (!d.equals(dir)) add(d, EntryType.DIRECTORY, null);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) add(f, EntryType.SYMLINK, Files.readSymbolicLink(f).toString());
                else add(f, attrs.isRegularFile() ? EntryType.FILE : EntryType.OTHER, null);
                return FileVisitResult.CONTINUE;
            }

            private void add(Path p, EntryType t, String link) throws IOException {
                Map<String, Object> u = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
                out.add(new LayerEntry("/" + dir.relativize(p), t, t == EntryType.FILE ? (Long) u.get("size") : 0,
                        (Integer) u.get("mode") & 07777, link, ((Number) u.get("uid")).longValue(), ((Number) u.get("gid")).longValue()));
            }
        });
        return out;
    }

    @Test
    void everyEntryOnceWithTypeSizeModeOwnerAndLinkAndFilesReadInPlace() throws Exception {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("var/empty"));
        Files.createDirectories(root.resolve("a/b/c/d/e"));
        Files.writeString(root.resolve("a/b/c/d/e/deep.txt"), "deep");
        Files.writeString(root.resolve("usr/bin/tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(root.resolve("usr/bin/tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("usr/bin/su"), "elf");
        Files.setAttribute(root.resolve("usr/bin/su"), "unix:mode", 04755);
        Files.writeString(root.resolve(".hidden"), "");
        Files.writeString(root.resolve("name with\\backslash and space"), "x");
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(root.resolve("usr/bin/abs"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("nowhere"));
        new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start().waitFor();
        Files.setAttribute(root.resolve("var/empty"), "unix:uid", 65534);

        List<String> warnings = new ArrayList<>();
        Map<String, String> contents = new java.util.HashMap<>();
        List<LayerEntry> seen = walk(root, warnings, p -> p.endsWith("deep.txt") || p.contains("backslash"), contents);

        assertThat(seen).containsExactlyInAnyOrderElementsOf(reference(root));
        assertThat(seen).extracting(LayerEntry::path).doesNotHaveDuplicates().contains("/a/b/c/d/e/deep.txt", "/name with\\backslash and space");
        assertThat(seen.stream().filter(e -> e.path().equals("/usr/bin/su")).findFirst().orElseThrow().mode()).isEqualTo(04755);
        assertThat(seen.stream().filter(e -> e.path().equals("/var/empty")).findFirst().orElseThrow().uid()).isEqualTo(65534);
        assertThat(seen.stream().filter(e -> e.path().equals("/bin")).findFirst().orElseThrow())
                .extracting(LayerEntry::type, LayerEntry::linkTarget).containsExactly(EntryType.SYMLINK, "usr/bin");
        assertThat(seen.stream().filter(e -> e.path().equals("/fifo")).findFirst().orElseThrow().type()).isEqualTo(EntryType.OTHER);
        for (int i = 0; i < seen.size(); i++) {
            String p = seen.get(i).path();
            int parent = p.lastIndexOf('/') == 0 ? -1 : seen.stream().map(LayerEntry::path).toList().indexOf(p.substring(0, p.lastIndexOf('/')));
            assertThat(parent).as("the directory of %s comes first", p).isLessThan(i);
        }
        assertThat(contents).containsEntry("/a/b/c/d/e/deep.txt", "deep").containsEntry("/name with\\backslash and space", "x");
        assertThat(warnings).isEmpty();
    }

    @Test
    void anEmptyRootHasNoEntries() throws Exception {
        assertThat(walk(root, new ArrayList<>(), p -> false, new java.util.HashMap<>())).isEmpty();
    }
}

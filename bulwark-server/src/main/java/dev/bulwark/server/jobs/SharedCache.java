package dev.bulwark.server.jobs;

import dev.bulwark.server.ServerException;
import dev.bulwark.server.store.Store;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layer cache shared through the DB. Each worker process keeps the scanner's cache directory locally (a copy,
 * never the truth); before a scan it fetches the entries other workers stored, after a scan it stores the ones it
 * made. Entries are content-keyed (diffID and analyser versions; the scanner's own key), written once and never
 * changed, so a copy is either whole or absent and any worker may add the same entry twice harmlessly. A problem
 * here costs speed, never a scan: it is logged and the scan goes on.
 */
final class SharedCache {
    /** The scanner's entry files: layer records and assembled inventories, named by their hex keys. */
    private static final Pattern NAME = Pattern.compile("(layers/[0-9a-f]{16,128}\\.json\\.gz|inventories/[0-9a-f]{16,128}\\.bin\\.gz)");
    /** Entries bigger than this are left local: the DB is no blob store. */
    private static final long MAX_ENTRY = 32L << 20;

    private final Store store;
    private final Path dir;
    private final Consumer<String> log;
    /** Names known to be in the DB (stored or fetched by this process). */
    private final Set<String> shared = ConcurrentHashMap.newKeySet();

    SharedCache(Store store, Path dir, Consumer<String> log) {
        this.store = store;
        this.dir = dir;
        this.log = log;
    }

    /** Fetches the entries this process does not have yet. */
    void pull() {
        try {
            List<String> names = store.inTx("list shared cache entries", c -> {
                List<String> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT name FROM srv_cache_file"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            });
            for (String n : names) {
                if (!NAME.matcher(n).matches()) continue;
                Path local = dir.resolve(n);
                if (Files.exists(local)) {
                    shared.add(n);
                    continue;
                }
                byte[] data = store.inTx("fetch a shared cache entry", c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT data FROM srv_cache_file WHERE name = ?")) {
                        ps.setString(1, n);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? rs.getBytes(1) : null;
                        }
                    }
                });
                if (data == null) continue;
                write(local, data);
                shared.add(n);
            }
        } catch (ServerException | IOException e) {
            log.accept("bulwark serve: shared layer cache: cannot fetch: " + (e instanceof ServerException s ? s.oneLine() : e.getMessage()));
        }
    }

    /** Stores the entries this process made that the DB does not have. */
    void push() {
        List<Path> files = new ArrayList<>();
        for (String sub : new String[]{"layers", "inventories"}) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.forEach(files::add);
            } catch (IOException e) {
                log.accept("bulwark serve: shared layer cache: cannot list " + d + ": " + e.getMessage());
            }
        }
        for (Path f : files) {
            String n = dir.relativize(f).toString().replace('\\', '/');
            if (!NAME.matcher(n).matches() || shared.contains(n)) continue;
            try {
                if (Files.size(f) > MAX_ENTRY) continue;
                byte[] data = Files.readAllBytes(f);
                store.inTx("store a shared cache entry", c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO srv_cache_file (name, data, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                        ps.setString(1, n);
                        ps.setBytes(2, data);
                        ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                        return ps.executeUpdate();
                    }
                });
                shared.add(n);
            } catch (java.nio.file.NoSuchFileException e) {
                // evicted by the scanner meanwhile: nothing to share
            } catch (ServerException | IOException e) {
                log.accept("bulwark serve: shared layer cache: cannot store " + n + ": "
                        + (e instanceof ServerException s ? s.oneLine() : e.getMessage()));
            }
        }
    }

    /** Written through a temporary file renamed into place: the scanner sees the whole entry or none. */
    private static void write(Path target, byte[] data) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, data);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

package dev.bulwark.policy.authz;

import dev.bulwark.model.BulwarkException;
import dev.bulwark.policy.PolicyEngine;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The policy in force, and its replacement when the file changes or on demand (SIGHUP). A new policy that does not
 * load is rejected with its error and the old one stays: a typo in an edit must not open (or close) the door.
 *
 * <p>The file is watched through its directory, not itself: editors and config-management tools replace files
 * by renaming a new one over them, which a watch on the old inode would miss; Kubernetes swaps a symlink beside it. A change is acted on after a short
 * quiet period (a save is often several events), and only when the bytes differ from the policy in force.
 */
public final class PolicyReloader implements Supplier<PolicyEngine>, Closeable {
    /** Loads a policy file. */
    @FunctionalInterface
    public interface Loader {
        PolicyEngine load(Path file) throws BulwarkException, IOException;
    }

    /** Told about every reload attempt. */
    public interface Listener {
        void reloaded(Path file, String trigger);

        void rejected(Path file, String trigger, String error);
    }

    private static final long QUIET_MILLIS = 150;

    private final Path file;
    private final Loader loader;
    private final Listener listener;
    private final AtomicReference<PolicyEngine> current = new AtomicReference<>();
    private volatile byte[] digest;
    private WatchService watcher;
    private Thread watchThread;

    private PolicyReloader(Path file, Loader loader, Listener listener) {
        this.file = file.toAbsolutePath().normalize();
        this.loader = loader;
        this.listener = listener;
    }

    /**
     * Loads the policy (its failure is the caller's: nothing is in force yet) and, with {@code watch}, starts
     * watching its directory.
     */
    public static PolicyReloader start(Path file, Loader loader, Listener listener, boolean watch) throws BulwarkException, IOException {
        Objects.requireNonNull(listener, "listener");
        PolicyReloader r = new PolicyReloader(file, loader, listener);
        byte[] before;
        try {
            before = r.digestOf();
        } catch (IOException e) {
            before = null; // the loader says what is wrong with the file, in its own words
        }
        r.current.set(Objects.requireNonNull(loader.load(r.file), "the loader returned no engine"));
        r.digest = before;
        if (watch) r.watch();
        return r;
    }

    @Override
    public PolicyEngine get() {
        return current.get();
    }

    public Path file() {
        return file;
    }

    /**
     * Loads the file again and swaps the new policy in if it loads; returns whether it did. Serialised: a SIGHUP
     * and a file event at once load one after the other.
     *
     * @param force reload even when the bytes did not change (SIGHUP: the operator asked)
     */
    public synchronized boolean reload(String trigger, boolean force) {
        byte[] now;
        try {
            now = digestOf();
        } catch (IOException e) {
            listener.rejected(file, trigger, "cannot read " + file + ": " + e.getMessage() + "; the policy in force stays");
            return false;
        }
        if (!force && Arrays.equals(now, digest)) return false;
        try {
            PolicyEngine e = loader.load(file);
            if (e == null) throw new IllegalStateException("the loader returned no engine");
            current.set(e);
            digest = now;
            listener.reloaded(file, trigger);
            return true;
        } catch (BulwarkException e) {
            listener.rejected(file, trigger, e.oneLine() + "; the policy in force stays");
        } catch (IOException | RuntimeException e) {
            listener.rejected(file, trigger, file + ": " + e.getMessage() + "; the policy in force stays");
        }
        digest = now; // do not retry the same broken bytes on every event
        return false;
    }

    private byte[] digestOf() throws IOException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void watch() throws IOException {
        Path dir = file.getParent();
        watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
        watchThread = Thread.ofPlatform().daemon(true).name("bulwark-policy-watch").start(() -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    boolean ours = false;
                    do {
                        // Any event counts, not only those naming the file: a Kubernetes ConfigMap volume swaps a
                        // "..data" symlink under a policy.yaml that is itself a symlink, and no event names policy.yaml.
                        // Unrelated events cost a read and a hash: reload() acts only when the bytes changed.
                        if (!key.pollEvents().isEmpty()) ours = true;
                        key.reset();
                        key = ours ? watcher.poll(QUIET_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS) : null;
                    } while (key != null);
                    if (ours && Files.exists(file)) reload("file change", false);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closed
            }
        });
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) watcher.close();
        if (watchThread != null) watchThread.interrupt();
    }
}

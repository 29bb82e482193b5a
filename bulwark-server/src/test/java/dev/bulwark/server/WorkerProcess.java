package dev.bulwark.server;

import dev.bulwark.server.store.Store;
import dev.bulwark.vulndb.DbLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A worker-only server process for the scale-out test (a real child JVM that the test kills with SIGKILL).
 * Arguments: store URL, store user, store password, vulnerability DB directory, workers, lease seconds.
 */
public final class WorkerProcess {
    private WorkerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Store store = Store.open(args[0], args[1], args[2], 4);
        ServerConfig cfg = new ServerConfig("127.0.0.1", 0, false, Integer.parseInt(args[4]), Duration.ofSeconds(Integer.parseInt(args[5])),
                Duration.ofMillis(200), new DbLocation.Embedded(Path.of(args[3])), Duration.ofMinutes(10), null, false, true, false,
                null, null, ServerConfig.DEFAULT_MAX_BODY, null);
        BulwarkServer server = BulwarkServer.start(cfg, store, Map.of(), System.err::println);
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        server.join();
    }
}

package dev.bulwark.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `bulwark serve`: Bulwark as a service (REST API, dashboard, scan workers). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Bulwark as a service: REST API, dashboard, scan workers.")
final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("bulwark serve is not built yet");
    }
}

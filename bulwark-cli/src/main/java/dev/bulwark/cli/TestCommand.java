package dev.bulwark.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `bulwark test IMAGE --spec FILE`: functional tests of an image. */
@Command(name = "test", mixinStandardHelpOptions = true, description = "Check that an image keeps the promises a spec file makes.")
final class TestCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("bulwark test is not built yet");
    }
}

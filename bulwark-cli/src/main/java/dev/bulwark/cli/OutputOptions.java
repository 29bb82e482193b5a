package dev.bulwark.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where and how a report goes. A file is written whole or not at all: to a temporary sibling, then renamed. */
final class OutputOptions {
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "table, json, cyclonedx or spdx (default: table).")
    String format = "table";

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar, no warnings on standard error.")
    boolean quiet;

    interface Body {
        void write(OutputStream out) throws IOException;
    }

    void write(OutputStream stdout, Body body) throws IOException {
        if (output == null) {
            body.write(stdout);
            stdout.flush();
            return;
        }
        Path target = output.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new IOException("output directory " + dir + " does not exist");
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
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

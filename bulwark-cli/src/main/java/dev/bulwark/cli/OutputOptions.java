package dev.bulwark.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where and how a report goes. A regular file is written whole or not at all: to a temporary sibling, then
 * renamed over the target. Devices and pipes are written to directly.
 */
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
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            // A device, pipe or socket (/dev/null, /dev/stdout, a FIFO): write to it; renaming over it would
            // replace it, and as root that replaces /dev/null with a file.
            if (Files.isDirectory(target)) throw new IOException(target + " is a directory");
            try (OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.WRITE)) {
                body.write(out);
            }
            return;
        }
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

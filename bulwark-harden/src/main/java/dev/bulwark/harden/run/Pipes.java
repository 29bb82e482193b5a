package dev.bulwark.harden.run;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies a child's output pipe to where a {@link ProcessBuilder.Redirect} points (runsc cannot write to a plain file). */
final class Pipes {
    private Pipes() {}

    static Thread copy(InputStream from, ProcessBuilder.Redirect to, FileDescriptor inherited, String name) throws IOException {
        OutputStream sink = switch (to.type()) {
            case INHERIT -> new FileOutputStream(inherited);
            case WRITE -> new FileOutputStream(to.file(), false);
            case APPEND -> new FileOutputStream(to.file(), true);
            // DISCARD is a WRITE to /dev/null; a PIPE has no reader to give it to
            case PIPE, READ -> OutputStream.nullOutputStream();
        };
        return Thread.ofPlatform().daemon().name("bulwark-" + name).start(() -> {
            byte[] buf = new byte[16 * 1024];
            try (from) {
                int n;
                while ((n = from.read(buf)) >= 0) {
                    sink.write(buf, 0, n);
                    sink.flush();
                }
            } catch (IOException e) {
                // the reader went away: the run goes on, its output is dropped
            } finally {
                if (to.type() != ProcessBuilder.Redirect.Type.INHERIT) {
                    try {
                        sink.close();
                    } catch (IOException ignored) {
                        // nothing more to write
                    }
                }
            }
        });
    }
}

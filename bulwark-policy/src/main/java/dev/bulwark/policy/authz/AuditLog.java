package dev.bulwark.policy.authz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The append-only record of every decision: one JSON object per line, in a file opened with O_APPEND (never
 * truncated, safe beside other appenders and logrotate's copytruncate), optionally copied to syslog.
 *
 * <p>Writes are synchronous: a decision is answered only after its line is handed to the kernel, so a decision that
 * could not be recorded is known to the caller, which denies it (an allow nobody can audit is what this log exists
 * to prevent). They are also grouped: one writer thread takes every line waiting and hands them to the kernel in one
 * write, and each caller waits for the write that carried its line (group commit). Under load that is one system
 * call for many decisions instead of one each, with the same guarantee. A syslog failure is only reported: the file
 * is the record, syslog a copy.
 */
public final class AuditLog implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final Syslog syslog;
    private final Consumer<String> problems;
    private volatile boolean syslogFailing;
    // A j.u.c. lock, not a monitor: the waiting callers are virtual threads, which a monitor's wait() pins on JDK 21.
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.Condition work = lock.newCondition();
    private final java.util.concurrent.locks.Condition written = lock.newCondition();
    private java.util.List<Pending> waiting = new java.util.ArrayList<>();
    private boolean closed;
    private Thread writer;

    /** A line waiting for the writer, and how its write ended. */
    private static final class Pending {
        final byte[] line;
        boolean done;
        IOException failure;

        Pending(byte[] line) {
            this.line = line;
        }
    }

    private AuditLog(Path file, FileChannel channel, Syslog syslog, Consumer<String> problems) {
        this.file = file;
        this.channel = channel;
        this.syslog = syslog;
        this.problems = problems == null ? s -> { } : problems;
        if (channel != null) writer = Thread.ofPlatform().daemon(true).name("bulwark-audit-writer").start(this::writeLoop);
    }

    private void writeLoop() {
        while (true) {
            java.util.List<Pending> batch;
            lock.lock();
            try {
                while (waiting.isEmpty() && !closed) {
                    try {
                        work.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (waiting.isEmpty()) return;
                batch = waiting;
                waiting = new java.util.ArrayList<>();
            } finally {
                lock.unlock();
            }
            int size = 0;
            for (Pending p : batch) size += p.line.length + 1;
            ByteBuffer buf = ByteBuffer.allocate(size);
            for (Pending p : batch) buf.put(p.line).put((byte) '\n');
            buf.flip();
            IOException failure = null;
            try {
                // With O_APPEND the kernel places each write whole at the end of the file.
                while (buf.hasRemaining()) channel.write(buf);
            } catch (IOException e) {
                failure = e;
            }
            lock.lock();
            try {
                for (Pending p : batch) {
                    p.done = true;
                    p.failure = failure;
                }
                written.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void append(byte[] line) throws IOException {
        Pending p = new Pending(line);
        lock.lock();
        try {
            if (closed) throw new IOException("the audit log is closed");
            waiting.add(p);
            work.signal();
            while (!p.done) {
                try {
                    written.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing the audit log", e);
                }
            }
        } finally {
            lock.unlock();
        }
        if (p.failure != null) throw new IOException(p.failure.getMessage(), p.failure);
    }

    /**
     * @param file     the JSON-lines file, created if absent, or null for none
     * @param syslog   a syslog target ({@link Syslog#open(String)}), or null for none
     * @param problems where syslog failures are reported (one line each time syslog starts failing)
     */
    public static AuditLog open(Path file, String syslog, Consumer<String> problems) throws IOException {
        FileChannel ch = null;
        if (file != null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        Syslog s = null;
        try {
            s = syslog == null ? null : Syslog.open(syslog);
        } catch (IOException e) {
            if (ch != null) ch.close();
            throw e;
        }
        return new AuditLog(file, ch, s, problems);
    }

    /** A log that records nothing (no --audit-log and no --syslog). */
    public static AuditLog none() {
        return new AuditLog(null, null, null, null);
    }

    public Path file() {
        return file;
    }

    /** False for {@link #none()}: callers skip building what would only be thrown away. */
    public boolean enabled() {
        return channel != null || syslog != null;
    }

    /** Records one decision; throws when the file write failed (the caller then denies). */
    public void record(AuditEntry e) throws IOException {
        if (!enabled()) return;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.time().toString());
        m.put("source", e.source());
        m.put("user", e.user());
        m.put("action", e.action());
        m.put("request", e.request());
        m.put("object", e.object());
        m.put("decision", e.outcome());
        m.put("rule", e.decision().rule());
        m.put("message", e.decision().message());
        if (!e.decision().warnings().isEmpty()) m.put("warnings", e.decision().warnings());
        m.put("latency_us", e.latencyMicros());
        write(m, e.decision().allowed() ? Syslog.INFO : Syslog.WARNING);
    }

    /** Records an event of the server itself (a policy reload, accepted or rejected). */
    public void event(String event, boolean ok, String message) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("event", event);
        m.put("ok", ok);
        m.put("message", message);
        write(m, ok ? Syslog.NOTICE : Syslog.ERR);
    }

    private void write(Map<String, Object> m, int severity) throws IOException {
        byte[] line;
        try {
            line = JSON.writeValueAsBytes(m);
        } catch (JsonProcessingException ex) {
            throw new IOException("cannot write the audit record as JSON: " + ex.getOriginalMessage(), ex);
        }
        if (channel != null) append(line);
        if (syslog != null) {
            try {
                syslog.send(severity, line);
                syslogFailing = false;
            } catch (IOException ex) {
                if (!syslogFailing) problems.accept("syslog " + syslog.target() + ": " + ex.getMessage() + " (decisions are still recorded in the audit file)");
                syslogFailing = true;
            }
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        if (writer != null) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (channel != null) channel.close();
        } finally {
            if (syslog != null) syslog.close();
        }
    }
}

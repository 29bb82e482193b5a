package dev.bulwark.policy.authz;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * RFC 5424 messages to a syslog daemon: over a unix stream socket ({@code unix:PATH} or a bare path; framed by
 * octet counting, RFC 6587, since stream transports need framing) or UDP ({@code udp:HOST:PORT}, one datagram per
 * message, RFC 5426). The JDK cannot send to unix <em>datagram</em> sockets, which the usual {@code /dev/log} of
 * rsyslog and journald is: for those, one long-lived util-linux {@code logger} process does the sending (it reads
 * one message per line, each with its {@code <PRI>} prefix, and writes RFC 5424 records to the socket).
 * Facility authpriv (10): these are access decisions.
 */
final class Syslog implements Closeable {
    static final int ERR = 3;
    static final int WARNING = 4;
    static final int NOTICE = 5;
    static final int INFO = 6;
    private static final int FACILITY_AUTHPRIV = 10;

    private final String target;
    private final UnixDomainSocketAddress unix;
    private final InetSocketAddress udp;
    private final String header;
    private SocketChannel stream;
    private DatagramChannel datagram;
    private Process logger;
    private java.io.OutputStream loggerIn;

    private Syslog(String target, UnixDomainSocketAddress unix, InetSocketAddress udp) {
        this.target = target;
        this.unix = unix;
        this.udp = udp;
        String host = "-";
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException ignored) {
            // NILVALUE
        }
        // HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA, each without spaces (RFC 5424 6.2)
        this.header = " " + sanitize(host) + " bulwark " + ProcessHandle.current().pid() + " decision - ";
    }

    static Syslog open(String target) throws IOException {
        Syslog s;
        if (target.startsWith("udp:")) {
            String hp = target.substring(4);
            int colon = hp.lastIndexOf(':');
            if (colon <= 0) throw new IOException("syslog target " + target + ": expected udp:HOST:PORT");
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IOException("syslog target " + target + ": port is not a number");
            }
            if (port < 1 || port > 65535) throw new IOException("syslog target " + target + ": port out of range");
            s = new Syslog(target, null, new InetSocketAddress(hp.substring(0, colon), port));
        } else {
            String p = target.startsWith("unix:") ? target.substring(5) : target;
            if (p.isEmpty()) throw new IOException("syslog target " + target + ": no socket path");
            s = new Syslog(target, UnixDomainSocketAddress.of(Path.of(p)), null);
        }
        s.connect();
        return s;
    }

    String target() {
        return target;
    }

    private void connect() throws IOException {
        if (unix != null) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(unix);
            } catch (IOException e) {
                ch.close();
                String m = String.valueOf(e.getMessage());
                if (m.contains("wrong type")) {
                    startLogger();
                    return;
                }
                throw new IOException("syslog target " + target + ": cannot connect: " + m, e);
            }
            stream = ch;
        } else {
            datagram = DatagramChannel.open();
            datagram.connect(udp);
        }
    }

    /** A unix datagram socket: hand the messages to util-linux logger, the one program that writes there. */
    private void startLogger() throws IOException {
        String path = unix.getPath().toString();
        try {
            logger = new ProcessBuilder("logger", "--socket", path, "--socket-errors=on", "--rfc5424=notq", "--prio-prefix",
                "--tag", "bulwark", "--msgid", "decision", "--size", "65536")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IOException("syslog target " + target + " is a datagram socket, which the JDK cannot write to, and util-linux"
                + " 'logger' cannot be started to do it (" + e.getMessage() + "); use a unix stream socket or udp:127.0.0.1:514", e);
        }
        loggerIn = new java.io.BufferedOutputStream(logger.getOutputStream(), 65536);
    }

    synchronized void send(int severity, byte[] msg) throws IOException {
        if (logger != null) {
            if (!logger.isAlive()) {
                logger = null;
                startLogger();
                if (logger == null) throw new IOException("logger for " + target + " is not running");
            }
            byte[] pri = ("<" + (FACILITY_AUTHPRIV * 8 + severity) + ">").getBytes(StandardCharsets.US_ASCII);
            loggerIn.write(pri);
            loggerIn.write(msg); // JSON from Jackson: no raw newline inside, so one line is one message
            loggerIn.write('\n');
            loggerIn.flush();
            return;
        }
        String head = "<" + (FACILITY_AUTHPRIV * 8 + severity) + ">1 "
            + Instant.now().truncatedTo(ChronoUnit.MICROS) + header;
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        if (datagram != null) {
            datagram.write(ByteBuffer.allocate(h.length + msg.length).put(h).put(msg).flip());
            return;
        }
        if (stream == null) connect(); // reconnect after a daemon restart
        byte[] len = (h.length + msg.length + " ").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(len.length + h.length + msg.length).put(len).put(h).put(msg).flip();
        try {
            while (b.hasRemaining()) stream.write(b);
        } catch (IOException e) {
            stream.close();
            stream = null;
            throw e;
        }
    }

    private static String sanitize(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) if (c > 32 && c < 127) b.append(c);
        return b.isEmpty() ? "-" : b.toString();
    }

    @Override
    public synchronized void close() throws IOException {
        if (logger != null) {
            loggerIn.close(); // logger sends what it has read and exits at end of input
            try {
                if (!logger.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) logger.destroy();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                logger.destroy();
            }
        }
        if (stream != null) stream.close();
        if (datagram != null) datagram.close();
    }
}

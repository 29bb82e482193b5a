package dev.bulwark.docker.testenv;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte-for-byte relay between two sockets; TLS passes through it untouched (it never looks at the bytes).
 *
 * <p>{@code scripts/dockerd-variant.sh} runs each dockerd in a network namespace of its own, so its TCP listener is
 * out of this JVM's reach. Two relays bridge it through the file system: {@link #main} runs INSIDE the daemon's
 * namespace ({@code nsenter --net=/proc/PID/ns/net java ... Relay SOCKET HOST PORT}) and forwards a unix socket to
 * the daemon's TCP port; {@link #tcpToUnix} runs here and forwards a loopback TCP port to that unix socket. The
 * client under test thus speaks TCP (and TLS) to 127.0.0.1, end to end with the real daemon.
 */
public final class Relay implements AutoCloseable {
    private final ServerSocketChannel server;
    private final SocketAddress target;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private Relay(ServerSocketChannel server, SocketAddress target) {
        this.server = server;
        this.target = target;
        this.acceptor = Thread.ofVirtual().name("relay-accept").start(this::acceptLoop);
    }

    /** Listens on {@code bind}:ephemeral and forwards every connection to the unix socket {@code target}. */
    public static Relay tcpToUnix(InetAddress bind, Path target) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
        s.bind(new InetSocketAddress(bind, 0));
        return new Relay(s, UnixDomainSocketAddress.of(target));
    }

    /** Listens on the unix socket {@code socket} and forwards every connection to TCP {@code host:port}. */
    public static Relay unixToTcp(Path socket, String host, int port) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        return new Relay(s, new InetSocketAddress(host, port));
    }

    public int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> connect(in));
        }
    }

    private void connect(SocketChannel in) {
        open.add(in);
        SocketChannel out;
        try {
            out = SocketChannel.open(target);
        } catch (IOException e) {
            close(in);
            return;
        }
        open.add(out);
        Thread a = Thread.ofVirtual().start(() -> pump(in, out));
        Thread b = Thread.ofVirtual().start(() -> pump(out, in));
        try {
            a.join();
            b.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close(in);
        close(out);
    }

    /**
     * Copies until EOF, then half-closes the other side, so an alert followed by a close arrives in order. A failed
     * write (the peer went away) ends only this direction: what the peer sent before going is still carried the
     * other way, as TCP would deliver it.
     */
    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(64 << 10);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) to.write(buf);
                buf.clear();
            }
        } catch (IOException e) {
            // this direction is over; the other one ends at its own EOF
        }
        try {
            to.shutdownOutput();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            from.shutdownInput();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void close(SocketChannel c) {
        open.remove(c);
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (SocketChannel c : open) close(c);
        acceptor.interrupt();
    }

    /** {@code Relay SOCKET HOST PORT}: unix socket SOCKET to TCP HOST:PORT until killed; prints "ready" once listening. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Relay SOCKET HOST PORT");
            System.exit(2);
        }
        try (Relay r = unixToTcp(Path.of(args[0]), args[1], Integer.parseInt(args[2]))) {
            System.out.println("ready");
            System.out.flush();
            r.acceptor.join();
        }
    }
}

package org.harpjava.exapp.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Serves the ExApp on a unix domain socket, as HaRP's FRP mode expects ({@code /tmp/exapp.sock}): each connection
 * accepted there is relayed byte for byte to the ExApp's HTTP server on a loopback port. Helidon listens on TCP
 * only; the relay keeps HTTP, streaming and WebSocket upgrades intact, one virtual thread per direction.
 * At most {@link #DEFAULT_MAX_CONNECTIONS} (or the number given) are relayed at once; further clients wait in the
 * socket's backlog until one ends, so a flood of connections cannot exhaust the ExApp's file descriptors.
 */
public final class UnixSocketBridge implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UnixSocketBridge.class.getName());
    private static final int BUFFER = 16 * 1024;
    /** Connections relayed at once unless {@link #start(Path, InetSocketAddress, int)} says otherwise. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final InetSocketAddress target;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Semaphore slots;
    private final Thread acceptor;

    private UnixSocketBridge(Path path, ServerSocketChannel server, InetSocketAddress target, int maxConnections) {
        this.path = path;
        this.server = server;
        this.target = target;
        this.slots = new Semaphore(maxConnections);
        this.acceptor = Thread.ofVirtual().name("exapp-unix-socket").start(this::acceptLoop);
    }

    /**
     * Listens on {@code path}, replacing a stale socket file left by an earlier run, and relays to {@code target}.
     */
    public static UnixSocketBridge start(Path path, InetSocketAddress target) throws IOException {
        return start(path, target, DEFAULT_MAX_CONNECTIONS);
    }

    /** As {@link #start(Path, InetSocketAddress)}, relaying at most {@code maxConnections} connections at once. */
    public static UnixSocketBridge start(Path path, InetSocketAddress target, int maxConnections) throws IOException {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on unix socket " + path + ": " + e.getMessage(), e);
        }
        return new UnixSocketBridge(path, server, target, maxConnections);
    }

    public Path path() {
        return path;
    }

    /** Connections being relayed now. */
    public int openConnections() {
        return open.size() / 2;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                slots.release();
                LOG.log(System.Logger.Level.WARNING, "Accepting on " + path + " failed: " + e.getMessage());
                continue;
            }
            Thread.ofVirtual().start(() -> {
                try {
                    relay(client);
                } finally {
                    slots.release();
                }
            });
        }
    }

    private void relay(SocketChannel client) {
        SocketChannel upstream;
        try {
            upstream = SocketChannel.open(target);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot reach the ExApp's server at " + target + ": " + e.getMessage());
            closeQuietly(client);
            return;
        }
        open.add(client);
        open.add(upstream);
        Thread back = Thread.ofVirtual().start(() -> pump(upstream, client));
        pump(client, upstream);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
            open.remove(upstream);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** Copies until {@code from} ends, then half-closes {@code to} so the other side sees the end too. */
    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Nothing to release.
        }
        open.forEach(UnixSocketBridge::closeQuietly);
        acceptor.interrupt();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cannot remove " + path + ": " + e.getMessage());
        }
    }
}

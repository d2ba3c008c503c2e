package org.harpjava.server.proxy;

import org.harpjava.server.io.ReadTimeouts;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One HTTP/1.1 connection to an ExApp, with buffered streams and the time it became idle. It is a socket channel
 * used in blocking mode, so that an idle connection can be checked without waiting (see {@link #stale()}). Its
 * reads are timed by a {@link ReadTimeouts} rather than a socket timeout (see there why).
 */
final class UpstreamConnection implements Closeable {
    private static final int BUFFER = 16 * 1024;
    private static final long QUIET_NANOS = 1_000_000;

    final String target;
    final UpstreamInput in;
    final OutputStream out;
    private final SocketChannel channel;
    private final Socket socket;
    private final ReadTimeouts.Watch watch;
    private long idleSince;

    private UpstreamConnection(String target, SocketChannel channel, ReadTimeouts reads, int buffer)
            throws IOException {
        this.target = target;
        this.channel = channel;
        this.socket = channel.socket();
        this.watch = reads.watch(target, channel);
        this.in = new UpstreamInput(socket.getInputStream(), buffer, watch);
        this.out = new BufferedOutputStream(socket.getOutputStream(), buffer);
    }

    /**
     * Connects to {@code host:port}.
     *
     * @param reads times the waits for the ExApp's bytes
     */
    static UpstreamConnection open(String host, int port, String target, Duration connectTimeout, ReadTimeouts reads)
            throws IOException {
        return open(host, port, target, connectTimeout, reads, BUFFER);
    }

    /** Connects to {@code host:port} with buffers of {@code buffer} bytes each way. */
    static UpstreamConnection open(String host, int port, String target, Duration connectTimeout, ReadTimeouts reads,
                                   int buffer) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            Socket socket = channel.socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            return new UpstreamConnection(target, channel, reads, buffer);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Stops timing reads: the connection became a tunnel, whose idleness {@link Tunnels} bounds. */
    void untimed() {
        watch.end();
    }

    /**
     * Whether this idle connection can no longer carry a request: the ExApp closed it, or sent bytes nobody asked
     * for (a body after a bodiless answer). Does not wait.
     */
    boolean stale() {
        try {
            if (in.buffered() > 0) {
                return true;
            }
            channel.configureBlocking(false);
            try {
                return channel.read(ByteBuffer.allocate(1)) != 0;
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * Whether the ExApp sent bytes nobody asked for, without waiting. Bytes that came with the last response are
     * seen at no cost; the socket is asked (one system call) only when the connection has been idle for a
     * millisecond or more: a busy proxy reuses connections within microseconds, when bytes an ExApp sends after
     * its response could not have arrived yet anyway.
     */
    boolean hasUnreadBytes(long nanoTime) {
        if (in.buffered() > 0) {
            return true;
        }
        if (nanoTime - idleSince < QUIET_NANOS) {
            return false;
        }
        try {
            return in.available() > 0;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** The socket itself, for a connection that leaves HTTP (a tunnel). */
    Socket socket() {
        return socket;
    }

    void markIdle(long nanoTime) {
        idleSince = nanoTime;
    }

    long idleSince() {
        return idleSince;
    }

    @Override
    public void close() {
        watch.end();
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing is left to release.
        }
    }
}

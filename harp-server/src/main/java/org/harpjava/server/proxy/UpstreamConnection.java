package org.harpjava.server.proxy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** One HTTP/1.1 connection to an ExApp, with buffered streams and the time it became idle. */
final class UpstreamConnection implements Closeable {
    private static final int BUFFER = 16 * 1024;

    final String target;
    final InputStream in;
    final OutputStream out;
    private final Socket socket;
    private long idleSince;

    private UpstreamConnection(String target, Socket socket) throws IOException {
        this.target = target;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), BUFFER);
        this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
    }

    /**
     * Connects to {@code host:port}.
     *
     * @param readTimeout the longest silence of the ExApp while the proxy waits for bytes
     */
    static UpstreamConnection open(String host, int port, String target, Duration connectTimeout, Duration readTimeout)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, readTimeout.toMillis())));
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            return new UpstreamConnection(target, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Whether bytes arrived that nobody has read yet. */
    boolean hasUnreadBytes() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    void markIdle(long nanoTime) {
        idleSince = nanoTime;
    }

    long idleSince() {
        return idleSince;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing is left to release.
        }
    }
}

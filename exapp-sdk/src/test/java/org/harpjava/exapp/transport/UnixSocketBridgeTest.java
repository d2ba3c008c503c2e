package org.harpjava.exapp.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bridge relays at most its connection limit at once; the next client waits until a slot frees. */
class UnixSocketBridgeTest {
    /** A TCP echo server on loopback: one virtual thread per connection. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // The client went away.
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    /** Writes one byte and waits up to {@code waitMillis} for its echo; -1 when none came. */
    private static int echo(SocketChannel ch, byte b, long waitMillis) throws IOException {
        ch.write(ByteBuffer.wrap(new byte[] {b}));
        return readOne(ch, waitMillis);
    }

    /** Waits up to {@code waitMillis} for one byte; -1 when none came. Leaves the channel non-blocking. */
    private static int readOne(SocketChannel ch, long waitMillis) throws IOException {
        ch.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            ch.register(selector, SelectionKey.OP_READ);
            if (selector.select(waitMillis) == 0) {
                return -1;
            }
            ByteBuffer in = ByteBuffer.allocate(1);
            return ch.read(in) == 1 ? in.get(0) : -1;
        }
    }

    @Test
    void aClientBeyondTheLimitWaitsForAFreeSlot(@TempDir Path dir) throws Exception {
        try (ServerSocket upstream = echoServer();
             UnixSocketBridge bridge = UnixSocketBridge.start(dir.resolve("exapp.sock"),
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.getLocalPort()), 1)) {
            SocketChannel first = connect(bridge.path());
            assertEquals('a', echo(first, (byte) 'a', 5_000));
            assertEquals(1, bridge.openConnections());

            try (SocketChannel second = connect(bridge.path())) {
                assertEquals(-1, echo(second, (byte) 'b', 500), "relayed although the only slot is taken");
                first.close();
                assertEquals('b', readOne(second, 5_000), "the waiting client is relayed once the slot frees");
            }
        }
    }

    @Test
    void refusesANonPositiveLimit(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnixSocketBridge.start(
                dir.resolve("exapp.sock"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), 0));
        assertEquals("maxConnections must be at least 1, got 0", e.getMessage());
    }
}

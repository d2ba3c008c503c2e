package org.harpjava.exapp.nextcloud;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP server on loopback that plays one scripted action per connection, for failures a well-behaved server
 * cannot produce: a connection closed before any answer, or an answer that stalls half-way.
 */
final class ScriptedServer implements AutoCloseable {
    /** What to do with one connection, once its request head has been read. */
    @FunctionalInterface
    interface Action {
        void play(Socket socket, OutputStream out) throws IOException, InterruptedException;
    }

    static final Action CLOSE = (socket, out) -> socket.close();

    private final ServerSocket server;
    private final BlockingQueue<Action> script = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    ScriptedServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    int connections() {
        return connections.get();
    }

    ScriptedServer then(Action action) {
        script.add(action);
        return this;
    }

    /** An answer with an OCS body whose {@code data} is {@code dataJson}. */
    static Action ocsOk(String dataJson) {
        return respond(200, "{\"ocs\":{\"meta\":{\"status\":\"ok\",\"statuscode\":100,\"message\":\"OK\"},\"data\":"
                + dataJson + "}}");
    }

    static Action respond(int status, String body) {
        return (socket, out) -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            socket.close();
        };
    }

    /** Announces {@code length} bytes, sends {@code sent} of them, then goes silent for {@code millis}. */
    static Action stall(int length, int sent, long millis) {
        return (socket, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[sent]);
            out.flush();
            Thread.sleep(millis);
            socket.close();
        };
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Action action = script.poll();
                Thread.ofVirtual().start(() -> serve(s, action == null ? CLOSE : action));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket socket, Action action) {
        try (socket) {
            InputStream in = socket.getInputStream();
            readHead(in);
            action.play(socket, socket.getOutputStream());
        } catch (IOException | InterruptedException e) {
            // the client went away: nothing to do
        }
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int c;
        while (matched < 4 && (c = in.read()) >= 0) {
            head.write(c);
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1).toLowerCase();
        int i = text.indexOf("content-length:");
        if (i >= 0) {
            int n = Integer.parseInt(text.substring(i + 15, text.indexOf('\r', i)).strip());
            in.readNBytes(n);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}

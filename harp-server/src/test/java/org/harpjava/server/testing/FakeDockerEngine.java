package org.harpjava.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small fake Docker Engine on a given server socket (plain or TLS): it answers {@code /version} with
 * {@code apiVersion}, {@code _ping}, an inspect of {@code nc_app_known} (image {@code imageRef}) and 404 otherwise;
 * or, when silent, reads requests and never answers. Records each request line.
 */
public final class FakeDockerEngine implements AutoCloseable {
    private final ServerSocket server;
    private final String apiVersion;
    private final String imageRef;
    private final boolean answer;
    private final boolean chunkedPing;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /**
     * @param chunkedPing whether {@code _ping} answers with a chunked body (with a chunk extension) instead of a
     *                    fixed-length one
     */
    public FakeDockerEngine(ServerSocket server, String apiVersion, String imageRef, boolean answer, boolean chunkedPing) {
        this.server = server;
        this.apiVersion = apiVersion;
        this.imageRef = imageRef;
        this.answer = answer;
        this.chunkedPing = chunkedPing;
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The request lines received, oldest first. */
    public List<String> requests() {
        return requests;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String line = in.readLine();
            if (line == null) {
                return;
            }
            requests.add(line);
            String header;
            while ((header = in.readLine()) != null && !header.isEmpty()) {
                // headers
            }
            if (!answer) {
                Thread.sleep(30_000);
                return;
            }
            String target = line.split(" ")[1];
            OutputStream out = s.getOutputStream();
            String json = target.equals("/version")
                    ? "{\"ApiVersion\":\"" + apiVersion + "\",\"MinAPIVersion\":\"1.12\"}"
                    : target.equals("/v" + apiVersion + "/containers/nc_app_known/json")
                    ? "{\"Config\":{\"Image\":\"" + imageRef + "\"},\"State\":{}}" : null;
            if (target.endsWith("/_ping")) {
                out.write((chunkedPing
                        ? "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nO\r\n1;x=y\r\nK\r\n0\r\n\r\n"
                        : "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK")
                        .getBytes(StandardCharsets.ISO_8859_1));
            } else if (json != null) {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + json.length()
                        + "\r\n\r\n" + json).getBytes(StandardCharsets.ISO_8859_1));
            } else {
                String body = "{\"message\":\"No such container: x\"}";
                out.write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        } catch (IOException | RuntimeException | InterruptedException e) {
            // A refused TLS handshake or a client that went away.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

package org.harpjava.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real ExApp stand-in on loopback (a Helidon server). Paths, as the ExApp sees them:
 * <ul>
 *     <li>{@code /echo...}: JSON with {@code method}, {@code path} (raw), {@code query} (raw) and {@code headers}
 *     (lower-case name to list of values)</li>
 *     <li>{@code /upload}: reads the body as a stream; JSON {@code bytes} and {@code sha256}</li>
 *     <li>{@code /download?size=N&seed=S[&fixed=true]}: N deterministic bytes, chunked or with Content-Length</li>
 *     <li>{@code /status/CODE}: answers CODE</li>
 *     <li>{@code /slow?ms=N}: waits N ms, then 200</li>
 *     <li>{@code /sse?n=N&gapMs=M}: N server-sent events M ms apart</li>
 *     <li>{@code /empty/CODE}: answers CODE without a body, with an {@code ETag}</li>
 *     <li>paths given to {@link #route(String, Handler)}: that handler</li>
 *     <li>anything else: 200 "ok from PATH"</li>
 * </ul>
 */
public final class TestExApp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger completedUploads = new AtomicInteger();
    private final Set<String> peers = ConcurrentHashMap.newKeySet();
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();

    public TestExApp() {
        this(0);
    }

    /** An ExApp on {@code port} of 127.0.0.1 (0: any free port). */
    public TestExApp(int port) {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .featuresDiscoverServices(false)
                .shutdownHook(false)
                .routing(r -> r.any(this::handle))
                .build()
                .start();
    }

    public int port() {
        return server.port();
    }

    /** Uploads to {@code /upload} whose body was read to its end. */
    public int completedUploads() {
        return completedUploads.get();
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    /** Distinct connections (peer address and port) requests arrived on so far. */
    public int connections() {
        return peers.size();
    }

    /** Answers requests for exactly {@code path} with {@code handler}. */
    public TestExApp route(String path, Handler handler) {
        routes.put(path, handler);
        return this;
    }

    private void handle(ServerRequest req, ServerResponse res) throws Exception {
        requests.incrementAndGet();
        peers.add(req.remotePeer().address().toString());
        String path = req.path().rawPath();
        Handler custom = routes.get(path);
        if (custom != null) {
            custom.handle(req, res);
        } else if (path.startsWith("/echo")) {
            ObjectNode out = JSON.createObjectNode();
            out.put("method", req.prologue().method().text());
            out.put("path", path);
            out.put("query", req.query().rawValue());
            ObjectNode headers = out.putObject("headers");
            for (Header h : req.headers()) {
                var values = headers.putArray(h.name().toLowerCase(Locale.ROOT));
                h.allValues().forEach(values::add);
            }
            if (req.content().hasEntity()) {
                out.put("body", new String(req.content().inputStream().readAllBytes()));
            }
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(out.toString());
        } else if (path.equals("/upload")) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = req.content().inputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    sha.update(buf, 0, n);
                    total += n;
                }
            }
            completedUploads.incrementAndGet();
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"bytes\":" + total + ",\"sha256\":\"" + HexFormat.of().formatHex(sha.digest()) + "\"}");
        } else if (path.equals("/download")) {
            long size = Long.parseLong(req.query().get("size"));
            long seed = Long.parseLong(req.query().first("seed").orElse("1"));
            if (req.query().first("fixed").map(Boolean::parseBoolean).orElse(false)) {
                res.contentLength(size);
            }
            try (OutputStream out = res.outputStream()) {
                writeBytes(out, size, seed);
            }
        } else if (path.startsWith("/status/")) {
            res.status(Status.create(Integer.parseInt(path.substring("/status/".length()))));
            res.send("status " + path.substring("/status/".length()));
        } else if (path.startsWith("/empty/")) {
            res.status(Status.create(Integer.parseInt(path.substring("/empty/".length()))));
            res.header(HeaderNames.ETAG, "\"v1\"");
            res.send();
        } else if (path.equals("/slow")) {
            Thread.sleep(Long.parseLong(req.query().get("ms")));
            res.send("slow done");
        } else if (path.equals("/sse")) {
            int n = Integer.parseInt(req.query().get("n"));
            long gap = Long.parseLong(req.query().get("gapMs"));
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = res.outputStream()) {
                for (int i = 0; i < n; i++) {
                    out.write(("data: event " + i + "\n\n").getBytes());
                    out.flush();
                    Thread.sleep(gap);
                }
            }
        } else {
            res.send("ok from " + path);
        }
    }

    /** Writes {@code size} bytes of the deterministic stream {@code seed}. */
    public static void writeBytes(OutputStream out, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            for (int i = 0; i < n; i += 8) {
                long v = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    buf[i + j] = (byte) (v >>> (j * 8));
                }
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    /** The deterministic stream {@code seed} of {@code size} bytes (as {@link #writeBytes}) to read from. */
    public static InputStream bytes(long size, long seed) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private final byte[] block = new byte[64 * 1024];
            private long left = size;
            private int pos;
            private int end;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == end) {
                    if (left == 0) {
                        return -1;
                    }
                    end = (int) Math.min(block.length, left);
                    for (int i = 0; i < end; i += 8) {
                        long v = random.nextLong();
                        for (int j = 0; j < 8 && i + j < end; j++) {
                            block[i + j] = (byte) (v >>> (j * 8));
                        }
                    }
                    left -= end;
                    pos = 0;
                }
                int n = Math.min(len, end - pos);
                System.arraycopy(block, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** SHA-256 (hex) of the deterministic stream {@code seed} of {@code size} bytes. */
    public static String sha256(long size, long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            writeBytes(new OutputStream() {
                @Override
                public void write(int b) {
                    sha.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    sha.update(b, off, len);
                }
            }, size, seed);
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}

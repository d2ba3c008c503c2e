package org.harpjava.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Nextcloud stand-in on loopback that speaks AppAPI's two HaRP endpoints as documented:
 * {@code GET /index.php/apps/app_api/harp/exapp-meta?appId=} (needs {@code harp-shared-key}; 401 for an unknown
 * app or a wrong key) and {@code GET /index.php/apps/app_api/harp/user-info?appId=} (the caller from the
 * {@code oc_sessionPassphrase} cookie or HTTP Basic; anonymous is {@code ""}/0). It records what it received.
 */
public final class FakeNextcloud implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String sharedKey;
    private final HttpServer server;
    private final Map<String, String> apps = new ConcurrentHashMap<>();
    private final Map<String, User> sessions = new ConcurrentHashMap<>();
    private final Map<String, User> passwords = new ConcurrentHashMap<>();
    private final List<Map<String, List<String>>> userInfoHeaders = new CopyOnWriteArrayList<>();
    private final List<Map<String, List<String>>> metaHeaders = new CopyOnWriteArrayList<>();
    private volatile String userInfoBody;
    private final AtomicInteger metaCalls = new AtomicInteger();
    private final AtomicInteger userInfoCalls = new AtomicInteger();
    private volatile int forcedStatus;
    private volatile long delayMillis;

    /** A Nextcloud user: id and access level (0 disabled, 1 user, 2 admin). */
    public record User(String id, int level) {
    }

    public FakeNextcloud(String sharedKey) throws IOException {
        this.sharedKey = sharedKey;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/index.php/apps/app_api/harp/exapp-meta", this::exappMeta);
        server.createContext("/index.php/apps/app_api/harp/user-info", this::userInfo);
        server.start();
    }

    /** Base URL, as NC_INSTANCE_URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Declares an ExApp; {@code metadataJson} is the exact body of {@code exapp-meta}. */
    public FakeNextcloud app(String appId, String metadataJson) {
        apps.put(appId, metadataJson);
        return this;
    }

    /** Declares an ExApp at {@code port} with routes given as JSON array text. */
    public FakeNextcloud app(String appId, String secret, int port, String routesJson) {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("exapp_token", secret);
        meta.put("exapp_version", "1.2.3");
        meta.put("host", "127.0.0.1");
        meta.put("port", port);
        try {
            meta.set("routes", JSON.readTree(routesJson));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return app(appId, meta.toString());
    }

    public void removeApp(String appId) {
        apps.remove(appId);
    }

    /** A browser session: cookie {@code oc_sessionPassphrase=passphrase}. */
    public FakeNextcloud session(String passphrase, String userId, int level) {
        sessions.put(passphrase, new User(userId, level));
        return this;
    }

    /** A user with an app password for HTTP Basic. */
    public FakeNextcloud password(String userId, String password, int level) {
        passwords.put(userId + ":" + password, new User(userId, level));
        return this;
    }

    /** Answers every call with this status (0 restores normal answers). */
    public void forceStatus(int status) {
        this.forcedStatus = status;
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    public int metaCalls() {
        return metaCalls.get();
    }

    public int userInfoCalls() {
        return userInfoCalls.get();
    }

    /** Headers of every user-info call received, in order. */
    public List<Map<String, List<String>>> userInfoHeaders() {
        return userInfoHeaders;
    }

    /** Headers of every exapp-meta call received, in order. */
    public List<Map<String, List<String>>> metaHeaders() {
        return metaHeaders;
    }

    /** Answers user-info with exactly this 200 body (null restores normal answers). */
    public void userInfoBody(String body) {
        this.userInfoBody = body;
    }

    private void exappMeta(HttpExchange ex) throws IOException {
        metaCalls.incrementAndGet();
        metaHeaders.add(Map.copyOf(ex.getRequestHeaders()));
        if (interfere(ex)) {
            return;
        }
        String appId = query(ex.getRequestURI()).get("appId");
        String meta = appId == null ? null : apps.get(appId);
        if (!sharedKey.equals(ex.getRequestHeaders().getFirst("harp-shared-key")) || meta == null) {
            send(ex, 401, "{\"message\":\"Harp shared key is not valid\"}");
            return;
        }
        send(ex, 200, meta);
    }

    private void userInfo(HttpExchange ex) throws IOException {
        userInfoCalls.incrementAndGet();
        userInfoHeaders.add(Map.copyOf(ex.getRequestHeaders()));
        if (interfere(ex)) {
            return;
        }
        if (userInfoBody != null) {
            send(ex, 200, userInfoBody);
            return;
        }
        User user = null;
        String cookies = ex.getRequestHeaders().getFirst("Cookie");
        if (cookies != null) {
            for (String c : cookies.split(";")) {
                String[] kv = c.strip().split("=", 2);
                if (kv.length == 2 && kv[0].equals("oc_sessionPassphrase")) {
                    user = sessions.get(kv[1]);
                }
            }
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (user == null && auth != null && auth.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            user = passwords.get(decoded);
            if (user == null) {
                send(ex, 401, "{\"message\":\"Unauthorized\"}");
                return;
            }
        }
        String body = user == null ? "{\"user_id\":\"\",\"access_level\":0}"
                : "{\"user_id\":\"" + user.id() + "\",\"access_level\":" + user.level() + "}";
        send(ex, 200, body);
    }

    private boolean interfere(HttpExchange ex) throws IOException {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (forcedStatus != 0) {
            send(ex, forcedStatus, "{\"message\":\"forced\"}");
            return true;
        }
        return false;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new ConcurrentHashMap<>();
        String q = uri.getRawQuery();
        if (q != null) {
            for (String p : q.split("&")) {
                String[] kv = p.split("=", 2);
                out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

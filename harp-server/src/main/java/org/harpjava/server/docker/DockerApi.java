package org.harpjava.server.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.server.io.DetachedWrites;
import org.harpjava.server.proxy.Replies;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AppAPI's Docker calls, with a {@code docker-engine-port} header naming the engine: the Engine API pass-through of
 * HaRP's allow-list (everything else is 403), and the high-level {@code /docker/exapp/*} operations.
 */
public final class DockerApi {
    /** The header naming the engine. */
    public static final HeaderName ENGINE_PORT = HeaderNames.create("docker-engine-port");
    /** How long {@code info} waits for each engine's {@code _ping}. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(DockerApi.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSIONED = Pattern.compile("/v(\\d{1,3}\\.\\d{1,3})(/.*)");
    private static final Pattern IMAGE_JSON = Pattern.compile("/images/(.+)/json");
    private static final Pattern CONTAINER_GET = Pattern.compile("/containers/([^/]+)/(json|logs)");
    /** Response headers of the engine that reach the caller. */
    private static final List<String> PASSED_HEADERS = List.of("content-type", "content-length", "api-version",
            "docker-experimental", "ostype", "server", "builder-version", "cache-control", "pragma");
    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of("Content-Type", "X-Registry-Auth",
            "X-Registry-Config");

    private final DockerEngines engines;
    private final Duration streamIdle;
    private final ExAppOperations operations;

    /**
     * @param engines    the engines
     * @param streamIdle longest silence of a passed-through engine answer (an image pull, followed logs)
     */
    public DockerApi(DockerEngines engines, Duration streamIdle) {
        this.engines = engines;
        this.streamIdle = streamIdle;
        this.operations = new ExAppOperations();
    }

    /** Whether {@code path} (below {@code /exapps/app_api}) is a high-level Docker operation. */
    public static boolean isOperation(String path) {
        return path.startsWith("/docker/");
    }

    /** Handles {@code /docker/...} or an Engine API call; {@code path} is below {@code /exapps/app_api}. */
    public void handle(ServerRequest req, ServerResponse res, String path) {
        Optional<String> portHeader = req.headers().first(ENGINE_PORT);
        if (portHeader.isEmpty()) {
            Replies.text(res, 400, "Bad Request: the docker-engine-port header is required");
            return;
        }
        OptionalInt port = parsePort(portHeader.get());
        if (port.isEmpty()) {
            Replies.text(res, 400, "Bad Request: docker-engine-port must be a port number from 1 to 65535");
            return;
        }
        Optional<EngineClient> engine = engines.find(port.getAsInt());
        if (engine.isEmpty()) {
            Replies.text(res, 503, "Could not connect to Docker Engine on port " + port.getAsInt()
                    + " (no engine is configured for it)");
            return;
        }
        try {
            if (isOperation(path)) {
                operations.handle(req, res, path, engine.get());
            } else {
                passThrough(req, res, path, engine.get());
            }
        } catch (EngineException e) {
            LOG.log(e.kind() == EngineException.Kind.UNREACHABLE ? System.Logger.Level.WARNING
                    : System.Logger.Level.ERROR, e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            if (!res.isSent()) {
                Replies.text(res, e.status(), e.getMessage());
            }
        }
    }

    private static OptionalInt parsePort(String v) {
        try {
            int p = Integer.parseInt(v.strip());
            return p >= 1 && p <= 65535 ? OptionalInt.of(p) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The engine path of an allowed call, or empty when HaRP's allow-list refuses it. */
    static Optional<String> allowed(String method, String path) {
        Matcher v = VERSIONED.matcher(path);
        String version = null;
        String rest = path;
        if (v.matches()) {
            version = v.group(1);
            rest = v.group(2);
        }
        String target = null;
        if (method.equals("GET") && rest.equals("/_ping")) {
            target = rest;
        } else if (method.equals("POST") && rest.equals("/images/create")) {
            target = rest;
        } else if (method.equals("GET") && IMAGE_JSON.matcher(rest).matches()) {
            Matcher m = IMAGE_JSON.matcher(rest);
            m.matches();
            Optional<String> image = Names.percentDecode(m.group(1)).filter(Names::image);
            target = image.map(i -> "/images/" + i + "/json").orElse(null);
        } else if (method.equals("GET") && CONTAINER_GET.matcher(rest).matches()) {
            Matcher m = CONTAINER_GET.matcher(rest);
            m.matches();
            Optional<String> name = Names.percentDecode(m.group(1)).filter(Names::container);
            target = name.map(n -> "/containers/" + n + "/" + m.group(2)).orElse(null);
        }
        if (target == null) {
            return Optional.empty();
        }
        return Optional.of(version == null ? target : "/v" + version + target);
    }

    private void passThrough(ServerRequest req, ServerResponse res, String path, EngineClient engine)
            throws EngineException {
        String method = req.prologue().method().text();
        Optional<String> allowed = allowed(method, path);
        String query = req.query().rawValue();
        if (allowed.isEmpty() || query.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            LOG.log(System.Logger.Level.WARNING, "Refused Docker Engine call " + method + " " + path
                    + " (not in the allow-list)");
            Replies.text(res, 403, "403 Forbidden");
            return;
        }
        String target = allowed.get();
        Matcher v = VERSIONED.matcher(target);
        if (v.matches()) {
            target = "/v" + engine.negotiate(v.group(1)) + v.group(2);
        }
        if (!query.isEmpty()) {
            target += "?" + query;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String name : FORWARDED_REQUEST_HEADERS) {
            req.headers().first(HeaderNames.create(name)).ifPresent(value -> headers.add(Map.entry(name, value)));
        }
        InputStream body = null;
        if (req.content().hasEntity()) {
            body = req.content().inputStream();
        }
        try (EngineResponse answer = engine.send(new EngineClient.Request(method, target, headers, null, body),
                streamIdle, true)) {
            res.status(Status.create(answer.status()));
            for (String name : PASSED_HEADERS) {
                List<String> values = answer.headers().get(name);
                if (values != null) {
                    res.header(HeaderNames.create(name), values.toArray(String[]::new));
                }
            }
            byte[] buf = new byte[16 * 1024];
            try (OutputStream out = new DetachedWrites(res.outputStream()); InputStream in = answer.body()) {
                int n;
                while ((n = in.read(buf)) != -1) {
                    out.write(buf, 0, n);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Docker Engine call " + method + " " + target
                        + " ended early: " + e.getMessage());
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Each engine's state for {@code info} and health: port, address, whether {@code _ping} answers, and its API
     * version when known. Engines are asked in parallel, each for at most {@link #PING_TIMEOUT}.
     */
    public ArrayNode engineStates() {
        ArrayNode list = JSON.createArrayNode();
        try (ExecutorService pings = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (EngineClient engine : engines.all()) {
                results.add(pings.submit(() -> ping(engine)));
            }
            int i = 0;
            for (EngineClient engine : engines.all()) {
                boolean up;
                try {
                    up = results.get(i++).get();
                } catch (Exception e) {
                    up = false;
                }
                ObjectNode node = list.addObject();
                node.put("port", engine.port());
                node.put("address", engine.address().toString());
                node.put("reachable", up);
            }
        }
        return list;
    }

    private static boolean ping(EngineClient engine) {
        try (EngineResponse res = engine.send(EngineClient.Request.of("GET", "/_ping"), PING_TIMEOUT, false)) {
            res.drain();
            return res.status() == 200;
        } catch (EngineException e) {
            return false;
        }
    }
}

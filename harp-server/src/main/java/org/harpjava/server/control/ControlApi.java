package org.harpjava.server.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.docker.DockerApi;
import org.harpjava.server.nextcloud.ExAppMetaJson;
import org.harpjava.server.nextcloud.InvalidMetadataException;
import org.harpjava.server.nextcloud.NextcloudClient;
import org.harpjava.server.proxy.Replies;
import org.harpjava.server.registry.ExAppRegistry;
import org.harpjava.server.security.Caller;
import org.harpjava.server.security.FailureRecorder;
import org.harpjava.server.security.SharedKey;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AppAPI's control calls, under {@code /exapps/app_api/}: {@code GET info}, {@code GET heartbeat},
 * {@code POST} and {@code DELETE exapp_storage/<appid>}, and the Docker calls ({@link DockerApi}). Every call needs the {@code harp-shared-key} header;
 * a wrong or missing key is a brute-force failure.
 */
public final class ControlApi {
    /** The app id under which the control API is reached. */
    public static final String APP_ID = "app_api";
    /** The HaRP protocol version this server implements, reported by {@code GET info}. */
    public static final String PROTOCOL_VERSION = "0.4.4";
    /** Largest metadata document accepted. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final System.Logger LOG = System.getLogger(ControlApi.class.getName());
    private static final Pattern STORAGE = Pattern.compile("/exapp_storage/([A-Za-z0-9_.-]{1,128})/?");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads exactly one JSON value: an empty body or anything after the value is an error. */
    private static final ObjectReader BODY = JSON.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final SharedKey key;
    private final ExAppRegistry registry;
    private final FailureRecorder failures;
    private final String implementationVersion;
    private final DockerApi docker;

    public ControlApi(SharedKey key, ExAppRegistry registry, FailureRecorder failures, String implementationVersion,
                      DockerApi docker) {
        this.docker = docker;
        this.key = key;
        this.registry = registry;
        this.failures = failures;
        this.implementationVersion = implementationVersion;
    }

    /** Handles {@code /exapps/app_api<path>}. */
    public void handle(ServerRequest req, ServerResponse res, String path, Caller caller) {
        if (!key.matches(req.headers().first(NextcloudClient.SHARED_KEY).orElse(null))) {
            LOG.log(System.Logger.Level.WARNING, "Control API call from " + caller.ip()
                    + " with a missing or wrong harp-shared-key");
            failures.record(caller);
            Replies.text(res, 401, "Unauthorized: missing or invalid harp-shared-key");
            return;
        }
        String method = req.prologue().method().text();
        Matcher storage = STORAGE.matcher(path);
        switch (path) {
            case "/info", "/info/" -> {
                if (requireMethod(res, method, "GET")) {
                    info(res);
                }
            }
            case "/heartbeat", "/heartbeat/" -> {
                if (requireMethod(res, method, "GET")) {
                    Replies.json(res, 200, "{\"status\":\"ok\"}");
                }
            }
            default -> {
                if (!storage.matches()) {
                    if (path.startsWith("/k8s/")) {
                        Replies.text(res, 501, "Not Implemented: this harp-server does not manage Kubernetes ExApps");
                    } else if (req.headers().contains(DockerApi.ENGINE_PORT) || DockerApi.isOperation(path)) {
                        docker.handle(req, res, path);
                    } else {
                        Replies.text(res, 404, "Not Found: no control endpoint " + path);
                    }
                } else if (method.equals("POST")) {
                    store(req, res, storage.group(1));
                } else if (method.equals("DELETE")) {
                    remove(res, storage.group(1));
                } else {
                    res.header(HeaderNames.ALLOW, "POST, DELETE");
                    Replies.text(res, 405, "Method Not Allowed");
                }
            }
        }
    }

    private static boolean requireMethod(ServerResponse res, String method, String allowed) {
        if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) {
            return true;
        }
        res.header(HeaderNames.ALLOW, allowed);
        Replies.text(res, 405, "Method Not Allowed");
        return false;
    }

    private void info(ServerResponse res) {
        ObjectNode info = JSON.createObjectNode();
        info.put("version", PROTOCOL_VERSION);
        info.put("implementation", "harp-java");
        info.put("implementation_version", implementationVersion);
        var engines = docker.engineStates();
        boolean reachable = false;
        for (var engine : engines) {
            reachable |= engine.path("reachable").asBoolean();
        }
        info.put("docker", reachable);
        info.set("docker_engines", engines);
        info.putObject("kubernetes").put("enabled", false);
        Replies.json(res, 200, info.toString());
    }

    private void store(ServerRequest req, ServerResponse res, String appId) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > MAX_BODY_BYTES) {
            Replies.text(res, 413, "Payload Too Large: metadata is limited to " + MAX_BODY_BYTES + " bytes");
            return;
        }
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            Replies.text(res, 400, "Bad Request: cannot read the request body");
            return;
        }
        if (body.length > MAX_BODY_BYTES) {
            Replies.text(res, 413, "Payload Too Large: metadata is limited to " + MAX_BODY_BYTES + " bytes");
            return;
        }
        JsonNode json;
        try {
            json = BODY.readValue(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || json.isMissingNode()) {
            Replies.text(res, 400, "Invalid JSON body");
            return;
        }
        ExAppMeta meta;
        try {
            meta = ExAppMetaJson.parse(appId, json);
        } catch (InvalidMetadataException e) {
            LOG.log(System.Logger.Level.WARNING, "Rejected metadata for ExApp " + appId + ": " + e.getMessage());
            Replies.text(res, 400, "Payload validation error: " + e.getMessage());
            return;
        }
        registry.store(meta);
        LOG.log(System.Logger.Level.INFO, "Stored metadata of ExApp " + meta);
        res.status(204).send();
    }

    private void remove(ServerResponse res, String appId) {
        boolean wasCached = registry.disable(appId.toLowerCase(Locale.ROOT));
        LOG.log(System.Logger.Level.INFO, "ExApp " + appId + " disabled by AppAPI; it is not served until enabled again");
        if (wasCached) {
            res.status(204).send();
        } else {
            Replies.text(res, 404, "Not Found: ExApp " + appId + " was not cached (it is disabled now)");
        }
    }
}

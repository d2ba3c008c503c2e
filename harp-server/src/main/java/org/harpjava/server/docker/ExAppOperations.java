package org.harpjava.server.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.server.proxy.Replies;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * HaRP's high-level ExApp operations under {@code /docker/exapp/}, with its request and response shapes, status
 * codes and time limits. Container {@code nc_app_[<instance>_]<name>}, volume {@code <container>_data} mounted at
 * {@code /nc_app_<name>_data}.
 */
final class ExAppOperations {
    /** Largest request body accepted (a certificate bundle fits easily). */
    static final int MAX_BODY_BYTES = 4 << 20;
    static final Duration EXISTS_TIMEOUT = Duration.ofSeconds(15);
    static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);
    static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration WAIT_TIMEOUT = Duration.ofSeconds(105);
    static final Duration CERTIFICATES_TIMEOUT = Duration.ofSeconds(120);
    /** Polls of {@code wait_for_start} and the pause between them. */
    static final int WAIT_POLLS = 180;
    static final Duration WAIT_PAUSE = Duration.ofMillis(500);
    /** The API version the operations are written against; older engines get their own highest. */
    static final String API_VERSION = "1.44";

    private static final System.Logger LOG = System.getLogger(ExAppOperations.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESTART_POLICIES = Set.of("no", "always", "unless-stopped", "on-failure");
    private static final Set<String> COMPUTE_DEVICES = Set.of("cpu", "cuda", "rocm");
    private static final Set<String> PLAIN_NETWORKS = Set.of("host", "bridge", "none", "default");

    void handle(ServerRequest req, ServerResponse res, String path, EngineClient engine) throws EngineException {
        String op = path.startsWith("/docker/exapp/") ? path.substring("/docker/exapp/".length()) : "";
        if (op.endsWith("/")) {
            op = op.substring(0, op.length() - 1);
        }
        if (!Set.of("exists", "create", "start", "stop", "wait_for_start", "remove", "image_remove",
                "install_certificates").contains(op)) {
            Replies.text(res, 404, "Not Found: no Docker operation " + path);
            return;
        }
        if (!req.prologue().method().text().equals("POST")) {
            res.header(HeaderNames.ALLOW, "POST");
            Replies.text(res, 405, "Method Not Allowed");
            return;
        }
        Payload payload;
        try {
            payload = Payload.parse(body(req));
        } catch (Payload.Invalid e) {
            Replies.text(res, 400, e.getMessage());
            return;
        } catch (TooLarge e) {
            Replies.text(res, 413, "Payload Too Large: the body is limited to " + MAX_BODY_BYTES + " bytes");
            return;
        }
        try {
            switch (op) {
                case "exists" -> exists(res, engine, payload);
                case "create" -> create(res, engine, payload);
                case "start" -> startOrStop(res, engine, payload, "start");
                case "stop" -> startOrStop(res, engine, payload, "stop");
                case "wait_for_start" -> waitForStart(res, engine, payload);
                case "remove" -> remove(res, engine, payload);
                case "image_remove" -> imageRemove(res, engine, payload);
                default -> Certificates.install(res, engine, payload, new Deadline(CERTIFICATES_TIMEOUT),
                        prefix(engine));
            }
        } catch (Payload.Invalid e) {
            Replies.text(res, 400, e.getMessage());
        }
    }

    private static final class TooLarge extends Exception {
    }

    private static byte[] body(ServerRequest req) throws TooLarge {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > MAX_BODY_BYTES) {
            throw new TooLarge();
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (b.length > MAX_BODY_BYTES) {
                throw new TooLarge();
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A time budget shared by the engine calls of one operation. */
    static final class Deadline {
        private final long end;
        private final Duration limit;

        Deadline(Duration limit) {
            this.limit = limit;
            this.end = System.nanoTime() + limit.toNanos();
        }

        Duration left(EngineClient engine) throws EngineException {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new EngineException(EngineException.Kind.TIMEOUT, "Timed out after " + limit.toSeconds()
                        + "s waiting for Docker Engine on port " + engine.port(), null);
            }
            return Duration.ofNanos(left);
        }
    }

    static String prefix(EngineClient engine) throws EngineException {
        return "/v" + engine.negotiate(API_VERSION);
    }

    /** {@code nc_app_[<instance>_]<name>} from the payload's {@code name} and {@code instance_id}. */
    private static String container(Payload p) throws Payload.Invalid {
        String name = p.string("name", Names::appName,
                "must be 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or digit");
        String instance = p.string("instance_id", "", Names::instanceId,
                "must be up to 64 letters, digits, '_', '.' or '-'");
        return Names.containerOf(name, instance);
    }

    static EngineClient.Answer call(EngineClient engine, Deadline deadline, EngineClient.Request request)
            throws EngineException {
        return engine.call(request, deadline.left(engine));
    }

    private static JsonNode parse(EngineClient engine, String body) throws EngineException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.BROKEN, "Docker Engine on port " + engine.port()
                    + " answered with invalid JSON", e);
        }
    }

    /** Reports an engine answer no operation expects, with the engine's status and message. */
    static void unexpected(ServerResponse res, EngineClient engine, EngineClient.Answer a, String what) {
        int status = a.status() >= 400 && a.status() <= 599 ? a.status() : 502;
        LOG.log(System.Logger.Level.WARNING, what + ": Docker Engine on port " + engine.port() + " answered "
                + a.status() + " " + a.message());
        Replies.text(res, status, what + ": " + a.message());
    }

    private void exists(ServerResponse res, EngineClient engine, Payload p) throws Payload.Invalid, EngineException {
        String container = container(p);
        Deadline deadline = new Deadline(EXISTS_TIMEOUT);
        EngineClient.Answer a = call(engine, deadline,
                EngineClient.Request.of("GET", prefix(engine) + "/containers/" + container + "/json"));
        ObjectNode out = JSON.createObjectNode();
        if (a.status() == 404) {
            out.put("exists", false);
        } else if (a.status() == 200) {
            out.put("exists", true);
            out.put("image_ref", parse(engine, a.body()).path("Config").path("Image").asText(""));
        } else {
            unexpected(res, engine, a, "Could not inspect container " + container);
            return;
        }
        Replies.json(res, 200, out.toString());
    }

    private void create(ServerResponse res, EngineClient engine, Payload p) throws Payload.Invalid, EngineException {
        String name = p.string("name", Names::appName,
                "must be 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or digit");
        String container = container(p);
        java.util.Optional<String> imageId = p.optionalString("image_id", Names::image,
                "must be an image name, tag, digest or id");
        String image = imageId.isPresent() ? imageId.get() : p.optionalString("image", Names::image,
                "must be an image name, tag, digest or id").orElseThrow(() -> Payload.invalid("image_id", "field required"));
        String network = p.string("network_mode", "bridge",
                s -> s.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}"), "must be a network name or mode");
        List<String> env = p.strings("environment_variables", s -> s.indexOf('=') > 0 && s.indexOf('\0') < 0,
                "must be KEY=VALUE");
        String restart = p.string("restart_policy", "unless-stopped", RESTART_POLICIES::contains,
                "must be one of no, always, unless-stopped, on-failure");
        String device = p.string("compute_device", "cpu", s -> COMPUTE_DEVICES.contains(s.toLowerCase()),
                "must be cpu, cuda or rocm").toLowerCase();

        ObjectNode body = JSON.createObjectNode();
        body.put("Image", image);
        body.put("Hostname", name);
        ArrayNode envNode = body.putArray("Env");
        env.forEach(envNode::add);
        ObjectNode host = body.putObject("HostConfig");
        host.put("NetworkMode", network);
        host.putObject("RestartPolicy").put("Name", restart);
        ArrayNode mounts = host.putArray("Mounts");
        String volume = container + "_data";
        mounts.addObject().put("Type", "volume").put("Source", volume).put("Target", "/nc_app_" + name + "_data")
                .put("ReadOnly", false);
        JsonNode points = p.node("mount_points");
        if (!points.isMissingNode() && !points.isNull()) {
            if (!points.isArray()) {
                throw Payload.invalid("mount_points", "must be a list of {source, target, mode}");
            }
            for (int i = 0; i < points.size(); i++) {
                JsonNode m = points.get(i);
                String field = "mount_points[" + i + "]";
                String source = m.path("source").asText("");
                String target = m.path("target").asText("");
                String mode = m.path("mode").isMissingNode() || m.path("mode").isNull() ? "rw" : m.path("mode").asText("");
                if (!m.isObject() || !m.path("source").isTextual() || source.isEmpty() || source.indexOf('\0') >= 0) {
                    throw Payload.invalid(field + ".source", "must be a path or volume name");
                }
                if (!m.path("target").isTextual() || !target.startsWith("/") || target.indexOf('\0') >= 0) {
                    throw Payload.invalid(field + ".target", "must be an absolute path");
                }
                if (!mode.equals("rw") && !mode.equals("ro")) {
                    throw Payload.invalid(field + ".mode", "must be rw or ro");
                }
                mounts.addObject().put("Type", source.startsWith("/") ? "bind" : "volume").put("Source", source)
                        .put("Target", target).put("ReadOnly", mode.equals("ro"));
            }
        }
        JsonNode limits = p.node("resource_limits");
        if (!limits.isMissingNode() && !limits.isNull()) {
            if (!limits.isObject()) {
                throw Payload.invalid("resource_limits", "must be an object with memory and nanoCPUs");
            }
            long memory = Payload.wholeNumber(limits, "resource_limits", "memory");
            long cpus = Payload.wholeNumber(limits, "resource_limits", "nanoCPUs");
            if (memory > 0) {
                host.put("Memory", memory);
            }
            if (cpus > 0) {
                host.put("NanoCpus", cpus);
            }
        }
        if (device.equals("cuda")) {
            ObjectNode request = host.putArray("DeviceRequests").addObject();
            request.put("Driver", "nvidia");
            request.put("Count", -1);
            request.putArray("Capabilities").addArray().add("compute").add("utility");
        } else if (device.equals("rocm")) {
            ArrayNode devices = host.putArray("Devices");
            for (String d : List.of("/dev/kfd", "/dev/dri")) {
                devices.addObject().put("PathOnHost", d).put("PathInContainer", d).put("CgroupPermissions", "rwm");
            }
        }
        if (!PLAIN_NETWORKS.contains(network) && !network.startsWith("container:")) {
            body.putObject("NetworkingConfig").putObject("EndpointsConfig").putObject(network)
                    .putArray("Aliases").add(name);
        }

        Deadline deadline = new Deadline(CREATE_TIMEOUT);
        String prefix = prefix(engine);
        ObjectNode volumeBody = JSON.createObjectNode().put("Name", volume);
        EngineClient.Answer v = call(engine, deadline, EngineClient.Request.json("POST", prefix + "/volumes/create", volumeBody));
        if (v.status() != 201 && v.status() != 200) {
            unexpected(res, engine, v, "Could not create volume " + volume);
            return;
        }
        EngineClient.Answer a = call(engine, deadline,
                EngineClient.Request.json("POST", prefix + "/containers/create?name=" + container, body));
        if (a.status() == 409) {
            Replies.text(res, 409, "Container " + container + " already exists");
            return;
        }
        if (a.status() != 201) {
            unexpected(res, engine, a, "Could not create container " + container);
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Created container " + container + " from " + image + " on Docker Engine "
                + engine.port());
        ObjectNode out = JSON.createObjectNode();
        out.put("id", parse(engine, a.body()).path("Id").asText(""));
        out.put("name", container);
        Replies.json(res, 201, out.toString());
    }

    private void startOrStop(ServerResponse res, EngineClient engine, Payload p, String action)
            throws Payload.Invalid, EngineException {
        String container = container(p);
        Deadline deadline = new Deadline(CHANGE_TIMEOUT);
        EngineClient.Answer a = call(engine, deadline,
                EngineClient.Request.of("POST", prefix(engine) + "/containers/" + container + "/" + action));
        switch (a.status()) {
            case 204 -> {
                LOG.log(System.Logger.Level.INFO, (action.equals("start") ? "Started" : "Stopped") + " container "
                        + container + " on Docker Engine " + engine.port());
                res.status(204).send();
            }
            case 304 -> Replies.text(res, 200, "Container already " + (action.equals("start") ? "started" : "stopped"));
            case 404 -> Replies.text(res, 404, "Container " + container + " not found");
            default -> unexpected(res, engine, a, "Could not " + action + " container " + container);
        }
    }

    private void waitForStart(ServerResponse res, EngineClient engine, Payload p)
            throws Payload.Invalid, EngineException {
        String container = container(p);
        Deadline deadline = new Deadline(WAIT_TIMEOUT);
        String prefix = prefix(engine);
        String status = "unknown";
        String health = null;
        for (int i = 0; i < WAIT_POLLS; i++) {
            if (i > 0) {
                try {
                    Thread.sleep(Math.min(WAIT_PAUSE.toMillis(), deadline.left(engine).toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EngineException(EngineException.Kind.TIMEOUT, "Interrupted while waiting", e);
                }
            }
            EngineClient.Answer a = call(engine, deadline,
                    EngineClient.Request.of("GET", prefix + "/containers/" + container + "/json"));
            if (a.status() == 404) {
                ObjectNode out = JSON.createObjectNode().put("started", false).put("status", "not_found");
                out.putNull("health");
                Replies.json(res, 404, out.toString());
                return;
            }
            if (a.status() != 200) {
                unexpected(res, engine, a, "Could not inspect container " + container);
                return;
            }
            JsonNode state = parse(engine, a.body()).path("State");
            status = state.path("Status").asText("unknown");
            JsonNode h = state.path("Health").path("Status");
            health = h.isTextual() ? h.asText() : null;
            ObjectNode out = JSON.createObjectNode();
            if (status.equals("running") && (health == null || health.equals("healthy") || health.equals("none"))) {
                out.put("started", true);
            } else if (status.equals("running") && health.equals("unhealthy")) {
                out.put("started", true).put("reason", "unhealthy");
            } else if (Set.of("exited", "dead", "paused").contains(status)) {
                out.put("started", false);
            } else {
                continue;
            }
            out.put("status", status);
            out.put("health", health);
            Replies.json(res, 200, out.toString());
            return;
        }
        ObjectNode out = JSON.createObjectNode().put("started", false).put("status", status);
        out.put("health", health);
        out.put("reason", "timeout");
        Replies.json(res, 200, out.toString());
    }

    private void remove(ServerResponse res, EngineClient engine, Payload p) throws Payload.Invalid, EngineException {
        String container = container(p);
        boolean removeData = p.bool("remove_data", false);
        Deadline deadline = new Deadline(CHANGE_TIMEOUT);
        String prefix = prefix(engine);
        EngineClient.Answer a = call(engine, deadline,
                EngineClient.Request.of("DELETE", prefix + "/containers/" + container + "?force=true"));
        if (a.status() != 204 && a.status() != 404 && a.status() != 409) {
            unexpected(res, engine, a, "Could not remove container " + container);
            return;
        }
        if (removeData) {
            String volume = container + "_data";
            EngineClient.Answer v = call(engine, deadline,
                    EngineClient.Request.of("DELETE", prefix + "/volumes/" + volume));
            if (v.status() == 409) {
                Replies.text(res, 409, "Volume " + volume + " is in use");
                return;
            }
            if (v.status() != 204 && v.status() != 404) {
                unexpected(res, engine, v, "Could not remove volume " + volume);
                return;
            }
        }
        LOG.log(System.Logger.Level.INFO, "Removed container " + container + (removeData ? " and its volume" : "")
                + " on Docker Engine " + engine.port());
        res.status(204).send();
    }

    private void imageRemove(ServerResponse res, EngineClient engine, Payload p)
            throws Payload.Invalid, EngineException {
        String image = p.string("image_ref", Names::image, "must be an image name, tag, digest or id");
        Deadline deadline = new Deadline(CHANGE_TIMEOUT);
        String prefix = prefix(engine);
        ObjectNode out = JSON.createObjectNode();
        EngineClient.Answer inspect = call(engine, deadline,
                EngineClient.Request.of("GET", prefix + "/images/" + image + "/json"));
        if (inspect.status() == 404) {
            out.put("deleted", true).put("bytes_freed", 0).put("reason", "not_found");
            Replies.json(res, 200, out.toString());
            return;
        }
        if (inspect.status() != 200) {
            unexpected(res, engine, inspect, "Could not inspect image " + image);
            return;
        }
        long size = parse(engine, inspect.body()).path("Size").asLong(0);
        EngineClient.Answer a = call(engine, deadline, EngineClient.Request.of("DELETE", prefix + "/images/" + image));
        switch (a.status()) {
            case 200 -> out.put("deleted", true).put("bytes_freed", size);
            case 404 -> out.put("deleted", true).put("bytes_freed", 0).put("reason", "not_found");
            case 409 -> out.put("deleted", false).put("reason", "in_use");
            default -> {
                unexpected(res, engine, a, "Could not remove image " + image);
                return;
            }
        }
        Replies.json(res, 200, out.toString());
    }
}

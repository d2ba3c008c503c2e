package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.testkit.Ocs.Reply;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A fake Nextcloud for ExApp tests: a real HTTP server on {@code 127.0.0.1} (random port) that answers the calls an
 * ExApp makes (AppAPI's OCS API, capabilities, TaskProcessing, Talk bots, webhook_listeners and WebDAV files) at
 * their real paths with OCS envelopes shaped as Nextcloud's, and records every request for assertions.
 *
 * <p>AppAPI credentials are checked as AppAPI does: {@code EX-APP-ID} must be the configured app id,
 * {@code EX-APP-VERSION} non-empty, and {@code AUTHORIZATION-APP-API} must decode to {@code <user>:<secret>} with the
 * configured secret (compared in constant time); otherwise the answer is HTTP 401 with OCS status 997. A disabled
 * app gets the same, except on {@code ex-app/state} and {@code ex-app/status}. Talk's bot API checks the bot
 * signature instead. Every answer sets a session cookie, as Nextcloud does, so tests can check a client does not
 * send it back. Request lines are not validated beyond HTTP/1.1 framing: Helidon's own check refuses characters
 * such as a raw {@code :} in the query, which Nextcloud's web servers accept.
 */
public final class FakeNextcloud implements AutoCloseable {
    /** A line the ExApp wrote to Nextcloud's log. */
    public record LogEntry(int level, String message) {
    }

    private final String appId;
    private final String appSecret;
    private final FakeState state = new FakeState();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final AppApiEndpoints appApi;
    private final TaskProcessingEndpoints taskProcessing;
    private final TalkEndpoints talk;
    private final WebhookEndpoints webhooks;
    private final DavEndpoints dav;
    private final WebServer server;

    private FakeNextcloud(String appId, String appSecret) {
        this.appId = appId;
        this.appSecret = appSecret;
        state.capabilities = defaultCapabilities();
        this.appApi = new AppApiEndpoints(state, appId);
        this.taskProcessing = new TaskProcessingEndpoints(state);
        this.talk = new TalkEndpoints(state);
        this.webhooks = new WebhookEndpoints(state, appId);
        this.dav = new DavEndpoints(state);
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .featuresDiscoverServices(false)
                .shutdownHook(false)
                .addProtocol(Http1Config.builder().validatePrologue(false).build())
                .routing(r -> r.any(this::handle))
                .build()
                .start();
    }

    /** Starts a fake that accepts the ExApp {@code appId} with {@code appSecret}. */
    public static FakeNextcloud start(String appId, String appSecret) {
        if (appId == null || appId.isEmpty() || appSecret == null || appSecret.isEmpty()) {
            throw new IllegalArgumentException("app id and secret are required");
        }
        return new FakeNextcloud(appId, appSecret);
    }

    /** The base URL, as {@code NEXTCLOUD_URL}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** The app id it accepts. */
    public String appId() {
        return appId;
    }

    /** The secret it accepts. */
    public String appSecret() {
        return appSecret;
    }

    /**
     * A deploy environment for an ExApp talking to this fake ({@code APP_ID}, {@code APP_SECRET},
     * {@code APP_VERSION}, {@code APP_HOST}, {@code APP_PORT}, {@code NEXTCLOUD_URL}, {@code AA_VERSION}), for
     * {@code ExAppEnvironment.from(...)}.
     */
    public Map<String, String> environment(String appVersion, int appPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("APP_ID", appId);
        env.put("APP_SECRET", appSecret);
        env.put("APP_VERSION", appVersion);
        env.put("APP_DISPLAY_NAME", appId);
        env.put("APP_HOST", "127.0.0.1");
        env.put("APP_PORT", Integer.toString(appPort));
        env.put("NEXTCLOUD_URL", url().toString());
        env.put("AA_VERSION", "32");
        return env;
    }

    // ---- recorded requests

    /** Every request so far, oldest first. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests to {@code path} (raw path, without query), oldest first. */
    public List<RecordedRequest> requests(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The last request to {@code path} (raw path, without query). */
    public Optional<RecordedRequest> lastRequest(String path) {
        List<RecordedRequest> matching = requests(path);
        return matching.isEmpty() ? Optional.empty() : Optional.of(matching.get(matching.size() - 1));
    }

    /** The last request of all. */
    public Optional<RecordedRequest> lastRequest() {
        List<RecordedRequest> all = requests();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Waits for the first recorded request (past or future) that {@code match} accepts.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public RecordedRequest await(Predicate<RecordedRequest> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (true) {
                for (RecordedRequest r : requests) {
                    if (match.test(r)) {
                        return r;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching request within " + timeout + "; received: " + requests);
                }
                try {
                    requests.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for a request", e);
                }
            }
        }
    }

    /** Waits for a request with {@code method} to {@code path}. */
    public RecordedRequest awaitRequest(String method, String path, Duration timeout) {
        return await(r -> r.method().equalsIgnoreCase(method) && r.path().equals(path), timeout);
    }

    /** Forgets the recorded requests. */
    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    // ---- knobs

    /** Sets whether the ExApp is enabled; a disabled one is refused everywhere but status and state. */
    public void setEnabled(boolean enabled) {
        synchronized (state) {
            state.enabled = enabled;
        }
    }

    /** Whether the ExApp is enabled (an init status of 100 enables it). */
    public boolean enabled() {
        synchronized (state) {
            return state.enabled;
        }
    }

    /** Sets AppAPI's {@code app_api.loglevel} capability. */
    public void setLogLevel(int level) {
        synchronized (state) {
            ((ObjectNode) state.capabilities.path("capabilities").path("app_api")).put("loglevel", level);
        }
    }

    /** Replaces the {@code capabilities} object of the capabilities answer. */
    public void setCapabilities(JsonNode capabilities) {
        synchronized (state) {
            state.capabilities.set("capabilities", capabilities.deepCopy());
        }
    }

    /**
     * Answers the next {@code times} requests with {@code method} (null for any) to {@code path} with HTTP
     * {@code status} and an OCS failure envelope of that status code, before any authentication. A path ending in {@code *} is a prefix. A 503 carries
     * {@code X-Nextcloud-Maintenance-Mode: 1}, as Nextcloud in maintenance mode.
     *
     * @param retryAfter the {@code Retry-After} to send, in whole seconds; null for none
     */
    public void fail(String method, String path, int status, Duration retryAfter, int times) {
        synchronized (state) {
            state.failures.add(new FailureRule(method, path, status, retryAfter, times));
        }
    }

    /** Drops all injected failures. */
    public void clearFailures() {
        synchronized (state) {
            state.failures.clear();
        }
    }

    /** Queues {@code task} for {@code tasks_provider/next}. */
    public void queueTask(FakeTask task) {
        synchronized (state) {
            state.taskQueue.add(task);
            state.tasks.put(task.id(), task);
        }
    }

    /** Makes {@code content} input file {@code fileId} of task {@code taskId}. */
    public void putTaskInputFile(long taskId, long fileId, byte[] content) {
        synchronized (state) {
            state.taskInputFiles.put(taskId + "/" + fileId, content.clone());
        }
    }

    /** The progress values reported for task {@code taskId}, in order. */
    public List<Double> taskProgress(long taskId) {
        synchronized (state) {
            return List.copyOf(state.taskProgress.getOrDefault(taskId, List.of()));
        }
    }

    /** The result body reported for task {@code taskId}. */
    public Optional<JsonNode> taskResult(long taskId) {
        synchronized (state) {
            return Optional.ofNullable(state.taskResults.get(taskId));
        }
    }

    /** The content of result file {@code fileId} a provider uploaded. */
    public Optional<byte[]> taskResultFile(long fileId) {
        synchronized (state) {
            return Optional.ofNullable(state.taskOutputFiles.get(fileId)).map(byte[]::clone);
        }
    }

    /** Stores {@code content} as file {@code path} (relative, unencoded) of {@code user}. */
    public void putFile(String user, String path, byte[] content) {
        synchronized (state) {
            state.files.put(FakeState.fileKey(user, strip(path)), content.clone());
        }
    }

    /** The file {@code path} of {@code user}, as uploaded or put. */
    public Optional<byte[]> file(String user, String path) {
        synchronized (state) {
            return Optional.ofNullable(state.files.get(FakeState.fileKey(user, strip(path)))).map(byte[]::clone);
        }
    }

    /** The ExApp's app config. */
    public Map<String, String> appConfig() {
        synchronized (state) {
            return Map.copyOf(state.appConfig);
        }
    }

    /** Whether app config {@code key} is stored as sensitive. */
    public boolean appConfigSensitive(String key) {
        synchronized (state) {
            return state.appConfigSensitive.getOrDefault(key, false);
        }
    }

    /** The preferences of {@code user}. */
    public Map<String, String> preferences(String user) {
        synchronized (state) {
            return Map.copyOf(state.preferences.getOrDefault(user, Map.of()));
        }
    }

    /** What the ExApp wrote to the log. */
    public List<LogEntry> logs() {
        synchronized (state) {
            return List.copyOf(state.logs);
        }
    }

    /** The bodies of the init status reports ({@code {"progress":..,"error":..}}), in order. */
    public List<JsonNode> initStatusReports() {
        synchronized (state) {
            return List.copyOf(state.initReports);
        }
    }

    /**
     * What the ExApp registered, by kind: {@code top-menu}, {@code script}, {@code style}, {@code initial-state},
     * {@code settings}, {@code files-actions-menu}, {@code occ_command}, {@code task_processing}, {@code talk_bot}.
     * Keys are the registration's identifying fields joined with {@code /}; values the request bodies.
     */
    public Map<String, JsonNode> registered(String kind) {
        synchronized (state) {
            return Map.copyOf(state.registry(kind));
        }
    }

    /** The secret of the Talk bot registered for {@code route}. */
    public Optional<String> talkBotSecret(String route) {
        synchronized (state) {
            return Optional.ofNullable(state.talkBots.get(route)).map(FakeState.TalkBotEntry::secret);
        }
    }

    /** The messages Talk bots posted (with a valid signature), oldest first. */
    public List<TalkBotPost> talkBotPosts() {
        synchronized (state) {
            return List.copyOf(state.talkBotPosts);
        }
    }

    /**
     * Waits for the first message a Talk bot posted (past or future) that {@code match} accepts.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public TalkBotPost awaitTalkBotPost(Predicate<TalkBotPost> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (state) {
            while (true) {
                for (TalkBotPost p : state.talkBotPosts) {
                    if (match.test(p)) {
                        return p;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching Talk bot message within " + timeout + "; posted: "
                            + state.talkBotPosts);
                }
                try {
                    state.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for a Talk bot message", e);
                }
            }
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop();
    }

    // ---- serving

    private void handle(ServerRequest req, ServerResponse res) throws Exception {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header h : req.headers()) {
            headers.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(h.allValues());
        }
        byte[] body = req.content().hasEntity() ? req.content().inputStream().readAllBytes() : new byte[0];
        RecordedRequest recorded = new RecordedRequest(req.prologue().method().text(), req.path().rawPath(),
                req.query().rawValue(), headers, body);
        synchronized (requests) {
            requests.add(recorded);
            requests.notifyAll();
        }
        Reply reply = answer(recorded);
        res.status(Status.create(reply.status()));
        reply.headers().forEach((n, v) -> res.header(HeaderNames.create(n), v));
        res.header(HeaderNames.SET_COOKIE, "oc_sessionPassphrase=fake" + server.port() + "; path=/; HttpOnly");
        if (reply.body().length == 0) {
            res.send();
        } else {
            res.send(reply.body());
        }
    }

    private Reply answer(RecordedRequest r) {
        String path = r.decodedPath();
        Optional<FailureRule> failure;
        synchronized (state) {
            failure = state.takeFailure(r.method(), path);
        }
        if (failure.isPresent()) {
            FailureRule rule = failure.get();
            Reply reply = Ocs.envelope(rule.status, "failure", rule.status, "injected failure " + rule.status,
                    Ocs.JSON.createArrayNode());
            if (rule.status == 503) {
                reply = reply.withHeader("X-Nextcloud-Maintenance-Mode", "1");
            }
            if (rule.retryAfter != null) {
                reply = reply.withHeader("Retry-After", Long.toString(rule.retryAfter.toSeconds()));
            }
            return reply;
        }
        Optional<Reply> talkReply = talk.handle(new Exchange(r, ""));
        if (talkReply.isPresent()) {
            return talkReply.get();
        }
        String refusal = refusal(r, path);
        if (refusal != null) {
            return path.startsWith(DavEndpoints.BASE)
                    ? Ocs.davError(401, "Sabre\\DAV\\Exception\\NotAuthenticated", refusal)
                    : Ocs.unauthorized(refusal);
        }
        Exchange ex = new Exchange(r, r.appApiUser().orElse(""));
        return appApi.handle(ex)
                .or(() -> taskProcessing.handle(ex))
                .or(() -> webhooks.handle(ex))
                .or(() -> dav.handle(ex))
                .orElseGet(() -> path.startsWith("/ocs/") ? Ocs.notFound(path, "Not found")
                        : Reply.of(404, "text/plain", "Not found".getBytes(StandardCharsets.UTF_8)));
    }

    /** Why AppAPI would refuse {@code r}, or null when it would accept it. */
    private String refusal(RecordedRequest r, String path) {
        String id = r.header("EX-APP-ID").orElse("");
        String version = r.header("EX-APP-VERSION").orElse("");
        Optional<String[]> auth = r.appApiAuthorization();
        if (id.isEmpty() || version.isEmpty() || auth.isEmpty()) {
            return "Current user is not logged in";
        }
        byte[] given = auth.get()[1].getBytes(StandardCharsets.UTF_8);
        boolean secretOk = MessageDigest.isEqual(given, appSecret.getBytes(StandardCharsets.UTF_8));
        if (!id.equals(appId) || !secretOk) {
            return "Current user is not logged in";
        }
        boolean exempt = path.equals(AppApiEndpoints.BASE + "/ex-app/state")
                || path.equals(AppApiEndpoints.BASE + "/ex-app/status");
        synchronized (state) {
            if (!state.enabled && !exempt) {
                return "ExApp is disabled";
            }
        }
        return null;
    }

    private static String strip(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    private static ObjectNode defaultCapabilities() {
        ObjectNode data = Ocs.object();
        data.putObject("version").put("major", 31).put("minor", 0).put("micro", 4).put("string", "31.0.4")
                .put("edition", "").put("extendedSupport", false);
        ObjectNode caps = data.putObject("capabilities");
        caps.putObject("core").put("pollinterval", 60).put("webdav-root", "remote.php/webdav");
        caps.putObject("app_api").put("loglevel", 1).put("version", "31.0.0");
        caps.putObject("spreed").putArray("features").add("chat-v2").add("bots-v1");
        return data;
    }
}

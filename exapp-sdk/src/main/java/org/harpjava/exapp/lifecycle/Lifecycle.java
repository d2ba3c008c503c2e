package org.harpjava.exapp.lifecycle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The endpoints AppAPI calls on every ExApp: {@code GET /heartbeat}, {@code POST /init}, {@code PUT /enabled},
 * {@code POST /trigger} and {@code GET /setup_checks}, with AppAPI's expectations: {@code /init} answers at once
 * and works in the background (404 when there is nothing to do), {@code /enabled} always answers
 * {@code 200 {"error": ...}}.
 */
public final class Lifecycle {
    private static final System.Logger LOG = System.getLogger(Lifecycle.class.getName());
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    /** AppAPI reads at most this much of {@code /setup_checks}. */
    static final int MAX_SETUP_CHECKS_BYTES = 256 * 1024;

    private final Optional<InitTask> init;
    private final InitStatusSink initStatus;
    private final EnabledHandler enabled;
    private final Map<String, SetupCheck> setupChecks;
    private final List<Runnable> triggers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean initRunning = new AtomicBoolean();
    private final ReentrantLock enabledLock = new ReentrantLock();
    private volatile Boolean enabledState;

    public Lifecycle(Optional<InitTask> init, InitStatusSink initStatus, EnabledHandler enabled,
                     Map<String, SetupCheck> setupChecks) {
        this.init = init;
        this.initStatus = initStatus;
        this.enabled = enabled;
        this.setupChecks = new LinkedHashMap<>(setupChecks);
    }

    /** Adds the endpoints to {@code rules}. */
    public void register(HttpRules rules) {
        rules.get("/heartbeat", this::heartbeat)
                .post("/init", this::init)
                .put("/enabled", this::enabled)
                .post("/trigger", this::trigger)
                .get("/setup_checks", this::setupChecks);
    }

    /** Runs {@code listener} whenever AppAPI says a TaskProcessing task waits ({@code POST /trigger}). */
    public void onTrigger(Runnable listener) {
        triggers.add(listener);
    }

    /** Whether the app is enabled as far as this process knows; empty before AppAPI said so. */
    public Optional<Boolean> enabled() {
        return Optional.ofNullable(enabledState);
    }

    private void heartbeat(ServerRequest req, ServerResponse res) {
        json(res, Status.OK_200, "{\"status\":\"ok\"}");
    }

    private void init(ServerRequest req, ServerResponse res) {
        if (init.isEmpty()) {
            json(res, Status.NOT_FOUND_404, error("this ExApp has nothing to initialise"));
            return;
        }
        if (initRunning.compareAndSet(false, true)) {
            Thread.ofVirtual().name("exapp-init").start(this::runInit);
        }
        json(res, Status.OK_200, "{}");
    }

    private void runInit() {
        ThrottledProgress progress = new ThrottledProgress(initStatus, PROGRESS_INTERVAL, System::nanoTime);
        try {
            progress.report(0);
            init.get().run(progress);
            progress.finished();
            LOG.log(System.Logger.Level.INFO, "Initialisation finished");
        } catch (Exception | Error e) {
            LOG.log(System.Logger.Level.ERROR, "Initialisation failed", e);
            progress.failed(String.valueOf(e.getMessage()));
        } finally {
            initRunning.set(false);
        }
    }

    private void enabled(ServerRequest req, ServerResponse res) {
        Optional<String> value = req.query().first("enabled").asOptional();
        if (value.isEmpty() || !(value.get().equals("0") || value.get().equals("1"))) {
            json(res, Status.OK_200, error("query parameter enabled must be 0 or 1"));
            return;
        }
        json(res, Status.OK_200, error(setEnabled(value.get().equals("1"))));
    }

    /**
     * Runs the enabled handler; returns the error for AppAPI, empty when it succeeded. Also used at start-up to
     * register again when Nextcloud says the app is enabled.
     */
    public String setEnabled(boolean on) {
        enabledLock.lock();
        try {
            enabled.handle(on);
            enabledState = on;
            LOG.log(System.Logger.Level.INFO, on ? "Enabled" : "Disabled");
            return "";
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, (on ? "Enabling" : "Disabling") + " failed", e);
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } finally {
            enabledLock.unlock();
        }
    }

    private void trigger(ServerRequest req, ServerResponse res) {
        for (Runnable t : triggers) {
            try {
                t.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A trigger listener failed", e);
            }
        }
        json(res, Status.OK_200, "{}");
    }

    private void setupChecks(ServerRequest req, ServerResponse res) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        setupChecks.forEach((id, check) -> {
            SetupCheck.Result r;
            try {
                r = check.check();
            } catch (Exception e) {
                r = SetupCheck.Result.of(SetupCheck.Status.ERROR, "check failed: " + e.getMessage());
            }
            ObjectNode node = body.putObject(id);
            node.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
            node.put("text", r.text());
            r.linkUrl().ifPresent(u -> node.put("link_url", u));
            r.linkLabel().ifPresent(l -> node.put("link_label", l));
        });
        String text = body.toString();
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SETUP_CHECKS_BYTES) {
            // AppAPI ignores a larger answer altogether; one clear failed check is better than none.
            LOG.log(System.Logger.Level.WARNING, "Setup checks answer exceeds 256 KiB; reporting an error instead");
            ObjectNode tooLarge = JsonNodeFactory.instance.objectNode();
            ObjectNode node = tooLarge.putObject("setup_checks");
            node.put("status", "error");
            node.put("text", "The app's setup checks produced more than 256 KiB of text");
            text = tooLarge.toString();
        }
        json(res, Status.OK_200, text);
    }

    /** {@code {"error": message}}: AppAPI's shape for lifecycle answers (an empty message means success). */
    private static String error(String message) {
        return JsonNodeFactory.instance.objectNode().put("error", message).toString();
    }

    private static void json(ServerResponse res, Status status, String body) {
        // A byte[] body is sent with Content-Length, which AppAPI requires of /setup_checks.
        res.status(status).header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}

package org.harpjava.exapp;

import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.nextcloud.NextcloudClient;
import org.harpjava.exapp.nextcloud.TopMenuEntry;
import org.harpjava.exapp.testkit.AppApiClient;
import org.harpjava.exapp.testkit.FakeNextcloud;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK's runtime against the test kit's fake Nextcloud: progress, re-registration and per-user clients. */
class ExAppWithNextcloudTest {
    static final class Api {
        @Route(path = "/prefs", methods = "POST")
        void prefs(ServerResponse res, NextcloudClient nextcloud) {
            nextcloud.preferences().set("theme", "dark");
            res.send("saved for " + nextcloud.user().orElse("the app"));
        }
    }

    private FakeNextcloud nextcloud;
    private ExApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        nextcloud.close();
    }

    private ExApp start(ExApp.Builder builder) {
        app = builder.start();
        return app;
    }

    /** Waits until {@code condition} holds: the fake records a request before it has handled it. */
    private static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private ExApp.Builder builder() {
        nextcloud = FakeNextcloud.start("kit_app", "kit-secret");
        return ExApp.builder(ExAppEnvironment.from(nextcloud.environment("2.0.0", 0))).routes(new Api());
    }

    private AppApiClient appApi() {
        return AppApiClient.builder(java.net.URI.create("http://127.0.0.1:" + app.port()), "kit_app", "kit-secret")
                .build();
    }

    @Test
    void initProgressReachesNextcloud() throws InterruptedException {
        start(builder().init(progress -> progress.report(30)));
        assertEquals(200, appApi().init().status());
        eventually(() -> nextcloud.initStatusReports().stream().anyMatch(n -> n.get("progress").asInt() == 100),
                "progress 100");
        List<Integer> reported = nextcloud.initStatusReports().stream().map(n -> n.get("progress").asInt()).toList();
        assertEquals(0, reported.getFirst());
        assertEquals(100, reported.getLast());
    }

    @Test
    void failedInitReportsTheError() {
        start(builder().init(progress -> {
            throw new IllegalStateException("model checksum mismatch");
        }));
        appApi().init();
        var report = nextcloud.await(r -> r.path().endsWith("/ex-app/status") && r.bodyText().contains("mismatch"),
                Duration.ofSeconds(10));
        assertTrue(report.json().get("error").asText().contains("model checksum mismatch"));
    }

    @Test
    void restartedAppRegistersAgainWhenNextcloudSaysItIsEnabled() throws Exception {
        List<Boolean> calls = new CopyOnWriteArrayList<>();
        ExApp.Builder b = builder();
        nextcloud.setEnabled(true);
        start(b.onEnabled(on -> {
            calls.add(on);
            if (on) {
                app.nextcloud().ui().topMenu().register(new TopMenuEntry("main", "Main", "img/app.svg", false));
            }
        }));
        eventually(() -> nextcloud.registered("top-menu").containsKey("main"), "the top menu entry");
        assertEquals(List.of(true), calls);
        assertTrue(nextcloud.registered("top-menu").containsKey("main"), nextcloud.registered("top-menu").toString());
    }

    @Test
    void aDisabledAppDoesNotRegisterAtStart() throws Exception {
        List<Boolean> calls = new CopyOnWriteArrayList<>();
        ExApp.Builder b = builder();
        nextcloud.setEnabled(false);
        start(b.onEnabled(calls::add));
        nextcloud.awaitRequest("GET", "/ocs/v1.php/apps/app_api/ex-app/state", Duration.ofSeconds(10));
        Thread.sleep(200);
        assertEquals(List.of(), calls);
    }

    @Test
    void handlersGetAClientActingAsTheCaller() {
        start(builder());
        var response = appApi().asUser("erin").post("/prefs", "text/plain", new byte[0]);
        assertEquals("saved for erin", response.text());
        assertEquals(Map.of("theme", "dark"), nextcloud.preferences("erin"));
        var saved = nextcloud.lastRequest("/ocs/v1.php/apps/app_api/api/v1/ex-app/preference").orElseThrow();
        assertEquals("erin", saved.appApiUser().orElseThrow());
    }
}

package org.harpjava.exapp.web;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.AccessLevel;
import org.harpjava.exapp.ExApp;
import org.harpjava.exapp.ExAppEnvironment;
import org.harpjava.exapp.Route;
import org.harpjava.exapp.testkit.AppApiClient;
import org.harpjava.exapp.testkit.AppApiResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Files from the jar served by annotated routes of a real ExApp. */
class StaticResourcesTest {
    private static final StaticResources SITE = StaticResources.in(StaticResourcesTest.class, "/site/");

    static final class Pages {
        @Route(path = "/", methods = "GET")
        void index(ServerResponse res) {
            SITE.send(res, "index.html");
        }

        @Route(path = "/icon.svg", methods = "GET", access = AccessLevel.PUBLIC)
        void icon(ServerResponse res) {
            SITE.send(res, "icon.svg");
        }

        @Route(path = "/file", methods = "GET")
        void file(ServerRequest req, ServerResponse res) {
            SITE.send(res, req.query().first("name").orElse(""));
        }
    }

    private static ExApp app;
    private static AppApiClient appApi;

    @BeforeAll
    static void start() {
        app = ExApp.builder(ExAppEnvironment.from(Map.of("APP_ID", "site_app", "APP_SECRET", "site-secret",
                        "APP_VERSION", "1.0.0", "APP_HOST", "127.0.0.1", "APP_PORT", "0",
                        "NEXTCLOUD_URL", "http://127.0.0.1:9")))
                .routes(new Pages())
                .start();
        appApi = AppApiClient.builder(URI.create("http://127.0.0.1:" + app.port()), "site_app", "site-secret")
                .build().asUser("alice");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void sendsTheFileWithItsTypeAndBytes() throws Exception {
        AppApiResponse page = appApi.get("/");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.header("Content-Type").orElseThrow());
        byte[] expected = StaticResourcesTest.class.getResourceAsStream("/site/index.html").readAllBytes();
        assertArrayEquals(expected, page.body());
        assertEquals("<p>h\u00e9llo</p>", page.text().lines().toList().get(2));

        AppApiResponse icon = appApi.get("/icon.svg");
        assertEquals("image/svg+xml; charset=utf-8", icon.header("Content-Type").orElseThrow());
        assertEquals("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n", new String(icon.body(), StandardCharsets.UTF_8));

        AppApiResponse script = appApi.get("/file?name=app.js");
        assertEquals(200, script.status());
        assertEquals("text/javascript; charset=utf-8", script.header("Content-Type").orElseThrow());
    }

    @Test
    void theRouteStillNeedsAppApiAuthentication() {
        assertEquals(401, appApi.unsigned().get("/").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing.html", "../outside.txt", "./index.html", "/site/index.html", "a//b",
            "sub/", "..\\outside.txt", ""})
    void unknownOrEscapingNamesAreNotFound(String name) {
        AppApiResponse r = appApi.get("/file?name=" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8));
        assertEquals(404, r.status(), name);
        assertEquals("Not Found", r.text());
    }

    @Test
    void contentTypes() {
        assertEquals("text/css; charset=utf-8", StaticResources.contentType("a.css"));
        assertEquals("application/json; charset=utf-8", StaticResources.contentType("data.JSON"));
        assertEquals("image/png", StaticResources.contentType("logo.png"));
        assertEquals("application/octet-stream", StaticResources.contentType("model.bin"));
        assertEquals("application/octet-stream", StaticResources.contentType("README"));
    }
}

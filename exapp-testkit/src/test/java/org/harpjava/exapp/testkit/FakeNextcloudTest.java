package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fake's own behaviour, driven by a plain HTTP client. */
class FakeNextcloudTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeNextcloud fake;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        fake = FakeNextcloud.start("kit_app", "kit-secret");
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    private static HttpResponse<String> call(String method, String target, String user, String secret, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.url() + target))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (secret != null) {
            b.header("EX-APP-ID", "kit_app").header("EX-APP-VERSION", "1.0.0")
                    .header("AUTHORIZATION-APP-API", Base64.getEncoder()
                            .encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode meta(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("ocs").path("meta");
    }

    @Test
    void refusesMissingOrWrongCredentialsWith997() throws Exception {
        HttpResponse<String> none = call("GET", "/ocs/v1.php/apps/app_api/ex-app/state?format=json", "", null, null);
        assertEquals(401, none.statusCode());
        assertEquals(997, meta(none).path("statuscode").asInt());
        HttpResponse<String> wrong = call("GET", "/ocs/v1.php/apps/app_api/ex-app/state", "", "nope", null);
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> ok = call("GET", "/ocs/v1.php/apps/app_api/ex-app/state", "", "kit-secret", null);
        assertEquals(200, ok.statusCode());
        assertEquals(100, meta(ok).path("statuscode").asInt());
        assertEquals(1, JSON.readTree(ok.body()).at("/ocs/data").asInt());
        assertTrue(ok.headers().firstValue("Set-Cookie").isPresent());
    }

    @Test
    void aDisabledAppOnlyReachesStatusAndState() throws Exception {
        fake.setEnabled(false);
        try {
            assertEquals(401, call("POST", "/ocs/v1.php/apps/app_api/api/v1/log", "", "kit-secret",
                    "{\"level\":1,\"message\":\"x\"}").statusCode());
            HttpResponse<String> state = call("GET", "/ocs/v1.php/apps/app_api/ex-app/state", "", "kit-secret", null);
            assertEquals(0, JSON.readTree(state.body()).at("/ocs/data").asInt());
            call("PUT", "/ocs/v1.php/apps/app_api/ex-app/status", "", "kit-secret", "{\"progress\":100,\"error\":\"\"}");
            assertTrue(fake.enabled(), "progress 100 enables the app, as AppAPI does");
        } finally {
            fake.setEnabled(true);
        }
    }

    @Test
    void recordsRequestsAndAwaitsOnes() throws Exception {
        CompletableFuture<RecordedRequest> waiting = CompletableFuture.supplyAsync(() -> fake.awaitRequest("POST",
                "/ocs/v1.php/apps/app_api/api/v1/ex-app/preference", Duration.ofSeconds(5)));
        Thread.sleep(100);
        HttpResponse<String> r = call("POST", "/ocs/v1.php/apps/app_api/api/v1/ex-app/preference?format=json", "eve",
                "kit-secret", "{\"configKey\":\"a b\",\"configValue\":\"1\"}");
        assertEquals(200, r.statusCode());
        RecordedRequest seen = waiting.get();
        assertEquals("eve", seen.appApiUser().orElseThrow());
        assertEquals("json", seen.queryParam("format").orElseThrow());
        assertEquals("a b", seen.json().get("configKey").asText());
        assertEquals("1", fake.preferences("eve").get("a b"));
        assertThrows(AssertionError.class, () -> fake.awaitRequest("GET", "/never", Duration.ofMillis(50)));
        assertEquals(401, call("POST", "/ocs/v1.php/apps/app_api/api/v1/ex-app/preference", "", "kit-secret",
                "{\"configKey\":\"a\",\"configValue\":\"1\"}").statusCode(), "preferences need a user");
    }

    @Test
    void injectedFailuresComeFirstAndRunOut() throws Exception {
        fake.fail("GET", "/ocs/v1.php/cloud/*", 503, Duration.ofSeconds(3), 1);
        HttpResponse<String> first = call("GET", "/ocs/v1.php/cloud/capabilities", "", null, null);
        assertEquals(503, first.statusCode());
        assertEquals("3", first.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("1", first.headers().firstValue("X-Nextcloud-Maintenance-Mode").orElseThrow());
        HttpResponse<String> second = call("GET", "/ocs/v1.php/cloud/capabilities", "", "kit-secret", null);
        assertEquals(200, second.statusCode());
        assertEquals(1, JSON.readTree(second.body()).at("/ocs/data/capabilities/app_api/loglevel").asInt());
    }

    @Test
    void serveTasksInOrderAndAnswer204WhenNoneWaits() throws Exception {
        String next = "/ocs/v2.php/taskprocessing/tasks_provider/next?providerIds%5B%5D=p&taskTypeIds%5B%5D=t:x";
        HttpResponse<String> none = call("GET", next, "", "kit-secret", null);
        assertEquals(204, none.statusCode(), none.body());
        fake.queueTask(new FakeTask(1, "t:x", "u", null));
        fake.queueTask(new FakeTask(2, "t:x", "u", null));
        assertEquals(1, JSON.readTree(call("GET", next, "", "kit-secret", null).body()).at("/ocs/data/task/id").asInt());
        assertEquals(2, JSON.readTree(call("GET", next, "", "kit-secret", null).body()).at("/ocs/data/task/id").asInt());
    }

    @Test
    void talkBotMessagesAreKeptWhenSignedByARegisteredBot() throws Exception {
        HttpResponse<String> reg = call("POST", "/ocs/v1.php/apps/app_api/api/v1/talk_bot", "", "kit-secret",
                "{\"name\":\"Kit\",\"route\":\"/kit_bot\",\"description\":\"\"}");
        assertEquals(200, reg.statusCode(), reg.body());
        String secret = fake.talkBotSecret("/kit_bot").orElseThrow();
        call("POST", "/ocs/v1.php/apps/app_api/api/v1/talk_bot", "", "kit-secret",
                "{\"name\":\"Kit\",\"route\":\"/kit_bot\",\"description\":\"again\"}");
        assertEquals(secret, fake.talkBotSecret("/kit_bot").orElseThrow(), "registering again keeps the secret");
        String random = "r4nd0m";
        String path = "/ocs/v2.php/apps/spreed/api/v1/bot/room1/message";
        String body = "{\"message\":\"Hi there\",\"replyTo\":42,\"referenceId\":\"ref1\",\"silent\":false}";
        HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(URI.create(fake.url() + path))
                .header("X-Nextcloud-Talk-Bot-Random", random)
                .header("X-Nextcloud-Talk-Bot-Signature", TalkEndpoints.hmac("wrong", random + "Hi there"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, forged.statusCode());
        assertTrue(fake.talkBotPosts().isEmpty(), "a forged message is not kept");

        CompletableFuture<TalkBotPost> awaited = CompletableFuture.supplyAsync(
                () -> fake.awaitTalkBotPost(p -> p.token().equals("room1"), Duration.ofSeconds(5)));
        HttpResponse<String> signed = HTTP.send(HttpRequest.newBuilder(URI.create(fake.url() + path))
                .header("X-Nextcloud-Talk-Bot-Random", random)
                .header("X-Nextcloud-Talk-Bot-Signature", TalkEndpoints.hmac(secret, random + "Hi there"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, signed.statusCode(), signed.body());
        assertEquals(new TalkBotPost("/kit_bot", "room1", "Hi there", 42, "ref1", false), awaited.get());
        assertEquals(1, fake.talkBotPosts().size());
        assertThrows(AssertionError.class, () -> fake.awaitTalkBotPost(p -> p.token().equals("other"),
                Duration.ofMillis(50)));

        call("DELETE", "/ocs/v1.php/apps/app_api/api/v1/talk_bot", "", "kit-secret", "{\"route\":\"/kit_bot\"}");
        call("POST", "/ocs/v1.php/apps/app_api/api/v1/talk_bot", "", "kit-secret",
                "{\"name\":\"Kit\",\"route\":\"/kit_bot\",\"description\":\"\"}");
        assertTrue(!secret.equals(fake.talkBotSecret("/kit_bot").orElseThrow()), "a removed bot's secret is gone");
    }

    @Test
    void talkBotEventsAreShapedAndSignedAsTalkDoes() throws Exception {
        TalkBotEvent event = TalkBotEvent.message("users/alice", "Alice", 1567, "{mention-bot1} hi", "n3xtc10ud",
                "Team").mention("mention-bot1", "user", "bot-abc", "Helper");
        byte[] body = event.body();
        JsonNode json = JSON.readTree(body);
        assertEquals("Create", json.path("type").asText());
        assertEquals("users/alice", json.at("/actor/id").asText());
        assertEquals("1567", json.at("/object/id").asText());
        assertEquals("message", json.at("/object/name").asText());
        assertEquals("n3xtc10ud", json.at("/target/id").asText());
        JsonNode content = JSON.readTree(json.at("/object/content").asText());
        assertEquals("{mention-bot1} hi", content.path("message").asText());
        assertEquals("bot-abc", content.at("/parameters/mention-bot1/id").asText());
        assertEquals("[]", JSON.readTree(TalkBotEvent.message("users/a", "A", 1, "x", "t", "T").body())
                .at("/object/content").asText().replaceAll(".*\"parameters\":", "").replace("}", ""),
                "no parameters is an empty list, as PHP encodes it");

        var headers = event.signedHeaders("s3cret");
        String random = headers.get(TalkBotEvent.RANDOM_HEADER);
        assertEquals(64, random.length());
        assertEquals(TalkEndpoints.hmac("s3cret", random + new String(body, StandardCharsets.UTF_8)),
                headers.get(TalkBotEvent.SIGNATURE_HEADER));
        assertTrue(!random.equals(event.signedHeaders("s3cret").get(TalkBotEvent.RANDOM_HEADER)), "fresh randoms");
    }
}

package org.harpjava.samples.chat;

import org.harpjava.exapp.testkit.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.harpjava.exapp.testkit.Browser.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chat page in headless Chromium, opened as a user opens it: {@code /exapps/java_chat/} on harp-server in dev
 * mode, logging in as alice when harp-server asks. The page's script talks to the app through harp-server alone
 * (HTTP API and WebSocket), the app to the fake engine.
 */
class ChatPageBrowserTest {
    /** The text of the page's messages, in order. */
    private static final String BUBBLES = "[...document.querySelectorAll('#chat-log > div')].map(d => d.textContent)";

    @TempDir
    Path storage;
    private Harness h;
    private Browser browser;

    /** Fails where a browser is required (CI), and is skipped elsewhere, when something the browser needs is missing. */
    static void requireBrowser() {
        Browser.missing().ifPresent(why -> {
            if (Browser.required()) {
                fail("The browser tests cannot run: " + why);
            }
            assumeTrue(false, "No browser test here: " + why);
        });
    }

    @BeforeEach
    void start() throws Exception {
        requireBrowser();
        h = new Harness(storage);
        browser = Browser.launch("alice", "alice-pw");
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (h != null) {
            h.close();
        }
    }

    private String page() {
        return "http://127.0.0.1:" + h.harp.port() + "/exapps/" + Harness.APP_ID + "/";
    }

    private void openPage() throws Exception {
        if (h.harp == null) {
            h.start();
        }
        assertEquals(200, browser.open(page()));
        browser.waitFor("document.getElementById('chat-form')");
    }

    private void send(String text) {
        browser.fill("#chat-input", text);
        browser.click("#chat-send");
    }

    /** Waits until the page's messages are exactly {@code expected}. */
    private void awaitBubbles(String... expected) {
        String want = quote(String.join("\u0000", expected));
        try {
            browser.waitFor(BUBBLES + ".join('\\u0000') === " + want);
        } catch (AssertionError e) {
            throw new AssertionError("expected messages " + List.of(expected) + ", the page shows "
                    + browser.eval(BUBBLES), e);
        }
    }

    private boolean disabled(String id) {
        return browser.eval("document.getElementById('" + id + "').disabled").asBoolean();
    }

    @Test
    void theReplyAppearsTokenByTokenAndTheConversationIsThereAfterAReload() throws Exception {
        h.engine.reply("Hello", ", ", "world", "!").holdAfter(2);
        openPage();

        send("Say hello");
        awaitBubbles("Say hello", "Hello, "); // the first two tokens, while the engine holds the rest
        assertTrue(disabled("chat-send"), "no second message while a reply is written");
        assertFalse(disabled("chat-stop"));
        assertEquals("", browser.eval("document.getElementById('chat-input').value").asText());

        h.engine.release();
        awaitBubbles("Say hello", "Hello, world!");
        browser.waitFor("!document.getElementById('chat-send').disabled");
        assertTrue(disabled("chat-stop"));
        browser.waitFor("document.querySelector('#chat-list li')?.textContent === 'Say hello'");

        // The conversation is stored by the app: after a reload it is listed, and opening it shows both messages.
        assertEquals(200, browser.reload());
        browser.waitFor("document.querySelector('#chat-list li')?.textContent === 'Say hello'");
        browser.click("#chat-list li");
        awaitBubbles("Say hello", "Hello, world!");

        // The next message goes on in the same conversation, with the earlier turn sent to the engine.
        h.engine.reply("Again");
        send("Once more");
        awaitBubbles("Say hello", "Hello, world!", "Once more", "Again");
        assertEquals(1, browser.eval("document.querySelectorAll('#chat-list li').length").asInt());
        assertEquals(List.of("system", "user", "assistant", "user"),
                h.engine.requests().getLast().path("messages").findValuesAsText("role"));
        assertEquals(List.of("Say hello", "Hello, world!", "Once more"), h.engine.requests().getLast().path("messages")
                .findValuesAsText("content").subList(1, 4));

        assertEquals(List.of(), browser.problems());
    }

    @Test
    void stopEndsTheReplyAndTheEngineStreamMidway() throws Exception {
        h.engine.longReply(300).pace(Duration.ofMillis(50));
        openPage();

        send("Count slowly");
        browser.waitFor(BUBBLES + "[1]?.startsWith('t0 t1 t2 ')");
        browser.click("#chat-stop");
        assertTrue(h.engine.hungUp.await(10, TimeUnit.SECONDS), "the app hung up on the engine");
        browser.waitFor("!document.getElementById('chat-send').disabled");
        assertTrue(disabled("chat-stop"));
        String stopped = browser.eval(BUBBLES + "[1]").asText();
        assertTrue(h.engine.tokensSent() < 300, "the engine stopped after " + h.engine.tokensSent() + " tokens");
        Thread.sleep(500);
        awaitBubbles("Count slowly", stopped); // nothing more arrives
        assertEquals("", browser.text("#chat-status"));

        // What was written before the stop is kept.
        browser.reload();
        browser.click("#chat-list li");
        awaitBubbles("Count slowly", stopped);
        assertEquals(List.of(), browser.problems());
    }

    @Test
    void anEngineThatIsDownIsExplainedOnThePage() throws Exception {
        String engineUrl = h.engine.url();
        h.engine.close();
        openPage();

        send("Anyone there?");
        browser.waitFor("document.getElementById('chat-status').textContent !== ''");
        assertEquals("The chat engine at " + engineUrl + " cannot be reached; is it running?",
                browser.text("#chat-status"));
        browser.waitFor("!document.getElementById('chat-send').disabled");
        awaitBubbles("Anyone there?"); // and no empty reply
        assertEquals(List.of(), browser.problems());
    }

    @Test
    void whereNoWebSocketGetsThroughRepliesStreamOverHttp() throws Exception {
        h.hiddenRoutes.add("^/ws$"); // as AppAPI's PHP proxy, which carries no WebSocket
        h.engine.reply("Hello", ", ", "world", "!").holdAfter(2);
        openPage();

        send("Say hello");
        awaitBubbles("Say hello", "Hello, ");
        assertTrue(disabled("chat-send"));
        h.engine.release();
        awaitBubbles("Say hello", "Hello, world!");
        browser.waitFor("!document.getElementById('chat-send').disabled");
        browser.waitFor("document.querySelector('#chat-list li')?.textContent === 'Say hello'");

        // Stop aborts the request, which stops the engine; the reply so far is kept.
        h.engine.longReply(300).pace(Duration.ofMillis(50));
        send("Count slowly");
        browser.waitFor(BUBBLES + "[3]?.startsWith('t0 t1 t2 ')");
        browser.click("#chat-stop");
        assertTrue(h.engine.hungUp.await(10, TimeUnit.SECONDS), "the app hung up on the engine");
        browser.waitFor("!document.getElementById('chat-send').disabled");
        String stopped = browser.eval(BUBBLES + "[3]").asText();
        assertEquals("", browser.text("#chat-status"));

        browser.reload();
        browser.waitFor("document.querySelector('#chat-list li')?.textContent === 'Say hello'");
        browser.click("#chat-list li");
        // The app notices the hang-up at its next write, so the reply it keeps may run a few tokens further.
        browser.waitFor(BUBBLES + ".length === 4");
        String kept = browser.eval(BUBBLES + "[3]").asText();
        assertTrue(kept.startsWith(stopped) && !kept.contains("t299"), "shown " + stopped + ", kept " + kept);

        // An engine that is down: the reason, and no empty reply.
        String engineUrl = h.engine.url();
        h.engine.close();
        send("Anyone there?");
        browser.waitFor("document.getElementById('chat-status').textContent !== ''");
        assertEquals("The chat engine at " + engineUrl + " cannot be reached; is it running?",
                browser.text("#chat-status"));
        awaitBubbles("Say hello", "Hello, world!", "Count slowly", kept, "Anyone there?");

        // The browser's reports: the refused WebSocket, once per page load and not retried, and the 502 that
        // carried the engine's failure.
        List<String> problems = browser.problems();
        assertEquals(2, problems.stream().filter(p -> p.startsWith("console: WebSocket connection to")
                && p.contains("Unexpected response code: 404")).count(), problems.toString());
        assertEquals(2, problems.stream().filter(p -> p.contains("502") && p.contains("/messages")).count(),
                problems.toString());
        assertEquals(4, problems.size(), problems.toString());
    }
}

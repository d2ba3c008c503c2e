package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A headless Chromium page for testing an ExApp's web page as a user sees it: {@code bridge.mjs} (next to a
 * {@code package.json} pinning {@code playwright-core}, installed with {@code npm ci}) runs in Node.js and drives
 * the system's Chromium; this class sends it one command at a time and waits for the answer. Clicks and typing are
 * real input events; {@link #eval} and {@link #waitFor} run JavaScript in the page to read what it shows.
 *
 * <p>What is needed: {@code node} on the {@code PATH}, Chromium ({@code HARP_CHROMIUM}, or {@code chromium} on the
 * {@code PATH}, as Debian's package installs it), and the bridge's folder with {@code node_modules}: the system
 * property {@code harp.browser.dir}, or {@code exapp-testkit/browser} in a folder above the working directory.
 * {@link #missing()} says what is absent; {@link #required()} whether a test must then fail rather than be skipped.
 */
public final class Browser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private int nextId;

    private Browser(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
        Thread.ofPlatform().daemon().name("browser-bridge-out").start(() -> read(process, true));
        Thread.ofPlatform().daemon().name("browser-bridge-err").start(() -> read(process, false));
    }

    /** What a browser test lacks on this machine, in a sentence that says how to get it; empty when nothing. */
    public static Optional<String> missing() {
        if (onPath("node").isEmpty()) {
            return Optional.of("Node.js is not installed (apt-get install nodejs npm)");
        }
        if (chromium().isEmpty()) {
            return Optional.of("Chromium is not installed (apt-get install chromium, or set HARP_CHROMIUM to its binary)");
        }
        Optional<Path> bridge = bridgeDir();
        if (bridge.isEmpty()) {
            return Optional.of("the browser bridge (exapp-testkit/browser/bridge.mjs) is not found above "
                    + Path.of("").toAbsolutePath() + "; set the system property harp.browser.dir");
        }
        if (!Files.isDirectory(bridge.get().resolve("node_modules/playwright-core"))) {
            return Optional.of("playwright-core is not installed: run 'npm ci' in " + bridge.get());
        }
        return Optional.empty();
    }

    /**
     * Whether a browser test must fail when {@link #missing()} names something: when the environment variable
     * {@code HARP_BROWSER_TESTS} is {@code required} (CI sets it) or {@code CI} is set. Elsewhere it may be skipped.
     */
    public static boolean required() {
        String ci = System.getenv("CI");
        return "required".equals(System.getenv("HARP_BROWSER_TESTS"))
                || (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false"));
    }

    /**
     * Starts Chromium with one empty page.
     *
     * @param user          the user name with which the browser answers HTTP Basic challenges (as a person types it
     *                      into the browser's login prompt), or null for none
     * @param password      that user's password
     * @param chromiumArgs  more Chromium switches, such as the fake microphone's
     */
    public static Browser launch(String user, String password, String... chromiumArgs) throws IOException {
        Optional<String> missing = missing();
        if (missing.isPresent()) {
            throw new IllegalStateException("No browser: " + missing.get());
        }
        Path dir = bridgeDir().orElseThrow();
        Process process = new ProcessBuilder(onPath("node").orElseThrow().toString(), "bridge.mjs")
                .directory(dir.toFile()).start();
        Browser browser = new Browser(process);
        ObjectNode launch = JSON.createObjectNode().put("executable", chromium().orElseThrow().toString());
        launch.putPOJO("args", List.of(chromiumArgs));
        if (user != null) {
            launch.put("username", user).put("password", password);
        }
        try {
            browser.call("launch", launch, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            browser.close();
            throw e;
        }
        return browser;
    }

    /** Loads {@code url}; the HTTP status of the page. */
    public int open(String url) {
        return call("goto", JSON.createObjectNode().put("url", url), DEFAULT_TIMEOUT).asInt();
    }

    /** Loads the page again; the HTTP status. */
    public int reload() {
        return call("reload", JSON.createObjectNode(), DEFAULT_TIMEOUT).asInt();
    }

    /** Clicks the element, once it is visible and enabled. */
    public void click(String selector) {
        call("click", JSON.createObjectNode().put("selector", selector).put("timeout", DEFAULT_TIMEOUT.toMillis()),
                DEFAULT_TIMEOUT);
    }

    /** Double-clicks the element, once it is visible and enabled, as a hurried user does. */
    public void doubleClick(String selector) {
        call("dblclick", JSON.createObjectNode().put("selector", selector).put("timeout", DEFAULT_TIMEOUT.toMillis()),
                DEFAULT_TIMEOUT);
    }

    /** Types {@code value} into the input or text area, replacing what it held. */
    public void fill(String selector, String value) {
        call("fill", JSON.createObjectNode().put("selector", selector).put("value", value)
                .put("timeout", DEFAULT_TIMEOUT.toMillis()), DEFAULT_TIMEOUT);
    }

    /** Puts the files into a file input, as picking them in the dialog does. */
    public void setInputFiles(String selector, Path... files) {
        ObjectNode c = JSON.createObjectNode().put("selector", selector).put("timeout", DEFAULT_TIMEOUT.toMillis());
        c.putPOJO("files", Stream.of(files).map(f -> f.toAbsolutePath().toString()).toList());
        call("setInputFiles", c, DEFAULT_TIMEOUT);
    }

    /** The value of a JavaScript expression in the page (a promise is awaited), as JSON. */
    public JsonNode eval(String expression) {
        return call("eval", JSON.createObjectNode().put("expression", expression), DEFAULT_TIMEOUT);
    }

    /** The text of the first element matching {@code selector}; null when there is none. */
    public String text(String selector) {
        JsonNode v = eval("document.querySelector(" + quote(selector) + ")?.textContent ?? null");
        return v.isNull() ? null : v.asText();
    }

    /** Waits up to 10 s until the expression is truthy in the page; its value. */
    public JsonNode waitFor(String expression) {
        return waitFor(expression, DEFAULT_TIMEOUT);
    }

    /** Waits up to {@code timeout} until the expression is truthy in the page; its value. */
    public JsonNode waitFor(String expression, Duration timeout) {
        return call("waitFor", JSON.createObjectNode().put("expression", expression).put("timeout", timeout.toMillis()),
                timeout);
    }

    /** The page's uncaught exceptions, console errors, dialogs and answers of 400 and above since the last call. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        call("problems", JSON.createObjectNode(), DEFAULT_TIMEOUT).forEach(p -> out.add(p.asText()));
        return out;
    }

    /** A string as a JavaScript literal, to build expressions. */
    public static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                commands.close(); // the bridge closes the browser at the end of its input
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private synchronized JsonNode call(String op, ObjectNode command, Duration timeout) {
        int id = ++nextId;
        command.put("id", id).put("op", op);
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
            long deadline = System.nanoTime() + timeout.plusSeconds(10).toNanos();
            while (true) {
                JsonNode answer = answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (answer == null) {
                    throw new AssertionError("The browser did not answer " + op + " within " + timeout.plusSeconds(10)
                            + (process.isAlive() ? "" : " (the bridge exited " + process.exitValue() + ")")
                            + "; its errors: " + stderr);
                }
                if (answer.path("id").asInt() != id) {
                    continue; // the late answer of a command that timed out
                }
                if (!answer.path("ok").asBoolean()) {
                    throw new AssertionError("Browser " + op + " " + command + " failed: " + answer.path("error").asText());
                }
                return answer.path("value");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The browser bridge is gone; its errors: " + stderr, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read(Process p, boolean out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                out ? p.getInputStream() : p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!out) {
                    stderr.append(line).append('\n');
                    continue;
                }
                try {
                    answers.add(JSON.readTree(line));
                } catch (IOException e) {
                    stderr.append("(stdout) ").append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static Optional<Path> chromium() {
        String configured = System.getenv("HARP_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Files.isExecutable(Path.of(configured)) ? Optional.of(Path.of(configured)) : Optional.empty();
        }
        return onPath("chromium").or(() -> onPath("chromium-browser"));
    }

    private static Optional<Path> bridgeDir() {
        String configured = System.getProperty("harp.browser.dir");
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            return Files.isRegularFile(dir.resolve("bridge.mjs")) ? Optional.of(dir) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("exapp-testkit/browser");
            if (Files.isRegularFile(candidate.resolve("bridge.mjs"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

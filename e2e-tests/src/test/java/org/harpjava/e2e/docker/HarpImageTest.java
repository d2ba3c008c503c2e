package org.harpjava.e2e.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.server.testing.DockerDaemon;
import org.harpjava.server.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harp-server image from {@code docker/Dockerfile}, built with its {@code prebuilt} stage on
 * {@link LocalJavaBase} (no registry here to pull the default bases from), run as AppAPI's deploy daemon is:
 * host networking, the Docker socket mounted, its group added. It serves the control API, reaches the engine
 * through the socket as its unprivileged user, and its health check passes.
 */
class HarpImageTest {
    private static final String KEY = "image-shared-key";
    private static final String IMAGE = "harp-test/harp-server:1";
    private static final String CONTAINER = "harp-image-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DockerDaemon docker;
    private static int port;
    private static int managementPort;

    @BeforeAll
    static void start() throws IOException {
        docker = DockerDaemon.shared();
        Path repository = LocalJavaBase.repository();
        Assumptions.assumeTrue(Files.isRegularFile(repository.resolve("harp-server/target/harp-server.jar"))
                        && Files.isDirectory(repository.resolve("harp-server/target/libs")),
                "the image test needs harp-server built first (./harp build, or -am)");
        String base = LocalJavaBase.build(docker);
        docker.docker("build", "-q", "--network", "none", "-f", repository.resolve("docker/Dockerfile").toString(),
                "--target", "prebuilt", "--build-arg", "RUNTIME_BASE=" + base, "-t", IMAGE, repository.toString());
        port = freePort();
        managementPort = freePort();
        docker.dockerOrNull("rm", "-f", CONTAINER);
        String gid = LocalJavaBase.run("stat", "-c", "%g", docker.socket().toString());
        docker.docker("run", "-d", "--name", CONTAINER, "--network", "host", "--group-add", gid,
                "-v", docker.socket() + ":/var/run/docker.sock",
                "-e", "HP_SHARED_KEY=" + KEY, "-e", "NC_INSTANCE_URL=http://127.0.0.1:9",
                "-e", "HP_EXAPPS_ADDRESS=127.0.0.1:" + port, "-e", "HP_MANAGEMENT_ADDRESS=127.0.0.1:" + managementPort,
                // The image's health check, run every second instead of every ten.
                "--health-interval", "1s", "--health-start-period", "20s", IMAGE);
    }

    @AfterAll
    static void stop() {
        if (docker != null) {
            docker.dockerOrNull("rm", "-f", CONTAINER);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String path, String... headers) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return Http.get(port, path, headers);
            } catch (RuntimeException e) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("harp-server in the container does not answer: "
                            + docker.dockerOrNull("logs", CONTAINER), e);
                }
                sleep(200);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void servesTheControlApiAndReachesTheMountedEngine() throws IOException {
        HttpResponse<String> heartbeat = get("/exapps/app_api/heartbeat", "harp-shared-key", KEY);
        assertEquals(200, heartbeat.statusCode(), heartbeat.body());
        assertEquals(401, get("/exapps/app_api/heartbeat", "harp-shared-key", "wrong").statusCode());

        JsonNode info = JSON.readTree(get("/exapps/app_api/info", "harp-shared-key", KEY).body());
        assertTrue(info.get("docker").asBoolean(), info.toString());
        assertEquals("unix:///var/run/docker.sock", info.at("/docker_engines/0/address").asText(), info.toString());
        assertTrue(info.at("/docker_engines/0/reachable").asBoolean(), info.toString());
        HttpResponse<String> ping = get("/exapps/app_api/v1.44/_ping", "harp-shared-key", KEY,
                "docker-engine-port", "24000");
        assertEquals(200, ping.statusCode(), ping.body());
        assertEquals("OK", ping.body());
    }

    @Test
    void runsUnprivileged() {
        assertEquals("10001", docker.docker("inspect", "-f", "{{.Config.User}}", CONTAINER));
        assertEquals("10001", docker.docker("exec", CONTAINER, "id", "-u"));
    }

    @Test
    void theHealthCheckPasses() {
        long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        String health = "";
        while (System.nanoTime() < end) {
            health = docker.docker("inspect", "-f", "{{.State.Health.Status}}", CONTAINER);
            if (!health.equals("starting")) {
                break;
            }
            sleep(250);
        }
        assertEquals("healthy", health, docker.dockerOrNull("inspect", "-f", "{{json .State.Health}}", CONTAINER));
    }

    @Test
    void stopsOnSigterm() {
        try {
            // Another container of the same image, so the other tests keep theirs.
            int other = freePort();
            docker.dockerOrNull("rm", "-f", CONTAINER + "-stop");
            docker.docker("run", "-d", "--name", CONTAINER + "-stop", "--network", "host",
                    "-e", "HP_SHARED_KEY=" + KEY, "-e", "NC_INSTANCE_URL=http://127.0.0.1:9",
                    "-e", "HP_EXAPPS_ADDRESS=127.0.0.1:" + other, "-e", "HP_MANAGEMENT_ADDRESS=127.0.0.1:" + freePort(),
                    IMAGE);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try {
                    Http.get(other, "/exapps/app_api/heartbeat", "harp-shared-key", KEY);
                    break;
                } catch (RuntimeException e) {
                    assertTrue(System.nanoTime() < end, "never answered: " + docker.dockerOrNull("logs", CONTAINER + "-stop"));
                    sleep(200);
                }
            }
            long started = System.nanoTime();
            docker.docker("stop", "-t", "20", CONTAINER + "-stop");
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15, "stopped by SIGTERM, not killed");
            assertEquals("false", docker.docker("inspect", "-f", "{{.State.OOMKilled}}", CONTAINER + "-stop"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            docker.dockerOrNull("rm", "-f", CONTAINER + "-stop");
        }
    }
}

package org.harpjava.server.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.server.HarpServer;
import org.harpjava.server.testing.DockerDaemon;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Docker operations against a real daemon (see {@link DockerDaemon}): the Engine API pass-through and its
 * allow-list, the high-level ExApp operations, image pulls from a local registry, and a daemon restart.
 */
class DockerEngineTest {
    private static final String KEY = "docker-shared-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DockerDaemon docker;
    private static HarpServer harp;

    @BeforeAll
    static void start() {
        docker = DockerDaemon.shared();
        harp = Harp.start(Map.of("HP_SHARED_KEY", KEY, "NC_INSTANCE_URL", "http://127.0.0.1:9",
                "HP_DOCKER_SOCKET", docker.socket().toString()));
    }

    @AfterAll
    static void stop() {
        if (harp != null) {
            harp.stop();
        }
    }

    static HttpResponse<String> engine(String method, String path) {
        return Http.send(Http.request(harp.port(), "/exapps/app_api" + path, "harp-shared-key", KEY,
                "docker-engine-port", "24000").method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    static HttpResponse<String> op(String op, String body) {
        return Http.send(Http.request(harp.port(), "/exapps/app_api/docker/exapp/" + op, "harp-shared-key", KEY,
                        "docker-engine-port", "24000", "Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode json(HttpResponse<String> res) {
        try {
            return JSON.readTree(res.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + res.body(), e);
        }
    }

    static void cleanup(String container) {
        docker.dockerOrNull("rm", "-f", "-v", container);
        docker.dockerOrNull("volume", "rm", container + "_data");
    }

    @Test
    void pingAndImageInspectPassThroughWithTheVersionNegotiated() {
        HttpResponse<String> ping = engine("GET", "/v1.44/_ping");
        assertEquals(200, ping.statusCode(), ping.body());
        assertEquals("OK", ping.body());
        assertEquals(200, engine("GET", "/_ping").statusCode());
        HttpResponse<String> image = engine("GET", "/v1.44/images/" + DockerDaemon.PLAIN_IMAGE + "/json");
        assertEquals(200, image.statusCode(), image.body());
        assertEquals(List.of(DockerDaemon.PLAIN_IMAGE), JSON.convertValue(json(image).get("RepoTags"), List.class));
        assertTrue(image.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        HttpResponse<String> missing = engine("GET", "/v1.44/images/harp-test/nothing:1/json");
        assertEquals(404, missing.statusCode(), "the engine's own answer passes through");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /v1.44/containers/json",
            "GET, /v1.44/containers/other_app/json",
            "GET, /v1.44/containers/nc_app_x/top",
            "POST, /v1.44/containers/nc_app_x/start",
            "DELETE, /v1.44/containers/nc_app_x",
            "POST, /v1.44/containers/create",
            "DELETE, /v1.44/images/harp-test/plain:1",
            "GET, /v1.44/version",
            "GET, /v1.44/info",
            "HEAD, /v1.44/_ping",
            "POST, /v1.44/_ping",
            "GET, /v1.44/images/json",
            "GET, /v1.44/images/x%2F%2Fcontainers%2Fnc_app_x/json",
            "GET, /v1.44/images/x%00y/json",
            "GET, /v1.44/containers/nc_app_x%2Fother/json",
            "GET, /v1.44/containers/nc_app_x%2F/json",
            "POST, /v1.44/build",
            "GET, /v1.44/volumes",
            "POST, /v1.44/exec/abc/start",
            "GET, /vx/_ping",
    })
    void callsOutsideTheAllowListAreForbidden(String method, String path) {
        HttpResponse<String> res = engine(method, path);
        assertEquals(403, res.statusCode(), method + " " + path + ": " + res.body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/v1.44/images/x%2F..%2F..%2Fcontainers%2Fnc_app_x/json", "/v1.44/containers/nc_app_x%2F..%2Fother/json",
            "/v1.44/images/../containers/other/json"})
    void pathTricksNeverReachTheEngine(String path) {
        HttpResponse<String> res = engine("GET", path);
        assertTrue(res.statusCode() == 400 || res.statusCode() == 403, path + ": " + res.statusCode() + " " + res.body());
    }

    @Test
    void imagePullFromALocalRegistryIsStreamed() throws Exception {
        String ref = docker.pushToRegistry(DockerDaemon.PLAIN_IMAGE, "harp-test/pulled");
        HttpRequest request = Http.request(harp.port(), "/exapps/app_api/v1.44/images/create?fromImage="
                        + java.net.URLEncoder.encode(ref, StandardCharsets.UTF_8) + "&tag=latest", "harp-shared-key", KEY,
                "docker-engine-port", "24000").POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> res = Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (res.statusCode() != 200) {
            throw new AssertionError(res.statusCode() + " " + res.headers().map() + " " + new String(res.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(res.headers().firstValue("Content-Length").isEmpty(), "progress is streamed, not buffered");
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line).path("status").asText());
                }
            }
        }
        assertTrue(lines.size() >= 2, "progress lines: " + lines);
        assertTrue(lines.getLast().contains("Downloaded newer image"), lines.toString());
        assertEquals(200, engine("GET", "/v1.44/images/" + ref + "/json").statusCode());
        docker.docker("rmi", ref);
    }

    @Test
    void exAppLifecycle() {
        String body = "{\"name\":\"life\",\"instance_id\":\"\"}";
        cleanup("nc_app_life");
        assertEquals("{\"exists\":false}", op("exists", body).body());

        HttpResponse<String> created = op("create", "{\"name\":\"life\",\"image_id\":\"" + DockerDaemon.HEALTH_IMAGE
                + "\",\"network_mode\":\"none\",\"environment_variables\":[\"APP_ID=life\",\"X=a=b\"]}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("nc_app_life", json(created).get("name").asText());
        assertTrue(json(created).get("id").asText().matches("[0-9a-f]{64}"), created.body());
        HttpResponse<String> again = op("create", "{\"name\":\"life\",\"image\":\"" + DockerDaemon.HEALTH_IMAGE
                + "\",\"network_mode\":\"none\"}");
        assertEquals(409, again.statusCode(), again.body());

        JsonNode exists = json(op("exists", body));
        assertTrue(exists.get("exists").asBoolean());
        assertEquals(DockerDaemon.HEALTH_IMAGE, exists.get("image_ref").asText());

        assertEquals(204, op("start", body).statusCode());
        HttpResponse<String> started = op("start", body);
        assertEquals(200, started.statusCode());
        assertEquals("Container already started\n", started.body());

        HttpResponse<String> wait = op("wait_for_start", body);
        assertEquals(200, wait.statusCode(), wait.body());
        assertEquals(JSON.createObjectNode().put("started", true).put("status", "running").put("health", "healthy"),
                json(wait));

        HttpResponse<String> inspect = engine("GET", "/v1.44/containers/nc_app_life/json");
        assertEquals(200, inspect.statusCode());
        JsonNode c = json(inspect);
        assertEquals("life", c.at("/Config/Hostname").asText());
        assertTrue(JSON.convertValue(c.at("/Config/Env"), List.class).containsAll(List.of("APP_ID=life", "X=a=b")));
        assertEquals("unless-stopped", c.at("/HostConfig/RestartPolicy/Name").asText());
        assertEquals("none", c.at("/HostConfig/NetworkMode").asText());
        JsonNode mount = c.at("/Mounts/0");
        assertEquals("volume", mount.get("Type").asText());
        assertEquals("nc_app_life_data", mount.get("Name").asText());
        assertEquals("/nc_app_life_data", mount.get("Destination").asText());
        assertTrue(mount.get("RW").asBoolean());
        HttpResponse<String> logs = engine("GET", "/v1.44/containers/nc_app_life/logs?stdout=1&stderr=1");
        assertEquals(200, logs.statusCode(), logs.body());

        assertEquals(204, op("stop", body).statusCode());
        HttpResponse<String> stopped = op("stop", body);
        assertEquals(200, stopped.statusCode());
        assertEquals("Container already stopped\n", stopped.body());

        assertEquals(204, op("remove", "{\"name\":\"life\",\"remove_data\":true}").statusCode());
        assertEquals("{\"exists\":false}", op("exists", body).body());
        assertEquals("", docker.docker("volume", "ls", "-q", "--filter", "name=nc_app_life_data"));
        assertEquals(204, op("remove", "{\"name\":\"life\",\"remove_data\":true}").statusCode(), "removing twice is fine");
        assertEquals(404, op("start", body).statusCode());
        assertEquals(404, op("stop", body).statusCode());
    }

    @Test
    void createAppliesInstanceMountsLimitsAndDevices(@TempDir Path shared) throws Exception {
        Files.writeString(shared.resolve("hello"), "hi");
        String container = "nc_app_inst1_opts";
        cleanup(container);
        HttpResponse<String> created = op("create", "{\"name\":\"opts\",\"instance_id\":\"inst1\",\"image_id\":\""
                + DockerDaemon.PLAIN_IMAGE + "\",\"network_mode\":\"host\",\"restart_policy\":\"always\","
                + "\"compute_device\":\"cuda\",\"mount_points\":[{\"source\":\"" + shared + "\",\"target\":\"/shared\","
                + "\"mode\":\"ro\"}],\"resource_limits\":{\"memory\":268435456,\"nanoCPUs\":500000000}}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(container, json(created).get("name").asText());
        JsonNode c = JSON.readTree(docker.docker("inspect", container)).get(0);
        assertEquals("host", c.at("/HostConfig/NetworkMode").asText());
        assertEquals("always", c.at("/HostConfig/RestartPolicy/Name").asText());
        assertEquals(268435456L, c.at("/HostConfig/Memory").asLong());
        assertEquals(500000000L, c.at("/HostConfig/NanoCpus").asLong());
        JsonNode request = c.at("/HostConfig/DeviceRequests/0");
        assertEquals("nvidia", request.get("Driver").asText());
        assertEquals(-1, request.get("Count").asInt());
        assertEquals("[[\"compute\",\"utility\"]]", request.get("Capabilities").toString());
        JsonNode mounts = c.at("/HostConfig/Mounts");
        assertEquals("nc_app_inst1_opts_data", mounts.get(0).get("Source").asText());
        assertEquals("/nc_app_opts_data", mounts.get(0).get("Target").asText());
        assertEquals("bind", mounts.get(1).get("Type").asText());
        assertEquals(shared.toString(), mounts.get(1).get("Source").asText());
        assertEquals("/shared", mounts.get(1).get("Target").asText());
        assertTrue(mounts.get(1).get("ReadOnly").asBoolean());
        assertTrue(json(op("exists", "{\"name\":\"opts\",\"instance_id\":\"inst1\"}")).get("exists").asBoolean());
        assertFalse(json(op("exists", "{\"name\":\"opts\"}")).get("exists").asBoolean(), "the instance is part of the name");
        assertEquals(204, op("remove", "{\"name\":\"opts\",\"instance_id\":\"inst1\",\"remove_data\":true}").statusCode());

        HttpResponse<String> rocm = op("create", "{\"name\":\"rocm\",\"image_id\":\"" + DockerDaemon.PLAIN_IMAGE
                + "\",\"network_mode\":\"none\",\"compute_device\":\"rocm\"}");
        assertEquals(201, rocm.statusCode(), rocm.body());
        JsonNode devices = JSON.readTree(docker.docker("inspect", "nc_app_rocm")).get(0).at("/HostConfig/Devices");
        assertEquals("/dev/kfd", devices.get(0).get("PathOnHost").asText());
        assertEquals("/dev/dri", devices.get(1).get("PathInContainer").asText());
        assertEquals(204, op("remove", "{\"name\":\"rocm\",\"remove_data\":true}").statusCode());
    }

    @Test
    void createReportsEngineRefusals() {
        cleanup("nc_app_noimage");
        HttpResponse<String> res = op("create", "{\"name\":\"noimage\",\"image_id\":\"harp-test/absent:1\","
                + "\"network_mode\":\"none\"}");
        assertEquals(404, res.statusCode(), res.body());
        assertTrue(res.body().contains("harp-test/absent"), res.body());
        HttpResponse<String> bind = op("create", "{\"name\":\"nobind\",\"image_id\":\"" + DockerDaemon.PLAIN_IMAGE
                + "\",\"network_mode\":\"none\",\"mount_points\":[{\"source\":\"/nonexistent/dir\",\"target\":\"/x\"}]}");
        assertEquals(400, bind.statusCode(), bind.body());
        cleanup("nc_app_noimage");
        cleanup("nc_app_nobind");
    }

    @Test
    void waitForStartReportsEachOutcome() {
        for (String name : List.of("plain", "sick", "quits")) {
            cleanup("nc_app_" + name);
        }
        assertEquals(201, op("create", "{\"name\":\"plain\",\"image_id\":\"" + DockerDaemon.PLAIN_IMAGE
                + "\",\"network_mode\":\"none\"}").statusCode());
        assertEquals(201, op("create", "{\"name\":\"sick\",\"image_id\":\"" + DockerDaemon.HEALTH_IMAGE
                + "\",\"network_mode\":\"none\",\"environment_variables\":[\"MODE=unhealthy\"]}").statusCode());
        assertEquals(201, op("create", "{\"name\":\"quits\",\"image_id\":\"" + DockerDaemon.PLAIN_IMAGE
                + "\",\"network_mode\":\"none\",\"restart_policy\":\"no\",\"environment_variables\":[\"MODE=exit\"]}")
                .statusCode());
        for (String name : List.of("plain", "sick", "quits")) {
            assertEquals(204, op("start", "{\"name\":\"" + name + "\"}").statusCode());
        }
        JsonNode plain = json(op("wait_for_start", "{\"name\":\"plain\"}"));
        assertTrue(plain.get("started").asBoolean(), plain.toString());
        assertTrue(plain.get("health").isNull(), "no health check: " + plain);
        JsonNode sick = json(op("wait_for_start", "{\"name\":\"sick\"}"));
        assertEquals(JSON.createObjectNode().put("started", true).put("reason", "unhealthy").put("status", "running")
                .put("health", "unhealthy"), sick);
        JsonNode quits = json(op("wait_for_start", "{\"name\":\"quits\"}"));
        assertFalse(quits.get("started").asBoolean(), quits.toString());
        assertEquals("exited", quits.get("status").asText());
        HttpResponse<String> none = op("wait_for_start", "{\"name\":\"never-created\"}");
        assertEquals(404, none.statusCode());
        assertEquals("not_found", json(none).get("status").asText());
        assertFalse(json(none).get("started").asBoolean());
        for (String name : List.of("plain", "sick", "quits")) {
            assertEquals(204, op("remove", "{\"name\":\"" + name + "\",\"remove_data\":true}").statusCode());
        }
    }

    @Test
    void volumeInUseIsNotRemoved() {
        cleanup("nc_app_owner");
        cleanup("nc_app_borrower");
        assertEquals(201, op("create", "{\"name\":\"owner\",\"image_id\":\"" + DockerDaemon.PLAIN_IMAGE
                + "\",\"network_mode\":\"none\"}").statusCode());
        assertEquals(201, op("create", "{\"name\":\"borrower\",\"image_id\":\"" + DockerDaemon.PLAIN_IMAGE
                + "\",\"network_mode\":\"none\",\"mount_points\":[{\"source\":\"nc_app_owner_data\",\"target\":\"/b\"}]}")
                .statusCode());
        HttpResponse<String> res = op("remove", "{\"name\":\"owner\",\"remove_data\":true}");
        assertEquals(409, res.statusCode(), res.body());
        assertEquals("Volume nc_app_owner_data is in use\n", res.body());
        assertEquals(204, op("remove", "{\"name\":\"borrower\",\"remove_data\":true}").statusCode());
        assertEquals(204, op("remove", "{\"name\":\"owner\",\"remove_data\":true}").statusCode());
    }

    @Test
    void imageRemove() {
        docker.docker("tag", DockerDaemon.PLAIN_IMAGE, "harp-test/doomed:1");
        JsonNode deleted = json(op("image_remove", "{\"image_ref\":\"harp-test/doomed:1\"}"));
        assertTrue(deleted.get("deleted").asBoolean(), deleted.toString());
        assertTrue(deleted.get("bytes_freed").asLong() > 0, deleted.toString());
        assertEquals("{\"deleted\":true,\"bytes_freed\":0,\"reason\":\"not_found\"}",
                op("image_remove", "{\"image_ref\":\"harp-test/doomed:1\"}").body());

        cleanup("nc_app_user");
        assertEquals(201, op("create", "{\"name\":\"user\",\"image_id\":\"" + DockerDaemon.HEALTH_IMAGE
                + "\",\"network_mode\":\"none\"}").statusCode());
        String id = docker.docker("image", "inspect", "-f", "{{.Id}}", DockerDaemon.HEALTH_IMAGE);
        assertEquals("{\"deleted\":false,\"reason\":\"in_use\"}",
                op("image_remove", "{\"image_ref\":\"" + id + "\"}").body());
        assertEquals(204, op("remove", "{\"name\":\"user\",\"remove_data\":true}").statusCode());
    }

    @Test
    void installCertificatesInAStoppedContainer() throws Exception {
        cleanup("nc_app_certs");
        assertEquals(201, op("create", "{\"name\":\"certs\",\"image_id\":\"" + DockerDaemon.PLAIN_IMAGE
                + "\",\"network_mode\":\"none\"}").statusCode());
        String one = "-----BEGIN CERTIFICATE-----\nQUFBQQ==\n-----END CERTIFICATE-----";
        String two = "-----BEGIN CERTIFICATE-----\nQkJCQg==\n-----END CERTIFICATE-----";
        String bundle = JSON.writeValueAsString(one + "\n" + two + "\n");
        HttpResponse<String> res = op("install_certificates", "{\"name\":\"certs\",\"system_certs_bundle\":" + bundle
                + ",\"install_frp_certs\":false}");
        assertEquals(204, res.statusCode(), res.body());
        assertEquals("false", docker.docker("inspect", "-f", "{{.State.Running}}", "nc_app_certs"),
                "a container started for the certificates is stopped again");
        assertEquals(204, op("start", "{\"name\":\"certs\"}").statusCode());
        String installed = docker.docker("exec", "nc_app_certs", "cat", "/etc/ssl/certs/ca-certificates.crt");
        assertTrue(installed.contains("QUFBQQ==") && installed.contains("QkJCQg=="), installed);
        assertEquals(204, op("install_certificates", "{\"name\":\"certs\",\"system_certs_bundle\":" + bundle + "}")
                .statusCode(), "a running container stays running");
        assertEquals("true", docker.docker("inspect", "-f", "{{.State.Running}}", "nc_app_certs"));
        assertEquals(404, op("install_certificates", "{\"name\":\"nothing-here\"}").statusCode());
        HttpResponse<String> bad = op("install_certificates", "{\"name\":\"certs\",\"system_certs_bundle\":\"junk\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("system_certs_bundle"), bad.body());
        assertEquals(204, op("remove", "{\"name\":\"certs\",\"remove_data\":true}").statusCode());
    }

    @Test
    void infoReportsTheEngine() {
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/app_api/info", "harp-shared-key", KEY);
        JsonNode info = json(res);
        assertTrue(info.get("docker").asBoolean(), res.body());
        assertEquals("unix://" + docker.socket(), info.at("/docker_engines/0/address").asText());
        assertTrue(info.at("/docker_engines/0/reachable").asBoolean());
    }

    @Test
    void aDaemonRestartNeedsNoHarpRestart() {
        assertEquals(200, engine("GET", "/v1.44/_ping").statusCode());
        docker.stop();
        try {
            HttpResponse<String> down = op("exists", "{\"name\":\"any\"}");
            assertEquals(503, down.statusCode(), down.body());
            assertEquals("Could not connect to Docker Engine on port 24000\n", down.body());
            HttpResponse<String> ping = engine("GET", "/v1.44/_ping");
            assertEquals(503, ping.statusCode(), ping.body());
            assertFalse(json(Http.get(harp.port(), "/exapps/app_api/info", "harp-shared-key", KEY)).get("docker")
                    .asBoolean());
        } finally {
            docker.start();
        }
        assertEquals(200, engine("GET", "/v1.44/_ping").statusCode());
        assertEquals("{\"exists\":false}", op("exists", "{\"name\":\"any\"}").body());
        assertTrue(json(Http.get(harp.port(), "/exapps/app_api/info", "harp-shared-key", KEY)).get("docker")
                .asBoolean());
        assertNotEquals(0, harp.port());
    }
}

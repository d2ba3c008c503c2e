package org.harpjava.server.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.server.HarpServer;
import org.harpjava.server.config.CertificateFile;
import org.harpjava.server.config.ConfigException;
import org.harpjava.server.config.ConfigLoader;
import org.harpjava.server.config.HarpConfig;
import org.harpjava.server.testing.FakeDockerEngine;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Docker Engines on TCP with TLS and client certificates, as Docker's {@code --tlsverify} sets them up. The
 * certificates are made by {@code openssl} for each run; the engines are small fake HTTPS servers that require a
 * client certificate.
 */
class DockerTlsTest {
    private static final String KEY = "docker-tls-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static final List<FakeDockerEngine> engines = new ArrayList<>();
    private static FakeDockerEngine good;
    private static ServerSocket mute;
    private static HarpServer harp;

    /** An engine speaking API 1.44 over TLS, requiring a client certificate issued by {@code clientCa}. */
    private static FakeDockerEngine engine(String cert, String key, String clientCa) throws Exception {
        return engine(cert, key, clientCa, true);
    }

    private static FakeDockerEngine engine(String cert, String key, String clientCa, boolean answer) throws Exception {
        KeyStore own = KeyStore.getInstance("PKCS12");
        own.load(null, null);
        own.setKeyEntry("engine", CertificateFile.privateKey(dir.resolve(key), "key"), new char[0],
                CertificateFile.certificates(dir.resolve(cert), "cert").toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(own, new char[0]);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", CertificateFile.certificates(dir.resolve(clientCa), "ca").getFirst());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        return new FakeDockerEngine(server, "1.44", "some/image:3", answer, false);
    }

    private static boolean openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(String... args) {
        assertTrue(openssl(args), "openssl " + String.join(" ", args));
    }

    /** A CA {@code name}.pem with its key {@code name}-key.pem. */
    private static void ca(String name) {
        run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + name);
    }

    /** A certificate {@code name}.pem with key {@code name}-key.pem issued by {@code ca} with extensions {@code ext}. */
    private static void issue(String name, String ca, String ext) throws IOException {
        Files.writeString(dir.resolve(name + ".ext"), ext + "\n");
        run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", "/CN=" + name);
        run("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + "-key.pem", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    private static String engineYaml(int port, FakeDockerEngine engine, String tls) {
        return "    - port: " + port + "\n      address: 127.0.0.1:" + engine.port() + "\n      tls: " + tls + "\n";
    }

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        assumeTrue(openssl("version"), "openssl is not installed");
        ca("ca");
        ca("other-ca");
        String server = "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth";
        String client = "extendedKeyUsage=clientAuth";
        issue("engine", "ca", server);
        issue("stranger", "other-ca", server);
        issue("misnamed", "ca", "subjectAltName=DNS:engine.example\nextendedKeyUsage=serverAuth");
        issue("client", "ca", client);

        good = engine("engine.pem", "engine-key.pem", "ca.pem");
        FakeDockerEngine untrusted = engine("stranger.pem", "stranger-key.pem", "ca.pem");
        FakeDockerEngine picky = engine("engine.pem", "engine-key.pem", "other-ca.pem");
        FakeDockerEngine misnamed = engine("misnamed.pem", "misnamed-key.pem", "ca.pem");
        FakeDockerEngine silent = engine("engine.pem", "engine-key.pem", "ca.pem", false);
        engines.addAll(List.of(good, untrusted, picky, misnamed, silent));
        mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        String full = "{ca: " + dir.resolve("ca.pem") + ", cert: " + dir.resolve("client.pem") + ", key: "
                + dir.resolve("client-key.pem") + "}";
        Path yaml = dir.resolve("harp.yaml");
        Files.writeString(yaml, "harp:\n  docker-engines:\n"
                + engineYaml(24011, good, full)
                + engineYaml(24012, untrusted, full)
                + engineYaml(24013, good, "{ca: " + dir.resolve("ca.pem") + "}")
                + engineYaml(24014, picky, full)
                + engineYaml(24015, misnamed, full)
                + engineYaml(24016, silent, full)
                + "    - port: 24017\n      address: 127.0.0.1:" + mute.getLocalPort() + "\n      tls: " + full + "\n");
        harp = Harp.start(Map.of("HP_SHARED_KEY", KEY, "NC_INSTANCE_URL", "http://127.0.0.1:9",
                "HP_TIMEOUT_CONNECT", "1s", "HP_TIMEOUT_SERVER", "1s", "HP_DOCKER_SOCKET", "off"), yaml);
    }

    @AfterAll
    static void stop() throws IOException {
        if (harp != null) {
            harp.stop();
        }
        for (FakeDockerEngine e : engines) {
            e.close();
        }
        if (mute != null) {
            mute.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, String body, int enginePort) {
        HttpRequest.Builder b = Http.request(harp.port(), "/exapps/app_api" + path, "harp-shared-key", KEY,
                "docker-engine-port", String.valueOf(enginePort));
        return Http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void theRightClientCertificateReachesTheEngine() {
        good.requests().clear();
        HttpResponse<String> ping = send("GET", "/v1.44/_ping", null, 24011);
        assertEquals(200, ping.statusCode(), ping.body());
        assertEquals("OK", ping.body());
        HttpResponse<String> exists = send("POST", "/docker/exapp/exists", "{\"name\":\"known\"}", 24011);
        assertEquals(200, exists.statusCode(), exists.body());
        assertEquals("{\"exists\":true,\"image_ref\":\"some/image:3\"}", exists.body());
        assertTrue(good.requests().contains("GET /v1.44/containers/nc_app_known/json HTTP/1.1"), good.requests().toString());
    }

    @Test
    void infoShowsTheEnginesWithTlsAndWhichAreReachable() throws IOException {
        HttpResponse<String> res = Http.get(harp.port(), "/exapps/app_api/info", "harp-shared-key", KEY);
        assertEquals(200, res.statusCode(), res.body());
        JsonNode info = JSON.readTree(res.body());
        assertTrue(info.get("docker").asBoolean(), res.body());
        for (JsonNode engine : info.get("docker_engines")) {
            int port = engine.get("port").asInt();
            assertTrue(engine.get("address").asText().startsWith("tcp+tls://127.0.0.1:"), res.body());
            assertEquals(port == 24011, engine.get("reachable").asBoolean(), res.body());
        }
        assertFalse(res.body().contains("PRIVATE"), res.body());
    }

    private static void assertRefused(int enginePort, String expected) {
        long start = System.nanoTime();
        HttpResponse<String> res = send("POST", "/docker/exapp/exists", "{\"name\":\"known\"}", enginePort);
        assertEquals(502, res.statusCode(), res.body());
        assertTrue(res.body().startsWith("TLS with Docker Engine on port " + enginePort + " (tcp+tls://127.0.0.1:"),
                res.body());
        assertTrue(res.body().contains(expected), res.body());
        assertEquals(1, res.body().strip().lines().count(), res.body());
        assertTrue(System.nanoTime() - start < 4_000_000_000L, "no wait for a timeout");
    }

    @Test
    void anEngineCertificateFromAnotherCaIsRefused() {
        assertRefused(24012, "the engine's certificate is not issued by the CA in " + dir.resolve("ca.pem"));
    }

    @Test
    void anEngineCertificateForAnotherHostIsRefused() {
        assertRefused(24015, "the engine's certificate does not name 127.0.0.1");
    }

    @Test
    void anEngineRefusesAMissingClientCertificate() {
        assertRefused(24013, "it may require a client certificate, which is not configured");
    }

    @Test
    void anEngineRefusesAClientCertificateFromACaItDoesNotTrust() {
        assertRefused(24014, "it may not accept the client certificate in " + dir.resolve("client.pem"));
    }

    @Test
    void anEngineSilentAfterTheHandshakeTimesOut() {
        long start = System.nanoTime();
        HttpResponse<String> res = send("GET", "/_ping", null, 24016);
        assertEquals(504, res.statusCode(), res.body());
        assertEquals("Timed out waiting for Docker Engine on port 24016\n", res.body());
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }

    @Test
    void anEngineThatNeverAnswersTheHandshakeTimesOut() {
        long start = System.nanoTime();
        HttpResponse<String> res = send("GET", "/_ping", null, 24017);
        assertEquals(504, res.statusCode(), res.body());
        assertTrue(res.body().startsWith("Timed out in the TLS handshake with Docker Engine on port 24017"
                + " (tcp+tls://127.0.0.1:"), res.body());
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }

    // configuration

    private static HarpConfig load(String tls) throws IOException {
        Path yaml = dir.resolve("check.yaml");
        Files.writeString(yaml, "harp:\n  docker-socket: off\n  docker-engines:\n    - port: 24020\n"
                + "      address: 127.0.0.1:2376\n      tls: " + tls + "\n");
        return ConfigLoader.load(Map.of("HP_SHARED_KEY", "k", "NC_INSTANCE_URL", "http://nc"), Optional.of(yaml));
    }

    private String files(String ca, String cert, String key) {
        StringBuilder b = new StringBuilder("{ca: ").append(dir.resolve(ca));
        if (cert != null) {
            b.append(", cert: ").append(dir.resolve(cert));
        }
        if (key != null) {
            b.append(", key: ").append(dir.resolve(key));
        }
        return b.append("}").toString();
    }

    private void assertStops(String tls, String field, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(tls), tls);
        String m = e.getMessage();
        assertTrue(m.startsWith("harp.docker-engines[0].tls" + field), m);
        assertTrue(m.contains(expected), m);
        assertFalse(m.contains("\n") || m.contains("BEGIN") || m.contains("PRIVATE KEY-"), m);
    }

    @Test
    void tlsFilesAreConfigured() throws IOException {
        HarpConfig config = load(files("ca.pem", "client.pem", "client-key.pem"));
        EngineAddress.Tcp tcp = (EngineAddress.Tcp) config.dockerEngines().get(24020);
        assertEquals("tcp+tls://127.0.0.1:2376", tcp.toString());
        assertEquals(dir.resolve("ca.pem"), tcp.tls().orElseThrow().ca());
        assertEquals(Optional.of(dir.resolve("client-key.pem")), tcp.tls().orElseThrow().key());
        assertFalse(tcp.toString().contains("PRIVATE"));
    }

    @Test
    void unusableTlsFilesStopStartUpNamingTheField() throws IOException {
        Files.writeString(dir.resolve("garbage.pem"), "not a PEM file\n");
        Files.writeString(dir.resolve("bad-cert.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("bad-key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertTrue(openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "legacy-key.pem"));

        assertStops(files("missing.pem", "client.pem", "client-key.pem"), ".ca", "missing.pem cannot be read");
        assertStops(files("garbage.pem", "client.pem", "client-key.pem"), ".ca", "holds no PEM certificate");
        assertStops(files("bad-cert.pem", "client.pem", "client-key.pem"), ".ca", "cannot be decoded");
        assertStops(files("ca.pem", "missing.pem", "client-key.pem"), ".cert", "missing.pem cannot be read");
        assertStops(files("ca.pem", "client.pem", "missing.pem"), ".key", "missing.pem cannot be read");
        assertStops(files("ca.pem", "client.pem", "client.pem"), ".key", "must hold exactly one private key, found 0");
        assertStops(files("ca.pem", "client.pem", "bad-key.pem"), ".key", "cannot be decoded");
        assertStops(files("ca.pem", "client.pem", "legacy-key.pem"), ".key",
                "\"EC PRIVATE KEY\"; convert it to an unencrypted PKCS#8 key: openssl pkcs8 -topk8 -nocrypt -in "
                        + dir.resolve("legacy-key.pem"));
        assertStops(files("ca.pem", "client.pem", "engine-key.pem"), ".key", "is not the key of the certificate in"
                + " harp.docker-engines[0].tls.cert (" + dir.resolve("client.pem") + ")");
        assertStops(files("ca.pem", "client.pem", null), ".key", "is required with harp.docker-engines[0].tls.cert");
        assertStops(files("ca.pem", null, "client-key.pem"), ".cert", "is required with harp.docker-engines[0].tls.key");
        assertStops("{cert: " + dir.resolve("client.pem") + ", key: " + dir.resolve("client-key.pem") + "}", ".ca",
                "is required");
        assertStops("{ca: " + dir.resolve("ca.pem") + ", cacert: x}", ".cacert", "is not a setting");
        assertStops("yes", "", "must be a section");
    }

    @Test
    void tlsNeedsATcpAddress() throws IOException {
        Path yaml = dir.resolve("unix.yaml");
        Files.writeString(yaml, "harp:\n  docker-engines:\n    - port: 24020\n      socket: /run/d.sock\n"
                + "      tls: " + files("ca.pem", null, null) + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                Map.of("HP_SHARED_KEY", "k", "NC_INSTANCE_URL", "http://nc"), Optional.of(yaml)));
        assertEquals("harp.docker-engines[0].tls applies to a TCP address only, not to a unix socket", e.getMessage());
    }
}

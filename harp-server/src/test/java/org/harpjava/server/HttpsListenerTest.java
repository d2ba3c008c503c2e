package org.harpjava.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.server.config.ConfigException;
import org.harpjava.server.testing.FakeNextcloud;
import org.harpjava.server.testing.Harp;
import org.harpjava.server.testing.Http;
import org.harpjava.server.testing.TestExApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTTPS listener ({@code HP_EXAPPS_HTTPS_ADDRESS}), on when the certificate file ({@code /certs/cert.pem},
 * {@code HP_CERT_FILE} here) exists. As for HaRP's HAProxy, that one PEM file holds the private key and the
 * certificate chain. Certificates are made by {@code openssl} at test time.
 */
class HttpsListenerTest {
    private static final String KEY = "https-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static TestExApp exapp;
    private static FakeNextcloud nextcloud;
    private static Path certificate;
    private static Path privateKey;
    private final List<HarpServer> servers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        certificate = dir.resolve("cert-only.pem");
        privateKey = dir.resolve("key-only.pem");
        assumeTrue(openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", privateKey.toString(), "-out", certificate.toString()), "openssl is not installed");
        exapp = new TestExApp();
        nextcloud = new FakeNextcloud(KEY).app("app", "secret", exapp.port(), "[{\"url\":\"^/\",\"access_level\":0}]");
    }

    @AfterAll
    static void stop() {
        if (nextcloud != null) {
            nextcloud.close();
            exapp.close();
        }
    }

    @AfterEach
    void stopServers() {
        servers.forEach(HarpServer::stop);
    }

    /** Runs openssl; false when it is not installed. */
    private static boolean openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return false;
        }
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + output);
        return true;
    }

    private static Path pem(String name, Path... parts) throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path p : parts) {
            all.append(Files.readString(p));
        }
        return Files.writeString(dir.resolve(name), all);
    }

    private HarpServer harp(Path certFile) {
        return harp(certFile, Map.of());
    }

    private HarpServer harp(Path certFile, Map<String, String> extra) {
        Map<String, String> env = Harp.nextcloud(nextcloud, KEY);
        env.putAll(extra);
        env.put("HP_EXAPPS_HTTPS_ADDRESS", "127.0.0.1:0");
        env.put("HP_CERT_FILE", certFile.toString());
        HarpServer server = Harp.start(env);
        servers.add(server);
        return server;
    }

    private static HttpClient trusting(Path certFile) throws Exception {
        return HttpClient.newBuilder().sslContext(trustingContext(certFile)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** TLS that trusts exactly the certificate in {@code certFile}. */
    private static SSLContext trustingContext(Path certFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certFile)) {
            trust.setCertificateEntry("harp", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void assertServesHttps(Path certFile) throws Exception {
        HarpServer harp = harp(certFile);
        assertTrue(harp.httpsPort() > 0, "the HTTPS listener is on");
        HttpResponse<String> res = get(trusting(certificate), "https://127.0.0.1:" + harp.httpsPort() + "/exapps/app/echo");
        assertEquals(200, res.statusCode(), res.body());
        JsonNode headers = JSON.readTree(res.body()).get("headers");
        assertEquals("https", headers.get("x-forwarded-proto").get(0).asText());
        assertEquals(200, Http.get(harp.port(), "/exapps/app/plain").statusCode(), "plain HTTP still served");
    }

    @Test
    void largeBodiesCrossTheHttpsListenerIntact() throws Exception {
        Path certFile = pem("streams.pem", certificate, privateKey);
        HarpServer harp = harp(certFile);
        HttpClient client = trusting(certificate);
        String base = "https://127.0.0.1:" + harp.httpsPort() + "/exapps/app/";
        long size = 64L << 20;
        for (String framing : List.of("&fixed=true", "")) {
            HttpResponse<InputStream> res = client.send(HttpRequest.newBuilder(URI.create(base + "download?size=" + size
                    + "&seed=21" + framing)).timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, res.statusCode());
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            long total = 0;
            try (InputStream in = res.body()) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    sha.update(buf, 0, n);
                    total += n;
                }
            }
            assertEquals(size, total, framing);
            assertEquals(TestExApp.sha256(size, 21), java.util.HexFormat.of().formatHex(sha.digest()), framing);
        }
        HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create(base + "upload"))
                .timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> TestExApp.bytes(size, 22))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, up.statusCode(), up.body());
        JsonNode got = JSON.readTree(up.body());
        assertEquals(size, got.get("bytes").asLong());
        assertEquals(TestExApp.sha256(size, 22), got.get("sha256").asText());
    }

    @Test
    void certificateFollowedByKey() throws Exception {
        assertServesHttps(pem("cert-then-key.pem", certificate, privateKey));
    }

    @Test
    void keyFollowedByCertificate() throws Exception {
        assertServesHttps(pem("key-then-cert.pem", privateKey, certificate));
    }

    @Test
    void traditionalRsaKey() throws Exception {
        Path rsa = dir.resolve("rsa-key.pem");
        openssl("rsa", "-in", privateKey.toString(), "-out", rsa.toString(), "-traditional");
        assertTrue(Files.readString(rsa).contains("BEGIN RSA PRIVATE KEY"));
        assertServesHttps(pem("cert-then-rsa-key.pem", certificate, rsa));
    }

    @Test
    void clientWithoutApplicationProtocolNegotiation() throws Exception {
        HarpServer harp = harp(pem("plain-tls.pem", certificate, privateKey));
        try (SSLSocket socket = (SSLSocket) trustingContext(certificate).getSocketFactory().createSocket("127.0.0.1", harp.httpsPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /exapps/app/page HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", response);
        }
    }

    @Test
    void clientThatNeverCompletesItsHandshakeIsClosedAfterTheClientTimeout() throws Exception {
        HarpServer harp = harp(pem("slow-handshake.pem", certificate, privateKey), Map.of("HP_TIMEOUT_CLIENT", "1s"));
        byte[] partialClientHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
        for (byte[] sent : List.of(new byte[0], partialClientHello)) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), harp.httpsPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(sent);
                socket.getOutputStream().flush();
                long start = System.nanoTime();
                try {
                    // At most a TLS alert, then the end of the stream.
                    socket.getInputStream().readAllBytes();
                } catch (SocketException reset) {
                    // closed as well
                }
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(waited >= 500 && waited < 5_000, "closed after about a second, not " + waited + " ms");
            }
        }
    }

    @Test
    void clientsThatDoNotTrustTheCertificateAreRefused() throws Exception {
        HarpServer harp = harp(pem("refused.pem", certificate, privateKey));
        HttpClient strict = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(SSLHandshakeException.class,
                () -> get(strict, "https://127.0.0.1:" + harp.httpsPort() + "/exapps/app/echo"));
    }

    @Test
    void unusableCertificateFilesStopStartUpWithOneLine() throws Exception {
        Path ec = dir.resolve("ec-key.pem");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ec.toString());
        String keyText = Files.readString(privateKey);
        String keyBody = keyText.substring(keyText.indexOf('\n') + 1, keyText.indexOf('\n') + 40);
        Map<String, String> cases = Map.of(
                "garbage.pem", "not a pem file\n",
                "key-only.pem", keyText,
                "cert-only.pem", Files.readString(certificate),
                "two-keys.pem", keyText + Files.readString(certificate) + keyText,
                "ec.pem", Files.readString(certificate) + Files.readString(ec),
                "broken-key.pem", Files.readString(certificate) + keyText.replace(keyBody, "!!!" + keyBody.substring(3)));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = Files.writeString(dir.resolve(c.getKey()), c.getValue());
            ConfigException e = assertThrows(ConfigException.class, () -> harp(file), c.getKey());
            assertTrue(e.getMessage().startsWith("HP_CERT_FILE"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertFalse(e.getMessage().contains(keyBody.substring(3, 30)), "no key material: " + e.getMessage());
        }
    }

    @Test
    void noCertificateFileNoHttps() {
        HarpServer harp = harp(dir.resolve("absent.pem"));
        assertEquals(-1, harp.httpsPort());
        assertTrue(harp.config().httpsAddress().isEmpty());
    }
}

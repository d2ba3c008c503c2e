package org.harpjava.server.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.server.proxy.Replies;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code install_certificates}: copies the given CA certificates into an ExApp container and runs its OS's CA
 * update ({@code update-ca-certificates} on Alpine, Debian and Ubuntu; {@code update-ca-trust extract} on the Red
 * Hat family), plus the FRP client certificates when there are any. A stopped container is started for this and
 * stopped again afterwards.
 */
final class Certificates {
    /** Where harp-server keeps the FRP certificates it hands to ExApps, as HaRP does. */
    static final Path FRP_CERTS = Path.of("/certs/frp");

    private static final System.Logger LOG = System.getLogger(Certificates.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----");

    private Certificates() {
    }

    static void install(ServerResponse res, EngineClient engine, Payload p, ExAppOperations.Deadline deadline,
                        String prefix) throws Payload.Invalid, EngineException {
        String name = p.string("name", Names::appName,
                "must be 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or digit");
        String instance = p.string("instance_id", "", Names::instanceId,
                "must be up to 64 letters, digits, '_', '.' or '-'");
        String container = Names.containerOf(name, instance);
        String bundle = p.string("system_certs_bundle", "", s -> true, "");
        boolean frp = p.bool("install_frp_certs", true);
        List<String> certificates = new ArrayList<>();
        Matcher m = PEM.matcher(bundle);
        while (m.find()) {
            certificates.add(m.group() + "\n");
        }
        if (!bundle.isBlank() && certificates.isEmpty()) {
            throw Payload.invalid("system_certs_bundle", "holds no PEM certificate");
        }

        EngineClient.Answer inspect = ExAppOperations.call(engine, deadline,
                EngineClient.Request.of("GET", prefix + "/containers/" + container + "/json"));
        if (inspect.status() == 404) {
            Replies.text(res, 404, "Container " + container + " not found");
            return;
        }
        if (inspect.status() != 200) {
            ExAppOperations.unexpected(res, engine, inspect, "Could not inspect container " + container);
            return;
        }
        boolean running = parse(inspect.body()).path("State").path("Running").asBoolean(false);
        String base = prefix + "/containers/" + container;
        if (!running) {
            EngineClient.Answer start = ExAppOperations.call(engine, deadline, EngineClient.Request.of("POST", base + "/start"));
            if (start.status() != 204 && start.status() != 304) {
                ExAppOperations.unexpected(res, engine, start, "Could not start container " + container);
                return;
            }
        }
        String failure = null;
        try {
            if (!certificates.isEmpty()) {
                Exec osRelease = exec(engine, deadline, prefix, container, "cat", "/etc/os-release");
                boolean redHat = redHatFamily(osRelease.stdout());
                String dir = redHat ? "/etc/pki/ca-trust/source/anchors" : "/usr/local/share/ca-certificates";
                Map<String, byte[]> files = new LinkedHashMap<>();
                for (int i = 0; i < certificates.size(); i++) {
                    files.put("nextcloud-ca-" + i + ".crt", certificates.get(i).getBytes(StandardCharsets.US_ASCII));
                }
                copy(engine, deadline, prefix, container, dir, files);
                Exec update = redHat ? exec(engine, deadline, prefix, container, "update-ca-trust", "extract")
                        : exec(engine, deadline, prefix, container, "update-ca-certificates");
                if (update.exitCode() != 0) {
                    failure = "Updating the CA certificates of " + container + " failed (exit code "
                            + update.exitCode() + "): " + update.stdout().strip();
                }
            }
            if (failure == null && frp && Files.isDirectory(FRP_CERTS)) {
                Map<String, byte[]> files = new LinkedHashMap<>();
                for (String f : List.of("ca.crt", "client.crt", "client.key")) {
                    Path path = FRP_CERTS.resolve(f);
                    if (Files.isRegularFile(path)) {
                        try {
                            files.put(f, Files.readAllBytes(path));
                        } catch (IOException e) {
                            LOG.log(System.Logger.Level.WARNING, "Cannot read " + path + ": " + e.getMessage());
                        }
                    }
                }
                if (!files.isEmpty()) {
                    copy(engine, deadline, prefix, container, "/certs/frp", files);
                }
            }
        } finally {
            if (!running) {
                try {
                    ExAppOperations.call(engine, deadline, EngineClient.Request.of("POST", base + "/stop"));
                } catch (EngineException e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not stop container " + container
                            + " again after installing certificates: " + e.getMessage());
                }
            }
        }
        if (failure != null) {
            Replies.text(res, 500, failure);
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Installed " + certificates.size() + " CA certificate(s) in container "
                + container);
        res.status(204).send();
    }

    static boolean redHatFamily(String osRelease) {
        String ids = "";
        for (String line : osRelease.split("\n")) {
            if (line.startsWith("ID=") || line.startsWith("ID_LIKE=")) {
                ids += " " + line.substring(line.indexOf('=') + 1).replace("\"", "").toLowerCase(Locale.ROOT);
            }
        }
        return ids.matches(".*\\b(rhel|fedora|centos|rocky|almalinux|ol|amzn)\\b.*");
    }

    private static JsonNode parse(String body) throws EngineException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.BROKEN, "invalid JSON from the Docker Engine", e);
        }
    }

    /** What a command run in the container printed (stdout and stderr) and its exit code. */
    record Exec(String stdout, int exitCode) {
    }

    static Exec exec(EngineClient engine, ExAppOperations.Deadline deadline, String prefix, String container,
                     String... command) throws EngineException {
        ObjectNode create = JSON.createObjectNode().put("AttachStdout", true).put("AttachStderr", true);
        command(create, command);
        EngineClient.Answer created = ExAppOperations.call(engine, deadline,
                EngineClient.Request.json("POST", prefix + "/containers/" + container + "/exec", create));
        if (created.status() != 201) {
            throw new EngineException(EngineException.Kind.BROKEN, "Could not run " + command[0] + " in "
                    + container + ": " + created.message(), null);
        }
        String id = parse(created.body()).path("Id").asText("");
        if (!id.matches("[0-9a-f]{1,128}")) {
            throw new EngineException(EngineException.Kind.BROKEN, "invalid exec id from the Docker Engine", null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EngineResponse started = engine.send(EngineClient.Request.json("POST", prefix + "/exec/" + id + "/start",
                JSON.createObjectNode().put("Detach", false).put("Tty", false)), deadline.left(engine), false)) {
            if (started.status() != 200) {
                throw new EngineException(EngineException.Kind.BROKEN, "Could not run " + command[0] + " in "
                        + container + ": " + started.message(), null);
            }
            demultiplex(started.body(), out);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.BROKEN, e.getMessage(), e);
        }
        EngineClient.Answer result = ExAppOperations.call(engine, deadline,
                EngineClient.Request.of("GET", prefix + "/exec/" + id + "/json"));
        int code = result.status() == 200 ? parse(result.body()).path("ExitCode").asInt(-1) : -1;
        return new Exec(out.toString(StandardCharsets.UTF_8), code);
    }

    private static void command(ObjectNode create, String... command) {
        var cmd = create.putArray("Cmd");
        for (String c : command) {
            cmd.add(c);
        }
    }

    /** Reads the engine's multiplexed stdout/stderr stream (8-byte frame headers) into {@code out}. */
    static void demultiplex(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] header = new byte[8];
        while (true) {
            int n = in.readNBytes(header, 0, 8);
            if (n < 8) {
                return;
            }
            int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                    | (header[7] & 0xff);
            byte[] frame = in.readNBytes(size);
            if (out.size() < (1 << 20)) {
                out.write(frame);
            }
            if (frame.length < size) {
                return;
            }
        }
    }

    /** Creates {@code dir} in the container and uploads {@code files} into it. */
    private static void copy(EngineClient engine, ExAppOperations.Deadline deadline, String prefix, String container,
                             String dir, Map<String, byte[]> files) throws EngineException {
        Exec mkdir = exec(engine, deadline, prefix, container, "mkdir", "-p", dir);
        if (mkdir.exitCode() != 0) {
            throw new EngineException(EngineException.Kind.BROKEN, "Could not create " + dir + " in " + container
                    + ": " + mkdir.stdout().strip(), null);
        }
        EngineClient.Request put = new EngineClient.Request("PUT", prefix + "/containers/" + container
                + "/archive?path=" + dir, List.of(Map.entry("Content-Type", "application/x-tar")), Tar.of(files), null);
        EngineClient.Answer a = ExAppOperations.call(engine, deadline, put);
        if (a.status() != 200) {
            throw new EngineException(EngineException.Kind.BROKEN, "Could not copy files to " + dir + " in "
                    + container + ": " + a.message(), null);
        }
    }
}

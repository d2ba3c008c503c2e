package org.harpjava.server.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Docker daemon for tests: Debian's {@code dockerd}, run as root on a private socket and data directory
 * under a temporary directory, without iptables or a bridge (containers use host or no networking). One daemon
 * serves the whole test run; it is stopped and its directory removed when the JVM exits. Tests that need it skip
 * (with the reason) when not root or when {@code dockerd}, the {@code docker} CLI or a static busybox is missing.
 *
 * <p>Test images are built locally ({@code FROM scratch} with the static busybox), so no registry is needed; a
 * local {@code docker-registry} on 127.0.0.1 serves them for the pull path.
 */
public final class DockerDaemon {
    /** An image with a health check: healthy unless started with {@code MODE=unhealthy}; exits with {@code MODE=exit}. */
    public static final String HEALTH_IMAGE = "harp-test/health:1";
    /** The same without a health check. */
    public static final String PLAIN_IMAGE = "harp-test/plain:1";

    private static final Path DOCKERD = firstExisting("/usr/sbin/dockerd", "/usr/bin/dockerd");
    private static final Path DOCKER = firstExisting("/usr/bin/docker", "/usr/local/bin/docker");
    private static final Path BUSYBOX = firstExisting("/bin/busybox", "/usr/bin/busybox");
    private static final Path REGISTRY = firstExisting("/usr/bin/docker-registry");
    private static DockerDaemon shared;

    private final Path dir;
    private final Path socket;
    private Process daemon;
    private Process registry;
    private int registryPort;

    private DockerDaemon(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("docker.sock");
    }

    /** The daemon of this test run, started (with the test images built) on first use; skips when unavailable. */
    public static synchronized DockerDaemon shared() {
        Assumptions.assumeTrue(isRoot(), "Docker tests need root to run dockerd");
        Assumptions.assumeTrue(DOCKERD != null, "Docker tests need dockerd (Debian package docker.io)");
        Assumptions.assumeTrue(DOCKER != null, "Docker tests need the docker CLI (Debian package docker.io)");
        Assumptions.assumeTrue(BUSYBOX != null, "Docker tests need a static busybox (Debian package busybox-static)");
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory(Path.of("/tmp"), "harp-docker");
                DockerDaemon d = new DockerDaemon(dir);
                Runtime.getRuntime().addShutdownHook(new Thread(d::destroy));
                d.start();
                d.buildImages();
                shared = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** The daemon's socket. */
    public Path socket() {
        return socket;
    }

    /** Starts the daemon and waits until it answers. */
    public synchronized void start() {
        if (daemon != null && daemon.isAlive()) {
            return;
        }
        try {
            daemon = new ProcessBuilder(DOCKERD.toString(), "--iptables=false", "--ip6tables=false", "--bridge=none",
                    "--host", "unix://" + socket, "--data-root", dir.resolve("data").toString(),
                    "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("dockerd exited: " + log());
            }
            if (answers()) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("dockerd did not answer within 60s: " + log());
    }

    /** Stops the daemon (SIGTERM) and waits until it is gone; the socket stops answering. */
    public synchronized void stop() {
        if (daemon == null) {
            return;
        }
        daemon.destroy();
        try {
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        daemon = null;
    }

    private boolean answers() {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(java.nio.ByteBuffer.wrap("GET /_ping HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64);
            ch.read(buf);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.0 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs the docker CLI against this daemon and returns its output; fails when it does. */
    public String docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add(DOCKER.toString());
        command.addAll(List.of(args));
        return run(command, Map.of("DOCKER_HOST", "unix://" + socket, "DOCKER_BUILDKIT", "0",
                "DOCKER_CONFIG", dir.resolve("cli").toString()));
    }

    /** Like {@link #docker} but returns null instead of failing. */
    public String dockerOrNull(String... args) {
        try {
            return docker(args);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private static String run(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void buildImages() throws IOException {
        Path ctx = dir.resolve("image");
        Path root = ctx.resolve("rootfs");
        for (String d : List.of("bin", "tmp", "etc/ssl/certs", "usr/sbin", "usr/local/share/ca-certificates")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.copy(BUSYBOX, root.resolve("bin/busybox"));
        for (String applet : List.of("sh", "sleep", "cat", "mkdir", "test", "touch", "ls", "echo", "tar", "true",
                "rm", "id", "wget", "nc", "httpd")) {
            Files.createSymbolicLink(root.resolve("bin/" + applet), Path.of("busybox"));
        }
        Files.writeString(root.resolve("etc/os-release"), "NAME=\"Alpine Linux\"\nID=alpine\n");
        Path update = root.resolve("usr/sbin/update-ca-certificates");
        Files.writeString(update, "#!/bin/sh\ncat /usr/local/share/ca-certificates/*.crt > /etc/ssl/certs/ca-certificates.crt\n");
        Files.setPosixFilePermissions(update, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("entry.sh"), """
                trap 'exit 0' TERM INT
                case "$MODE" in
                  exit) exit 3 ;;
                  unhealthy) touch /tmp/unhealthy ;;
                esac
                while true; do sleep 1 & wait $!; done
                """);
        Files.writeString(ctx.resolve("Dockerfile.plain"), """
                FROM scratch
                COPY rootfs/ /
                ENV PATH=/bin:/usr/sbin
                CMD ["/bin/sh", "/entry.sh"]
                """);
        Files.writeString(ctx.resolve("Dockerfile.health"), """
                FROM scratch
                COPY rootfs/ /
                ENV PATH=/bin:/usr/sbin
                HEALTHCHECK --interval=1s --timeout=2s --retries=1 CMD ["/bin/sh", "-c", "test ! -e /tmp/unhealthy"]
                CMD ["/bin/sh", "/entry.sh"]
                """);
        docker("build", "-q", "-t", PLAIN_IMAGE, "-f", ctx.resolve("Dockerfile.plain").toString(), ctx.toString());
        docker("build", "-q", "-t", HEALTH_IMAGE, "-f", ctx.resolve("Dockerfile.health").toString(), ctx.toString());
    }

    /**
     * Starts a local registry on 127.0.0.1 (once) and pushes {@code image} to it as {@code name}; returns the
     * reference to pull, {@code 127.0.0.1:<port>/<name>}. Skips when {@code docker-registry} is missing.
     */
    public synchronized String pushToRegistry(String image, String name) {
        Assumptions.assumeTrue(REGISTRY != null, "the pull test needs docker-registry (Debian package docker-registry)");
        try {
            if (registry == null) {
                try (ServerSocket free = new ServerSocket(0)) {
                    registryPort = free.getLocalPort();
                }
                Path config = dir.resolve("registry.yml");
                Files.writeString(config, "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n"
                        + "    rootdirectory: " + dir.resolve("registry") + "\nhttp:\n  addr: 127.0.0.1:" + registryPort + "\n");
                registry = new ProcessBuilder(REGISTRY.toString(), "serve", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
                        .start();
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!listening(registryPort)) {
                    if (System.nanoTime() > end || !registry.isAlive()) {
                        throw new IllegalStateException("docker-registry did not start: "
                                + Files.readString(dir.resolve("registry.log")));
                    }
                    sleep(100);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String ref = "127.0.0.1:" + registryPort + "/" + name;
        docker("tag", image, ref);
        docker("push", ref);
        docker("rmi", ref);
        return ref;
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized void destroy() {
        if (registry != null) {
            registry.destroy();
        }
        stop();
        run(List.of("rm", "-rf", dir.toString()), Map.of());
    }

    private String log() {
        try {
            String all = Files.readString(dir.resolve("dockerd.log"));
            return all.substring(Math.max(0, all.length() - 2000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static boolean isRoot() {
        try {
            return run(List.of("id", "-u"), Map.of()).equals("0");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Path firstExisting(String... paths) {
        for (String p : paths) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

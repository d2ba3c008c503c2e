package org.harpjava.e2e.docker;

import org.harpjava.server.testing.DockerDaemon;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Java base image assembled on this machine, for a Docker daemon that cannot pull one: a {@code jlink} runtime
 * of the JDK running the tests in {@code /opt/jre} with the modules {@code docker/Dockerfile} links, the shared
 * libraries {@code ldd} finds for it and for bash, the dynamic loader, bash and a static busybox (sh, head,
 * grep, id, mkdir, chown, ...), and {@code /etc/passwd} with root and {@code harp} (uid 10001). Built
 * {@code FROM scratch}, once per test run. {@link #buildJre} makes the same with the modules of a whole Java
 * runtime, standing in for the {@code eclipse-temurin:21-jre} the sample ExApps' images start from.
 */
public final class LocalJavaBase {
    /** The image's name in the test daemon. */
    public static final String IMAGE = "harp-test/java-runtime:1";
    /** The image with a whole Java runtime. */
    public static final String JRE_IMAGE = "harp-test/java-jre:1";
    /** The modules of a whole Java runtime, as a JRE image has them (those this JDK has). */
    private static final List<String> JRE_MODULES = List.of("java.se", "jdk.unsupported", "jdk.crypto.ec",
            "jdk.zipfs", "jdk.charsets", "jdk.localedata", "jdk.management", "jdk.net", "jdk.naming.dns",
            "jdk.crypto.cryptoki", "jdk.httpserver", "jdk.jfr");

    private static final Path BASH = Path.of("/bin/bash");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Pattern LDD_LINE = Pattern.compile("^\\s*(?:\\S+ => )?(/\\S+) \\(0x[0-9a-f]+\\)$");
    private static final Set<String> BUILT = new HashSet<>();

    private LocalJavaBase() {
    }

    /** The repository's root directory (the one holding {@code docker/Dockerfile}). */
    public static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docker/Dockerfile"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docker/Dockerfile above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** Builds the image in {@code docker} (once) and returns its name. */
    public static String build(DockerDaemon docker) {
        return build(docker, IMAGE, modules());
    }

    /** Builds the image with a whole Java runtime in {@code docker} (once) and returns its name. */
    public static String buildJre(DockerDaemon docker) {
        List<String> present = JRE_MODULES.stream()
                .filter(m -> ModuleFinder.ofSystem().find(m).isPresent()).toList();
        return build(docker, JRE_IMAGE, String.join(",", present));
    }

    private static synchronized String build(DockerDaemon docker, String image, String modules) {
        Assumptions.assumeTrue(Files.isExecutable(BASH), "the local base needs bash");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ldd")), "the local base needs ldd");
        if (BUILT.contains(image)) {
            return image;
        }
        try {
            Path context = Files.createTempDirectory(Path.of("/tmp"), "harp-base");
            try {
                Path root = context.resolve("rootfs");
                rootFs(root, modules);
                Files.writeString(context.resolve("Dockerfile"), """
                        FROM scratch
                        COPY rootfs/ /
                        ENV PATH=/opt/jre/bin:/bin
                        """);
                docker.docker("build", "-q", "-t", image, context.toString());
            } finally {
                run("rm", "-rf", context.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BUILT.add(image);
        return image;
    }

    /** The modules {@code docker/Dockerfile} gives its runtime, so the local base runs what the image runs. */
    static String modules() {
        try {
            Matcher m = Pattern.compile("jlink --add-modules (\\S+)")
                    .matcher(Files.readString(repository().resolve("docker/Dockerfile")));
            if (!m.find()) {
                throw new IllegalStateException("docker/Dockerfile has no jlink --add-modules");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rootFs(Path root, String modules) throws IOException {
        Path jre = root.resolve("opt/jre");
        Files.createDirectories(jre.getParent());
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        Assumptions.assumeTrue(Files.isExecutable(jlink), "the local base needs jlink (a full JDK)");
        try {
            run(jlink.toString(), "--add-modules", modules, "--strip-debug", "--no-man-pages", "--no-header-files",
                    "--output", jre.toString());
        } catch (IllegalStateException e) {
            // A JDK without its jmods and not built to link from its own run-time image (Debian's openjdk-21 needs
            // the openjdk-21-jmods package).
            Assumptions.abort("jlink cannot link a runtime from " + System.getProperty("java.home") + ": "
                    + e.getMessage());
        }

        Set<Path> binaries = new LinkedHashSet<>();
        binaries.add(jre.resolve("bin/java"));
        try (Stream<Path> files = Files.walk(jre.resolve("lib"))) {
            files.filter(p -> p.getFileName().toString().endsWith(".so")).forEach(binaries::add);
        }
        binaries.add(BASH);
        Set<Path> libraries = new LinkedHashSet<>();
        for (Path binary : binaries) {
            libraries.addAll(sharedLibraries(binary, jre));
        }
        for (Path lib : libraries) {
            Path target = root.resolve(lib.toString().substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(lib, target, StandardCopyOption.REPLACE_EXISTING);
        }

        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(BASH, bin.resolve("bash"));
        if (Files.isExecutable(BUSYBOX)) {
            Files.copy(BUSYBOX, bin.resolve("busybox"));
            for (String applet : List.of("sh", "head", "grep", "id", "cat", "ls", "rm", "test", "sleep", "env", "ps",
                    "mkdir", "chown")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "harp:x:10001:10001:harp:/nonexistent:/bin/false\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nharp:x:10001:\n");
        Files.writeString(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        run("chmod", "1777", tmp.toString());
    }

    /** The libraries {@code binary} loads from outside {@code jre}, the dynamic loader included. */
    private static List<Path> sharedLibraries(Path binary, Path jre) throws IOException {
        List<Path> out = new ArrayList<>();
        Path jreReal = jre.toRealPath();
        for (String line : ldd(binary).split("\n")) {
            if (line.contains("not found")) {
                // The runtime's own libraries (libjvm.so for libjava.so, ...) are loaded by the JVM first.
                String name = line.strip().split(" ")[0];
                try (Stream<Path> own = Files.walk(jreReal)) {
                    if (own.noneMatch(p -> p.getFileName().toString().equals(name))) {
                        throw new IllegalStateException("ldd " + binary + ": " + line.strip());
                    }
                }
                continue;
            }
            Matcher m = LDD_LINE.matcher(line);
            if (m.matches()) {
                Path lib = Path.of(m.group(1));
                if (Files.exists(lib, LinkOption.NOFOLLOW_LINKS) && !lib.toRealPath().startsWith(jreReal)) {
                    out.add(lib.normalize());
                }
            }
        }
        return out;
    }

    private static String ldd(Path binary) {
        try {
            Process p = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
}

package org.harpjava.exapp.models;

import org.harpjava.exapp.lifecycle.InitProgress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Installs a model published as a zip archive into a folder of the app's persistent storage, for an
 * {@link org.harpjava.exapp.ExApp.Builder#init init task}:
 * <pre>{@code
 * ModelInstaller installer = ModelInstaller.builder(URI.create(modelUrl), storage.resolve("model"))
 *         .complete(dir -> Files.isRegularFile(dir.resolve("model.bin")))
 *         .build();
 * ExApp.builder(env).init(installer::install)...
 * }</pre>
 * Nothing is fetched when the target folder already holds a complete model. Otherwise the archive is streamed to
 * disk (download progress 0 to 89 %), unpacked entry by entry (90 to 99 %) into a folder beside the target and moved
 * into place in one step, so the app never sees half a model. Unpacking refuses entries that would land outside the
 * folder (zip slip), and stops at {@link Builder#maxBytes} bytes and {@link Builder#maxEntries} entries, counted
 * as they are written rather than trusted from the archive. When the archive holds the model in a single top-level
 * folder (as in {@code vosk-model-small-en-us-0.15/am/final.mdl}), that folder becomes the target. A download that
 * sends nothing for {@link Builder#stallTimeout} (60 s by default) is given up, so a stalled server does not hold
 * {@code /init} for ever.
 */
public final class ModelInstaller {
    private static final System.Logger LOG = System.getLogger(ModelInstaller.class.getName());

    private final URI source;
    private final Path target;
    private final Predicate<Path> complete;
    private final long maxBytes;
    private final int maxEntries;
    private final Duration stallTimeout;
    private final HttpClient http;

    private ModelInstaller(Builder b) {
        this.source = b.source;
        this.target = b.target.toAbsolutePath().normalize();
        this.complete = b.complete;
        this.maxBytes = b.maxBytes;
        this.maxEntries = b.maxEntries;
        this.stallTimeout = b.stallTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** An installer of the zip archive at {@code source} into the folder {@code target}. */
    public static Builder builder(URI source, Path target) {
        return new Builder(source, target);
    }

    /** Whether the target folder holds a complete model. */
    public boolean installed() {
        return complete.test(target);
    }

    /** The folder the model is installed in. */
    public Path target() {
        return target;
    }

    /**
     * Downloads, unpacks and moves the model into place, unless it is there already.
     *
     * @return false when the model was already installed
     * @throws ModelInstallException with a message for the administrator (the source without credentials or query)
     */
    public boolean install(InitProgress progress) throws IOException, InterruptedException {
        if (installed()) {
            LOG.log(System.Logger.Level.INFO, "Model already installed in " + target);
            return false;
        }
        Files.createDirectories(target.getParent());
        Path work = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-install-");
        try {
            Path zip = work.resolve("download.zip");
            download(zip, progress);
            Path unpacked = Files.createDirectory(work.resolve("unpacked"));
            unpack(zip, unpacked, progress);
            Path root = complete.test(unpacked) ? unpacked : singleFolderIn(unpacked);
            if (!complete.test(root)) {
                throw new ModelInstallException("The archive from " + shown(source) + " does not hold a complete model");
            }
            if (Files.exists(target)) {
                Files.move(target, work.resolve("previous"), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(root, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.log(System.Logger.Level.INFO, "Model from " + shown(source) + " installed in " + target);
            return true;
        } finally {
            deleteTree(work);
        }
    }

    private void download(Path zip, InitProgress progress) throws IOException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(source).timeout(stallTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new ModelInstallException("Cannot connect to " + shown(source) + " to download the model", e);
        } catch (IOException e) {
            throw new ModelInstallException("Downloading the model from " + shown(source) + " failed: " + e.getMessage(), e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new ModelInstallException("Downloading the model from " + shown(source) + " failed: HTTP "
                        + response.statusCode());
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > maxBytes) {
                throw new ModelInstallException("The model at " + shown(source) + " has " + length
                        + " bytes, more than the limit of " + maxBytes);
            }
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            StallWatch watch = new StallWatch(Thread.currentThread(), stallTimeout);
            try (OutputStream out = Files.newOutputStream(zip)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    watch.progress();
                    total += n;
                    if (total > maxBytes) {
                        throw new ModelInstallException("The model at " + shown(source)
                                + " is larger than the limit of " + maxBytes + " bytes");
                    }
                    out.write(buffer, 0, n);
                    if (length > 0) {
                        progress.report((int) (89 * total / length));
                    }
                }
            } catch (ModelInstallException e) {
                throw e;
            } catch (IOException e) {
                if (watch.stop()) {
                    throw new ModelInstallException("Downloading the model from " + shown(source) + " stalled: nothing "
                            + "received for " + stallTimeout.toSeconds() + " s after " + total + " bytes", e);
                }
                throw new ModelInstallException("Downloading the model from " + shown(source) + " broke off after "
                        + total + " bytes: " + e.getMessage(), e);
            } finally {
                watch.stop();
            }
        }
    }

    /**
     * Interrupts the downloading thread when no bytes arrived for the stall timeout: the JDK client's body stream
     * has no read timeout, but ends a read it is blocked in when the thread is interrupted.
     */
    private static final class StallWatch {
        private final Thread downloader;
        private final long limitNanos;
        private final Thread watcher;
        private volatile long last = System.nanoTime();
        private boolean done;
        private boolean fired;

        StallWatch(Thread downloader, Duration limit) {
            this.downloader = downloader;
            this.limitNanos = limit.toNanos();
            this.watcher = Thread.ofVirtual().name("model-download-watch").start(this::watch);
        }

        void progress() {
            last = System.nanoTime();
        }

        private void watch() {
            try {
                while (true) {
                    long idle = System.nanoTime() - last;
                    if (idle >= limitNanos) {
                        synchronized (this) {
                            if (!done) {
                                fired = true;
                                downloader.interrupt();
                            }
                        }
                        return;
                    }
                    Thread.sleep(Duration.ofNanos(limitNanos - idle));
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }

        /** Ends the watch; true when it gave up the download, whose interrupt is then cleared. */
        synchronized boolean stop() {
            if (!done) {
                done = true;
                watcher.interrupt();
            }
            if (fired) {
                Thread.interrupted();
            }
            return fired;
        }
    }

    private void unpack(Path zip, Path into, InitProgress progress) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            int entries = archive.size();
            if (entries > maxEntries) {
                throw new ModelInstallException("The archive from " + shown(source) + " has " + entries
                        + " entries, more than the limit of " + maxEntries);
            }
            long written = 0;
            int done = 0;
            byte[] buffer = new byte[64 * 1024];
            for (Enumeration<? extends ZipEntry> e = archive.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into) || path.equals(into) && !entry.isDirectory()) {
                    throw new ModelInstallException("The archive from " + shown(source)
                            + " has an entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else {
                    Files.createDirectories(path.getParent());
                    try (InputStream in = archive.getInputStream(entry); OutputStream out = Files.newOutputStream(path)) {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            written += n;
                            if (written > maxBytes) {
                                throw new ModelInstallException("The archive from " + shown(source)
                                        + " unpacks to more than the limit of " + maxBytes + " bytes");
                            }
                            out.write(buffer, 0, n);
                        }
                    }
                }
                progress.report(90 + 9 * ++done / Math.max(1, entries));
            }
        } catch (ZipException e) {
            throw new ModelInstallException("The model from " + shown(source) + " is not a valid zip archive: "
                    + e.getMessage(), e);
        }
    }

    /** The only folder in {@code dir} when it holds nothing else, otherwise {@code dir} itself. */
    private static Path singleFolderIn(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> all = children.toList();
            return all.size() == 1 && Files.isDirectory(all.get(0)) ? all.get(0) : dir;
        }
    }

    /** {@code uri} without user info, query or fragment: what messages and logs may show. */
    static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot remove " + dir + ": " + e.getMessage());
        }
    }

    /** Settings of a {@link ModelInstaller}. */
    public static final class Builder {
        private final URI source;
        private final Path target;
        private Predicate<Path> complete = Files::isDirectory;
        private long maxBytes = 8L * 1024 * 1024 * 1024;
        private int maxEntries = 100_000;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration stallTimeout = Duration.ofSeconds(60);

        private Builder(URI source, Path target) {
            String scheme = source.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException("A model is downloaded over http or https, not from " + shown(source));
            }
            this.source = source;
            this.target = target;
        }

        /** Whether a folder holds a complete model; by default, that it exists. */
        public Builder complete(Predicate<Path> check) {
            this.complete = java.util.Objects.requireNonNull(check, "check");
            return this;
        }

        /** The most bytes to download and to unpack (each); 8 GiB by default. */
        public Builder maxBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBytes must be at least 1, got " + bytes);
            }
            this.maxBytes = bytes;
            return this;
        }

        /** The most entries the archive may have; 100,000 by default. */
        public Builder maxEntries(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("maxEntries must be at least 1, got " + entries);
            }
            this.maxEntries = entries;
            return this;
        }

        /** How long to wait for the connection to the source; 30 s by default. */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** How long the source may send nothing, before its answer or in the middle of it; 60 s by default. */
        public Builder stallTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("stallTimeout must be positive, got " + timeout);
            }
            this.stallTimeout = timeout;
            return this;
        }

        public ModelInstaller build() {
            return new ModelInstaller(this);
        }
    }
}

package org.harpjava.exapp.nextcloud;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The acting user's files over WebDAV, under {@code /remote.php/dav/files/<user>/}, with the AppAPI headers and the
 * transfer timeout. Paths are relative to the user's root ({@code Documents/report.pdf}); bodies are streamed, never
 * held in memory. The client must come from {@link NextcloudClient#asUser(String)}.
 */
public final class FilesApi {
    private final Session session;

    FilesApi(Session session) {
        this.session = session;
    }

    /**
     * Streams the file {@code path} into {@code out}, which is not closed.
     *
     * @return the number of bytes written
     */
    public long download(String path, OutputStream out) {
        return session.download(Call.get(davPath(path)).transfer(), out);
    }

    /**
     * Downloads the file {@code path} to {@code target}, replacing it; nothing is left behind when it fails.
     *
     * @return the number of bytes written
     */
    public long download(String path, Path target) {
        return Downloads.toPath(target, out -> download(path, out));
    }

    /** Uploads {@code source} to {@code path}, replacing the file there; retried like any idempotent call. */
    public void upload(String path, Path source) {
        long size;
        try {
            size = Files.size(source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        put(path, new Body.Streamed("application/octet-stream", size, true, () -> Files.newInputStream(source)));
    }

    /** Uploads {@code content} to {@code path}, replacing the file there. */
    public void upload(String path, byte[] content) {
        put(path, new Body.Streamed("application/octet-stream", content.length, true,
                () -> new ByteArrayInputStream(content)));
    }

    /**
     * Uploads what {@code content} yields to {@code path}, replacing the file there. The stream is read once and
     * not closed, and the upload is sent chunked; it is not retried.
     */
    public void upload(String path, InputStream content) {
        put(path, new Body.Streamed("application/octet-stream", -1, false, () -> new NonClosingInput(content)));
    }

    private void put(String path, Body body) {
        session.send(Call.put(davPath(path)).transfer().body(body));
    }

    private String davPath(String path) {
        String user = session.requireUser("WebDAV");
        return Endpoints.DAV_FILES + "/" + Endpoints.segment(user) + "/" + Endpoints.relativePath(path);
    }
}

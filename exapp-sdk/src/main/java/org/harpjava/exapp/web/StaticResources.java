package org.harpjava.exapp.web;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Locale;
import java.util.Objects;

/**
 * Files shipped in the app's jar under one folder, such as a page, its script and its icon. Send them from
 * {@link org.harpjava.exapp.Route} handlers, so that each file keeps the access level declared on its route:
 *
 * <pre>{@code
 * private static final StaticResources WEB = StaticResources.in(ChatPage.class, "web");
 *
 * @Route(path = "/js/chat.js", methods = "GET", access = AccessLevel.USER)
 * void script(ServerResponse res) {
 *     WEB.send(res, "chat.js");
 * }
 * }</pre>
 *
 * The content type follows the file's extension ({@code text/*} types as UTF-8); the body is streamed.
 */
public final class StaticResources {
    private final ClassLoader loader;
    private final String folder;

    private StaticResources(ClassLoader loader, String folder) {
        this.loader = loader;
        this.folder = folder;
    }

    /** The resources under {@code folder} (no leading slash) of {@code owner}'s class loader. */
    public static StaticResources in(Class<?> owner, String folder) {
        Objects.requireNonNull(owner, "owner");
        String f = Objects.requireNonNull(folder, "folder").replaceAll("^/+|/+$", "");
        return new StaticResources(owner.getClassLoader(), f.isEmpty() ? "" : f + "/");
    }

    /**
     * Sends {@code name} (relative to the folder), or {@code 404} with a short text when there is no such file or
     * the name tries to leave the folder.
     */
    public void send(ServerResponse res, String name) {
        URL url = safe(name) ? loader.getResource(folder + name) : null;
        if (url == null) {
            res.status(Status.NOT_FOUND_404).header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .send("Not Found");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, contentType(name));
        try (InputStream in = url.openStream(); OutputStream out = res.outputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + folder + name, e);
        }
    }

    /** The content type sent for {@code name}. */
    static String contentType(String name) {
        MediaType type = MediaTypes.detectExtensionType(extension(name)).orElse(MediaTypes.APPLICATION_OCTET_STREAM);
        String text = type.text();
        boolean textual = type.type().equals("text") || text.endsWith("+xml") || text.endsWith("/json")
                || text.endsWith("/javascript");
        return textual ? text + "; charset=utf-8" : text;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean safe(String name) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.endsWith("/") || name.contains("\\")) {
            return false;
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}

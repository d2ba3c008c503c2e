package org.harpjava.exapp.nextcloud;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Base paths of the Nextcloud endpoints the client calls, and path-segment encoding. */
final class Endpoints {
    /** AppAPI's OCS API for ExApps ({@code nc_py_api} {@code ae_url}). */
    static final String APP_API = "/ocs/v1.php/apps/app_api/api/v1";
    /** AppAPI's second OCS API version ({@code ae_url_v2}). */
    static final String APP_API_V2 = "/ocs/v1.php/apps/app_api/api/v2";
    /** AppAPI's ExApp status and state, outside the versioned API. */
    static final String EX_APP = "/ocs/v1.php/apps/app_api/ex-app";
    /** Core TaskProcessing endpoints for providers. */
    static final String TASKS_PROVIDER = "/ocs/v2.php/taskprocessing/tasks_provider";
    /** Talk's bot API. */
    static final String TALK_BOT = "/ocs/v2.php/apps/spreed/api/v1/bot";
    /** The webhook_listeners app. */
    static final String WEBHOOKS = "/ocs/v1.php/apps/webhook_listeners/api/v1/webhooks";
    /** Server capabilities. */
    static final String CAPABILITIES = "/ocs/v1.php/cloud/capabilities";
    /** WebDAV root of user files. */
    static final String DAV_FILES = "/remote.php/dav/files";

    private Endpoints() {
    }

    /** Percent-encodes one path segment (a space becomes {@code %20}, a slash {@code %2F}). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Percent-encodes a relative path segment by segment, refusing empty, {@code .} and {@code ..} segments. */
    static String relativePath(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("path names no file");
        }
        StringBuilder b = new StringBuilder();
        for (String s : p.split("/", -1)) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                throw new IllegalArgumentException("path has an empty, '.' or '..' segment: " + path);
            }
            if (!b.isEmpty()) {
                b.append('/');
            }
            b.append(segment(s));
        }
        return b.toString();
    }
}

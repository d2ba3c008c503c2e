package org.harpjava.server.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks of the names and references that end up in engine paths, so none can lead to another endpoint. */
final class Names {
    /** Prefix of every container harp-server manages. */
    static final String CONTAINER_PREFIX = "nc_app_";
    private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9_.-]{0,64}");
    private static final Pattern CONTAINER = Pattern.compile("nc_app_[A-Za-z0-9_.-]{1,200}");
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,511}");

    private Names() {
    }

    static boolean appName(String s) {
        return APP_NAME.matcher(s).matches();
    }

    static boolean instanceId(String s) {
        return INSTANCE_ID.matcher(s).matches();
    }

    static boolean container(String s) {
        return CONTAINER.matcher(s).matches();
    }

    /** An image name, tag, digest or id: no empty, {@code .} or {@code ..} path segment. */
    static boolean image(String s) {
        if (!IMAGE.matcher(s).matches()) {
            return false;
        }
        for (String segment : s.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** The container of ExApp {@code name}: {@code nc_app_[<instance>_]<name>}. */
    static String containerOf(String name, String instanceId) {
        return CONTAINER_PREFIX + (instanceId.isEmpty() ? "" : instanceId + "_") + name;
    }

    /** Decodes %XX escapes (no '+' for space); empty when an escape is malformed. */
    static Optional<String> percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return Optional.of(s);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }
}

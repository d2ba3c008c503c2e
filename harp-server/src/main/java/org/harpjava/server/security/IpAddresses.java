package org.harpjava.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses IP literals without ever resolving a host name. */
public final class IpAddresses {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private IpAddresses() {
    }

    /** The address {@code text} spells (IPv4 or IPv6, optionally in brackets), or empty when it is not an IP literal. */
    public static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        if (!(IPV4.matcher(t).matches() || IPV6.matcher(t).matches())) {
            return Optional.empty();
        }
        if (IPV4.matcher(t).matches()) {
            for (String part : t.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return Optional.empty();
                }
            }
        }
        try {
            return Optional.of(InetAddress.getByName(t));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

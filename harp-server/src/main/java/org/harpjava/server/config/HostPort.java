package org.harpjava.server.config;

/**
 * A listen address as HaRP writes it: {@code host:port}, {@code [v6]:port} or {@code :port}.
 *
 * @param host host name or IP literal without brackets
 * @param port TCP port, 0 meaning "any free port"
 */
public record HostPort(String host, int port) {

    /** Parses {@code value}; {@code setting} names the variable in the error message. */
    public static HostPort parse(String setting, String value) {
        String v = value.strip();
        String host;
        String port;
        if (v.startsWith("[")) {
            int end = v.indexOf("]:");
            if (end < 0) {
                throw invalid(setting, value);
            }
            host = v.substring(1, end);
            port = v.substring(end + 2);
        } else {
            int colon = v.lastIndexOf(':');
            if (colon < 0 || v.indexOf(':') != colon) {
                throw invalid(setting, value);
            }
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw invalid(setting, value);
            }
            return new HostPort(host, p);
        } catch (NumberFormatException e) {
            throw invalid(setting, value);
        }
    }

    private static ConfigException invalid(String setting, String value) {
        return new ConfigException(setting + " must be HOST:PORT with a port from 0 to 65535 (got \"" + value + "\")");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

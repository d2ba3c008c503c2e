package org.harpjava.server.decision;

import java.util.List;

/**
 * What the proxy knows of one ExApp: its secret, version, where it listens and its routes.
 *
 * @param appId   the app id as Nextcloud knows it
 * @param token   the app secret, used to sign requests to the ExApp; never logged
 * @param version the ExApp version sent as {@code EX-APP-VERSION}
 * @param host    host name or IP address of the ExApp
 * @param port    its TCP port
 * @param routes  declared routes, in declaration order
 */
public record ExAppMeta(String appId, String token, String version, String host, int port, List<Route> routes) {

    public ExAppMeta {
        routes = List.copyOf(routes);
    }

    @Override
    public String toString() {
        return "ExAppMeta[appId=" + appId + ", version=" + version + ", host=" + host + ", port=" + port
                + ", routes=" + routes.size() + "]";
    }
}

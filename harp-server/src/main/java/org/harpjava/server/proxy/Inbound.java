package org.harpjava.server.proxy;

import io.helidon.http.HttpPrologue;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The parts of a request the decision looks at, taken either from a routed {@link ServerRequest} or from the
 * head of an upgrade request before Helidon routes it.
 *
 * @param method   request method
 * @param rawPath  path as received, still encoded
 * @param query    query as received with its leading {@code ?} (so a bare {@code ?} is kept), empty when the
 *                 target has none
 * @param headers  request headers
 * @param peer     address of the connected peer
 * @param secure   whether the connection is TLS
 */
record Inbound(String method, String rawPath, String query, ServerRequestHeaders headers, InetAddress peer,
               boolean secure) {

    static Inbound of(ServerRequest req) {
        return new Inbound(req.prologue().method().text(), req.path().rawPath(), query(req.prologue()),
                req.headers(), ((InetSocketAddress) req.remotePeer().address()).getAddress(), req.isSecure());
    }

    static Inbound of(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        return new Inbound(prologue.method().text(), prologue.uriPath().rawPath(), query(prologue),
                ServerRequestHeaders.create(headers), ((InetSocketAddress) ctx.remotePeer().address()).getAddress(),
                ctx.isSecure());
    }

    private static String query(HttpPrologue prologue) {
        return prologue.hasQuery() ? "?" + prologue.query().rawValue() : "";
    }
}

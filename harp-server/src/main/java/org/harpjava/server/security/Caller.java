package org.harpjava.server.security;

/**
 * The client of one request.
 *
 * @param ip      its address (from trusted forwarding headers where they apply)
 * @param trusted whether it holds the shared key: such callers are never banned and their failures not counted
 */
public record Caller(String ip, boolean trusted) {
}

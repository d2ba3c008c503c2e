package org.harpjava.server.docker;

import java.nio.file.Path;

/** Where a Docker Engine listens: a unix socket or a TCP address. */
public sealed interface EngineAddress {
    /** The engine's socket file. */
    record Unix(Path socket) implements EngineAddress {
        @Override
        public String toString() {
            return "unix://" + socket;
        }
    }

    /** The engine's plain TCP address. */
    record Tcp(String host, int port) implements EngineAddress {
        @Override
        public String toString() {
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}

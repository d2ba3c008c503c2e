package org.harpjava.server.docker;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where a Docker Engine listens: a unix socket or a TCP address, the latter with or without TLS. */
public sealed interface EngineAddress {
    /** The engine's socket file. */
    record Unix(Path socket) implements EngineAddress {
        @Override
        public String toString() {
            return "unix://" + socket;
        }
    }

    /**
     * The engine's TCP address.
     *
     * @param tls the TLS set-up when the engine is reached over TLS ({@code tcp+tls://}), empty for plain TCP
     */
    record Tcp(String host, int port, Optional<EngineTls> tls) implements EngineAddress {
        public Tcp {
            Objects.requireNonNull(host);
            Objects.requireNonNull(tls);
        }

        /** A plain TCP address. */
        public Tcp(String host, int port) {
            this(host, port, Optional.empty());
        }

        @Override
        public String toString() {
            return (tls.isPresent() ? "tcp+tls://" : "tcp://") + (host.contains(":") ? "[" + host + "]" : host)
                    + ":" + port;
        }
    }
}

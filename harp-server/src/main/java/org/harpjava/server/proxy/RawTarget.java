package org.harpjava.server.proxy;

import io.helidon.common.parameters.Parameters;
import io.helidon.common.uri.UriPath;

/**
 * A request target (path and query) that Helidon's client writes into the request line exactly as given: its
 * own paths would drop empty and {@code .} segments, resolve {@code ..}, cut {@code ;} parameters and re-encode
 * the query. The query is carried inside the path, so the client's (empty) query adds nothing.
 *
 * @param raw the target, starting with {@code /}
 */
record RawTarget(String raw) implements UriPath {
    @Override
    public String rawPath() {
        return raw;
    }

    @Override
    public String rawPathNoParams() {
        return raw;
    }

    @Override
    public String path() {
        return raw;
    }

    @Override
    public Parameters matrixParameters() {
        return Parameters.empty("matrix");
    }

    @Override
    public UriPath absolute() {
        return this;
    }

    @Override
    public void validate() {
    }

    @Override
    public String toString() {
        return raw;
    }
}

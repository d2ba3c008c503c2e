package org.harpjava.server.docker;

/** A call to a Docker Engine that did not complete; {@link #status()} is the status the caller gets. */
public final class EngineException extends Exception {
    /** Why the call failed. */
    public enum Kind {
        /** The engine could not be reached: 503. */
        UNREACHABLE(503),
        /** The engine did not answer in time: 504. */
        TIMEOUT(504),
        /** The engine broke the exchange (closed early, sent a malformed response): 502. */
        BROKEN(502);

        private final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;

    public EngineException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status that reports this failure. */
    public int status() {
        return kind.status;
    }
}

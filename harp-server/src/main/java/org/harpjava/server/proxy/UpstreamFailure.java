package org.harpjava.server.proxy;

/**
 * Why a request could not be forwarded to an ExApp.
 */
enum UpstreamFailure {
    /** Refused, reset or unreachable: 502. */
    UNREACHABLE(502, "Bad Gateway: the ExApp cannot be reached", "upstream_error"),
    /** No answer within the timeout: 504. */
    TIMEOUT(504, "Gateway Timeout: the ExApp did not answer in time", "upstream_timeout"),
    /** The ExApp answered with something that is not a valid HTTP/1.1 response: 502. */
    BAD_RESPONSE(502, "Bad Gateway: the ExApp sent an invalid response", "upstream_error"),
    /** The client stopped sending its request body: no answer is possible. */
    CLIENT_ABORTED(400, "Bad Request: the request body ended early", "client_aborted");

    final int status;
    final String message;
    final String outcome;

    UpstreamFailure(int status, String message, String outcome) {
        this.status = status;
        this.message = message;
        this.outcome = outcome;
    }

    /** Classifies an exception thrown while forwarding. */
    static UpstreamFailure of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClientBodyException) {
                return CLIENT_ABORTED;
            }
            if (t instanceof ResponseHead.MalformedResponseException) {
                return BAD_RESPONSE;
            }
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return TIMEOUT;
            }
        }
        return UNREACHABLE;
    }

    /** Reading the client's request body failed. */
    static final class ClientBodyException extends java.io.UncheckedIOException {
        ClientBodyException(java.io.IOException cause) {
            super(cause);
        }
    }
}

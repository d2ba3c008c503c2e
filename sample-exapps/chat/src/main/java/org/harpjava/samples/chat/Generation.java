package org.harpjava.samples.chat;

import java.io.Closeable;
import java.io.IOException;

/**
 * A handle on one reply being generated, to stop it from another thread: {@link #cancel()} closes the engine's
 * response stream, which ends the blocked read at once and tells the engine (by closing the connection) to stop
 * generating.
 */
public final class Generation {
    private volatile boolean cancelled;
    private volatile Closeable stream;

    /** Stops the reply; what was produced so far is kept. Safe to call from any thread, any number of times. */
    public void cancel() {
        cancelled = true;
        closeQuietly(stream);
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Called by the engine once the response stream is open. */
    void attach(Closeable responseStream) {
        stream = responseStream;
        if (cancelled) {
            closeQuietly(responseStream);
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already closed or broken: either way the stream is done
            }
        }
    }
}

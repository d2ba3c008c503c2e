package org.harpjava.samples.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Every log line of the process while started, at all levels of the app's and the SDK's loggers. */
final class LogCapture extends Handler {
    private final List<String> lines = new ArrayList<>();

    /** Starts capturing. */
    LogCapture start() {
        Logger.getLogger("").addHandler(this);
        Logger.getLogger("org.harpjava").setLevel(Level.ALL);
        return this;
    }

    /** Stops capturing and restores the levels. */
    void stop() {
        Logger.getLogger("").removeHandler(this);
        Logger.getLogger("org.harpjava").setLevel(null);
    }

    /** The lines so far: logger name, formatted message and any exception. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void publish(LogRecord r) {
        String line = r.getLoggerName() + " " + new SimpleFormatter().formatMessage(r)
                + (r.getThrown() == null ? "" : " " + r.getThrown());
        synchronized (lines) {
            lines.add(line);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}

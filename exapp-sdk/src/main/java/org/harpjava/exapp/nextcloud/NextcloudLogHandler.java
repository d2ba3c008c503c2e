package org.harpjava.exapp.nextcloud;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * A {@code java.util.logging} handler that writes records to Nextcloud's log through
 * {@link NextcloudClient#log(LogLevel, String)}, so only levels at or above AppAPI's {@code app_api.loglevel} are
 * sent (SEVERE is ERROR, WARNING is WARNING, INFO is INFO, finer levels DEBUG). Records are sent synchronously;
 * records of the HTTP client itself and records logged while one is being sent are dropped, so the handler never
 * feeds itself. A failure to send goes to the handler's {@link ErrorManager}, never to the log.
 */
public final class NextcloudLogHandler extends Handler {
    private static final ThreadLocal<Boolean> SENDING = ThreadLocal.withInitial(() -> false);

    private final NextcloudClient client;

    /** A handler writing through {@code client}. */
    public NextcloudLogHandler(NextcloudClient client) {
        this.client = client;
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record) || SENDING.get() || ownRecord(record)) {
            return;
        }
        SENDING.set(true);
        try {
            client.log(LogLevel.of(record.getLevel()), format(record));
        } catch (RuntimeException e) {
            reportError("cannot write a record to the Nextcloud log: " + e.getMessage(), null,
                    ErrorManager.WRITE_FAILURE);
        } finally {
            SENDING.set(false);
        }
    }

    private String format(LogRecord record) {
        if (getFormatter() != null) {
            return getFormatter().format(record);
        }
        String message = new java.util.logging.SimpleFormatter().formatMessage(record);
        String name = record.getLoggerName();
        String text = name == null || name.isEmpty() ? message : "[" + name + "] " + message;
        if (record.getThrown() != null) {
            StringWriter w = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(w));
            text = text + "\n" + w;
        }
        return text;
    }

    private static boolean ownRecord(LogRecord record) {
        String name = record.getLoggerName();
        return name != null && (name.startsWith("jdk.internal.httpclient") || name.startsWith("jdk.httpclient")
                || name.startsWith(NextcloudLogHandler.class.getPackageName()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}

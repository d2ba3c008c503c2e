package org.harpjava.exapp.nextcloud;

import java.util.logging.Level;

/** Nextcloud's log levels, as {@code POST .../api/v1/log} takes them. */
public enum LogLevel {
    /** 0 */
    DEBUG(0),
    /** 1 */
    INFO(1),
    /** 2 */
    WARNING(2),
    /** 3 */
    ERROR(3),
    /** 4 */
    FATAL(4);

    private final int code;

    LogLevel(int code) {
        this.code = code;
    }

    /** The number Nextcloud uses. */
    public int code() {
        return code;
    }

    /**
     * The Nextcloud level for a {@code java.util.logging} level: SEVERE is ERROR, WARNING is WARNING, INFO is INFO
     * and anything finer is DEBUG. Levels above SEVERE are FATAL.
     */
    public static LogLevel of(Level level) {
        int v = level.intValue();
        if (v > Level.SEVERE.intValue()) {
            return FATAL;
        }
        if (v >= Level.SEVERE.intValue()) {
            return ERROR;
        }
        if (v >= Level.WARNING.intValue()) {
            return WARNING;
        }
        if (v >= Level.INFO.intValue()) {
            return INFO;
        }
        return DEBUG;
    }
}

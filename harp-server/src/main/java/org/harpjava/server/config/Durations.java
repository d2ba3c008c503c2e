package org.harpjava.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as HAProxy does ({@code 30s}, {@code 500ms}, {@code 1m}, {@code 2h}, {@code 1d}; bare numbers are ms). */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|m|h|d)?");

    private Durations() {
    }

    /**
     * Parses {@code value}; a bare number is read in {@code bareUnitMillis} milliseconds.
     *
     * @throws ConfigException naming {@code setting} when the value is not a duration
     */
    public static Duration parse(String setting, String value, long bareUnitMillis) {
        Matcher m = FORMAT.matcher(value.strip());
        if (!m.matches()) {
            throw new ConfigException(setting + " must be a duration such as 30s, 500ms, 5m or 1h (got \"" + value + "\")");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        double millis = switch (unit == null ? "" : unit) {
            case "" -> amount * bareUnitMillis;
            case "us" -> amount / 1000;
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            case "d" -> amount * 86_400_000;
            default -> throw new IllegalStateException(unit);
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }
}

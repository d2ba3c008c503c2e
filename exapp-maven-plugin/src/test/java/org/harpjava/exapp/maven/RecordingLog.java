package org.harpjava.exapp.maven;

import org.apache.maven.plugin.logging.Log;

import java.util.ArrayList;
import java.util.List;

/** A Maven log that keeps every line, prefixed with its level. */
final class RecordingLog implements Log {
    final List<String> lines = new ArrayList<>();

    List<String> at(String level) {
        return lines.stream().filter(l -> l.startsWith(level + ": ")).map(l -> l.substring(level.length() + 2))
                .toList();
    }

    private void add(String level, CharSequence content) {
        lines.add(level + ": " + content);
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public void debug(CharSequence content) {
        add("debug", content);
    }

    @Override
    public void debug(CharSequence content, Throwable error) {
        add("debug", content);
    }

    @Override
    public void debug(Throwable error) {
        add("debug", String.valueOf(error));
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public void info(CharSequence content) {
        add("info", content);
    }

    @Override
    public void info(CharSequence content, Throwable error) {
        add("info", content);
    }

    @Override
    public void info(Throwable error) {
        add("info", String.valueOf(error));
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public void warn(CharSequence content) {
        add("warn", content);
    }

    @Override
    public void warn(CharSequence content, Throwable error) {
        add("warn", content);
    }

    @Override
    public void warn(Throwable error) {
        add("warn", String.valueOf(error));
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    public void error(CharSequence content) {
        add("error", content);
    }

    @Override
    public void error(CharSequence content, Throwable error) {
        add("error", content);
    }

    @Override
    public void error(Throwable error) {
        add("error", String.valueOf(error));
    }
}

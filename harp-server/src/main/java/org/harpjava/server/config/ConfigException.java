package org.harpjava.server.config;

/**
 * A configuration value that cannot be used. The message is one line that names the setting (environment
 * variable and YAML key) and never contains a secret.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}

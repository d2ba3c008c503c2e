package org.harpjava.exapp.nextcloud;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ExApp's own configuration in Nextcloud ({@code /api/v1/ex-app/config}, table {@code appconfig_ex}). Values
 * are strings; a sensitive value is kept out of Nextcloud's logs.
 */
public final class AppConfigApi {
    private final KeyValueCalls calls;

    AppConfigApi(Session session) {
        this.calls = new KeyValueCalls(session, Endpoints.APP_API + "/ex-app/config");
    }

    /** Sets {@code key}; an existing key keeps its sensitive flag, a new one is not sensitive. */
    public void set(String key, String value) {
        calls.set(key, value, null);
    }

    /** Sets {@code key} and its sensitive flag. */
    public void set(String key, String value, boolean sensitive) {
        calls.set(key, value, sensitive);
    }

    /** The value of {@code key}, if set. */
    public Optional<String> get(String key) {
        return calls.get(key);
    }

    /** The values of those {@code keys} that are set, in Nextcloud's order. */
    public Map<String, String> getValues(Collection<String> keys) {
        return calls.getValues(keys);
    }

    /**
     * Deletes {@code keys}.
     *
     * @return false when Nextcloud found none of them
     */
    public boolean delete(String... keys) {
        return calls.delete(List.of(keys));
    }
}

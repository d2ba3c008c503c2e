package org.harpjava.exapp.nextcloud;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The acting user's preferences for this ExApp ({@code /api/v1/ex-app/preference}, table {@code preferences_ex}).
 * Every call needs a user: get this from {@link NextcloudClient#asUser(String)}.
 */
public final class PreferencesApi {
    private final Session session;
    private final KeyValueCalls calls;

    PreferencesApi(Session session) {
        this.session = session;
        this.calls = new KeyValueCalls(session, Endpoints.APP_API + "/ex-app/preference");
    }

    /** Sets {@code key} for the acting user. */
    public void set(String key, String value) {
        session.requireUser("preferences");
        calls.set(key, value, null);
    }

    /** The acting user's value of {@code key}, if set. */
    public Optional<String> get(String key) {
        session.requireUser("preferences");
        return calls.get(key);
    }

    /** The acting user's values of those {@code keys} that are set. */
    public Map<String, String> getValues(Collection<String> keys) {
        session.requireUser("preferences");
        return calls.getValues(keys);
    }

    /**
     * Deletes the acting user's {@code keys}.
     *
     * @return false when Nextcloud found none of them
     */
    public boolean delete(String... keys) {
        session.requireUser("preferences");
        return calls.delete(List.of(keys));
    }
}

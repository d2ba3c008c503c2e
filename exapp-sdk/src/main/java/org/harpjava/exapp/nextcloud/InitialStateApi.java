package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Initial state of a top-menu page ({@code /api/v1/ui/initial-state}): values the page's scripts read with
 * {@code loadState(appId, key)}.
 */
public final class InitialStateApi {
    private static final String PATH = Endpoints.APP_API + "/ui/initial-state";

    private final Session session;

    InitialStateApi(Session session) {
        this.session = session;
    }

    /**
     * Sets {@code key} on the top-menu page {@code page}.
     *
     * @param value a JSON object or array: a map, list, record or {@link JsonNode}
     */
    public void set(String page, String key, Object value) {
        JsonNode tree = Json.tree(value);
        if (!tree.isContainerNode()) {
            throw new IllegalArgumentException("initial state must be a JSON object or array");
        }
        session.ocs(Call.post(PATH).idempotent().json(Json.object().put("type", "top_menu").put("name", page)
                .put("key", key).set("value", tree)));
    }

    /**
     * Removes {@code key} from {@code page}.
     *
     * @return false when it was not set
     */
    public boolean remove(String page, String key) {
        try {
            session.ocs(Call.delete(PATH).query("type", "top_menu").query("name", page).query("key", key));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}

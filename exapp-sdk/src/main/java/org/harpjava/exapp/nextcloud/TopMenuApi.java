package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** Top menu entries ({@code /api/v1/ui/top-menu}). */
public final class TopMenuApi {
    private static final String PATH = Endpoints.APP_API + "/ui/top-menu";

    private final Session session;

    TopMenuApi(Session session) {
        this.session = session;
    }

    /** Registers {@code entry}, or updates the entry of that name. */
    public void register(TopMenuEntry entry) {
        session.ocs(Call.post(PATH).idempotent().json(Json.object()
                .put("name", entry.name())
                .put("displayName", entry.displayName())
                .put("icon", entry.icon())
                .put("adminRequired", entry.adminRequired() ? 1 : 0)));
    }

    /**
     * Removes the entry {@code name}.
     *
     * @return false when there was none
     */
    public boolean unregister(String name) {
        try {
            session.ocs(Call.delete(PATH).query("name", name));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The entry {@code name}, if registered. */
    public Optional<TopMenuEntry> get(String name) {
        try {
            JsonNode d = session.ocs(Call.get(PATH).query("name", name));
            return Optional.of(new TopMenuEntry(Json.text(d, "name", name), Json.text(d, "display_name", ""),
                    Json.text(d, "icon", ""), d.path("admin_required").asInt(0) != 0));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }
}

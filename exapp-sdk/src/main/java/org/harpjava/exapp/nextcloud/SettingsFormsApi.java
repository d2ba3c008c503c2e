package org.harpjava.exapp.nextcloud;

/** Declarative settings forms ({@code /api/v1/ui/settings}). */
public final class SettingsFormsApi {
    private static final String PATH = Endpoints.APP_API + "/ui/settings";

    private final Session session;

    SettingsFormsApi(Session session) {
        this.session = session;
    }

    /** Registers {@code form}, or replaces the form with its id. */
    public void register(SettingsForm form) {
        session.ocs(Call.post(PATH).idempotent().json(Json.object().set("formScheme", form.toJson())));
    }

    /**
     * Removes the form {@code formId}.
     *
     * @return false when there was none
     */
    public boolean unregister(String formId) {
        try {
            session.ocs(Call.delete(PATH).query("formId", formId));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}

package org.harpjava.exapp.nextcloud;

/**
 * Scripts loaded on a top-menu page ({@code /api/v1/ui/script}). AppAPI serves at most ten per page, each with a
 * path relative to the ExApp (such as {@code js/app}).
 */
public final class ScriptsApi {
    private static final String PATH = Endpoints.APP_API + "/ui/script";

    private final Session session;

    ScriptsApi(Session session) {
        this.session = session;
    }

    /** Loads the script {@code path} on the top-menu page {@code page}. */
    public void add(String page, String path) {
        add(page, path, "");
    }

    /** Loads the script {@code path} on {@code page} after the scripts of app {@code afterAppId}. */
    public void add(String page, String path, String afterAppId) {
        session.ocs(Call.post(PATH).idempotent().json(Json.object().put("type", "top_menu").put("name", page)
                .put("path", path).put("afterAppId", afterAppId == null ? "" : afterAppId)));
    }

    /**
     * Stops loading the script {@code path} on {@code page}.
     *
     * @return false when it was not registered
     */
    public boolean remove(String page, String path) {
        try {
            session.ocs(Call.delete(PATH).query("type", "top_menu").query("name", page).query("path", path));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}

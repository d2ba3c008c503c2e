package org.harpjava.exapp.nextcloud;

/** Style sheets loaded on a top-menu page ({@code /api/v1/ui/style}), with paths relative to the ExApp. */
public final class StylesApi {
    private static final String PATH = Endpoints.APP_API + "/ui/style";

    private final Session session;

    StylesApi(Session session) {
        this.session = session;
    }

    /** Loads the style sheet {@code path} on the top-menu page {@code page}. */
    public void add(String page, String path) {
        session.ocs(Call.post(PATH).idempotent()
                .json(Json.object().put("type", "top_menu").put("name", page).put("path", path)));
    }

    /**
     * Stops loading the style sheet {@code path} on {@code page}.
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

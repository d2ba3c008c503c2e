package org.harpjava.exapp.nextcloud;

/**
 * File menu actions in the Files app: registered with {@code POST /api/v2/ui/files-actions-menu}, removed with
 * {@code DELETE /api/v1/ui/files-actions-menu}.
 */
public final class FileActionsApi {
    private final Session session;

    FileActionsApi(Session session) {
        this.session = session;
    }

    /** Registers {@code action}, or updates the action of that name. */
    public void register(FileAction action) {
        session.ocs(Call.post(Endpoints.APP_API_V2 + "/ui/files-actions-menu").idempotent().json(Json.object()
                .put("name", action.name())
                .put("displayName", action.displayName())
                .put("actionHandler", action.actionHandler())
                .put("icon", action.icon())
                .put("mime", action.mime())
                .put("permissions", action.permissions())
                .put("order", action.order())));
    }

    /**
     * Removes the action {@code name}.
     *
     * @return false when there was none
     */
    public boolean unregister(String name) {
        try {
            session.ocs(Call.delete(Endpoints.APP_API + "/ui/files-actions-menu")
                    .json(Json.object().put("name", name)));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}

package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The ExApp's {@code occ} commands ({@code /api/v1/occ_command}). */
public final class OccCommandsApi {
    private static final String PATH = Endpoints.APP_API + "/occ_command";

    private final Session session;

    OccCommandsApi(Session session) {
        this.session = session;
    }

    /** Registers {@code command}, or updates the command of that name. Empty lists are left out, as nc_py_api. */
    public void register(OccCommand command) {
        ObjectNode body = Json.object().put("name", command.name()).put("description", command.description())
                .put("hidden", command.hidden() ? 1 : 0);
        if (!command.arguments().isEmpty()) {
            ArrayNode a = body.putArray("arguments");
            command.arguments().forEach(x -> a.add(x.toJson()));
        }
        if (!command.options().isEmpty()) {
            ArrayNode a = body.putArray("options");
            command.options().forEach(x -> a.add(x.toJson()));
        }
        if (!command.usages().isEmpty()) {
            body.set("usages", Json.strings(command.usages()));
        }
        body.put("execute_handler", command.executeHandler());
        session.ocs(Call.post(PATH).idempotent().json(body));
    }

    /**
     * Removes the command {@code name}.
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
}

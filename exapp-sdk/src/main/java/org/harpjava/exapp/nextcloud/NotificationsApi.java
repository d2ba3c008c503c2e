package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Notifications from the ExApp ({@code POST /api/v1/notification}). The recipient is the acting user, so the client
 * must come from {@link NextcloudClient#asUser(String)}.
 */
public final class NotificationsApi {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Session session;

    NotificationsApi(Session session) {
        this.session = session;
    }

    /**
     * Sends {@code notification} to the acting user.
     *
     * @return the notification's object id, which identifies it in Nextcloud
     */
    public String create(Notification notification) {
        session.requireUser("a notification");
        byte[] id = new byte[28];
        RANDOM.nextBytes(id);
        String objectId = HexFormat.of().formatHex(id);
        ObjectNode subjectParams = Json.object();
        subjectParams.put("rich_subject", notification.subject());
        subjectParams.set("rich_subject_params", richParams(notification.subjectParams()));
        subjectParams.put("rich_message", notification.message());
        subjectParams.set("rich_message_params", richParams(notification.messageParams()));
        if (!notification.link().isEmpty()) {
            subjectParams.put("link", notification.link());
        }
        ObjectNode params = Json.object().put("object", "app_api").put("object_id", objectId)
                .put("subject_type", "app_api_ex_app");
        params.set("subject_params", subjectParams);
        JsonNode data = session.ocs(Call.post(Endpoints.APP_API + "/notification")
                .json(Json.object().set("params", params)));
        return Json.text(data, "object_id", objectId);
    }

    private static ObjectNode richParams(Map<String, Map<String, String>> params) {
        ObjectNode o = Json.object();
        params.forEach((name, object) -> o.set(name, Json.stringMap(object)));
        return o;
    }
}

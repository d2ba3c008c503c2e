package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Webhooks of the {@code webhook_listeners} app ({@code /ocs/v1.php/apps/webhook_listeners/api/v1/webhooks}). */
public final class WebhooksApi {
    private static final String PATH = Endpoints.WEBHOOKS;

    private final Session session;

    WebhooksApi(Session session) {
        this.session = session;
    }

    /** Registers {@code webhook}; empty optional fields are left out, as {@code nc_py_api}. */
    public WebhookInfo register(Webhook webhook) {
        ObjectNode body = Json.object().put("httpMethod", webhook.httpMethod()).put("uri", webhook.uri())
                .put("event", webhook.event());
        if (webhook.eventFilter() != null && !webhook.eventFilter().isNull()
                && !(webhook.eventFilter().isContainerNode() && webhook.eventFilter().isEmpty())) {
            body.set("eventFilter", webhook.eventFilter());
        }
        if (!webhook.userIdFilter().isEmpty()) {
            body.put("userIdFilter", webhook.userIdFilter());
        }
        if (!webhook.headers().isEmpty()) {
            body.set("headers", Json.stringMap(webhook.headers()));
        }
        body.put("authMethod", webhook.authMethod());
        if (!webhook.authData().isEmpty()) {
            body.set("authData", Json.stringMap(webhook.authData()));
        }
        return WebhookInfo.of(session.ocs(Call.post(PATH).json(body)));
    }

    /**
     * Removes webhook {@code id}.
     *
     * @return false when there was none
     */
    public boolean unregister(long id) {
        try {
            JsonNode data = session.ocs(Call.delete(PATH + "/" + id));
            return !data.isBoolean() || data.asBoolean();
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The registered webhooks. */
    public List<WebhookInfo> list() {
        List<WebhookInfo> out = new ArrayList<>();
        for (JsonNode d : session.ocs(Call.get(PATH))) {
            out.add(WebhookInfo.of(d));
        }
        return out;
    }
}

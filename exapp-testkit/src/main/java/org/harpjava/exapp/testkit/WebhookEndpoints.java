package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.harpjava.exapp.testkit.Ocs.Reply;

import java.util.Optional;

/** The webhook_listeners app ({@code /ocs/v1.php/apps/webhook_listeners/api/v1/webhooks}). */
final class WebhookEndpoints {
    static final String BASE = "/ocs/v1.php/apps/webhook_listeners/api/v1/webhooks";

    private final FakeState state;
    private final String appId;

    WebhookEndpoints(FakeState state, String appId) {
        this.state = state;
        this.appId = appId;
    }

    Optional<Reply> handle(Exchange ex) {
        String p = ex.path();
        if (!p.equals(BASE) && !p.startsWith(BASE + "/")) {
            return Optional.empty();
        }
        if (p.equals(BASE)) {
            return Optional.of(switch (ex.method()) {
                case "GET" -> list(p);
                case "POST" -> register(ex);
                default -> Ocs.failure(p, 405, "Method not allowed");
            });
        }
        long id;
        try {
            id = Long.parseLong(p.substring(BASE.length() + 1));
        } catch (NumberFormatException e) {
            return Optional.of(Ocs.notFound(p, "Not found"));
        }
        synchronized (state) {
            ObjectNode hook = state.webhooks.get(id);
            if (hook == null) {
                return Optional.of(Ocs.notFound(p, "Webhook not found"));
            }
            return Optional.of(switch (ex.method()) {
                case "GET" -> Ocs.ok(p, hook.deepCopy());
                case "DELETE" -> {
                    state.webhooks.remove(id);
                    yield Ocs.ok(p, Ocs.JSON.getNodeFactory().booleanNode(true));
                }
                default -> Ocs.failure(p, 405, "Method not allowed");
            });
        }
    }

    private Reply list(String p) {
        ArrayNode a = Ocs.JSON.createArrayNode();
        synchronized (state) {
            state.webhooks.values().forEach(h -> a.add(h.deepCopy()));
        }
        return Ocs.ok(p, a);
    }

    private Reply register(Exchange ex) {
        JsonNode b = ex.body();
        for (String k : new String[]{"httpMethod", "uri", "event"}) {
            if (b.path(k).asText("").isEmpty()) {
                return Ocs.failure(ex.path(), 400, k + " is required");
            }
        }
        ObjectNode hook = Ocs.object();
        synchronized (state) {
            long id = state.ids.incrementAndGet();
            hook.put("id", id).put("appId", appId);
            if (ex.user().isEmpty()) {
                hook.putNull("userId");
            } else {
                hook.put("userId", ex.user());
            }
            hook.put("httpMethod", b.get("httpMethod").asText()).put("uri", b.get("uri").asText())
                    .put("event", b.get("event").asText());
            hook.set("eventFilter", b.has("eventFilter") ? b.get("eventFilter") : Ocs.JSON.createArrayNode());
            hook.put("userIdFilter", b.path("userIdFilter").asText(""));
            hook.set("headers", b.has("headers") ? b.get("headers") : Ocs.JSON.nullNode());
            hook.put("authMethod", b.path("authMethod").asText("none"));
            state.webhooks.put(id, hook);
        }
        return Ocs.ok(ex.path(), hook.deepCopy());
    }
}

package org.harpjava.exapp.nextcloud;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.harpjava.exapp.nextcloud.Fixture.assertCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhooksTest extends AgainstFakeNextcloud {
    private static final String PATH = "/ocs/v1.php/apps/webhook_listeners/api/v1/webhooks";
    @Test
    void registerListUnregister() {
        Webhook hook = Webhook.builder("POST", "/events/created", "OCP\\Files\\Events\\Node\\NodeCreatedEvent")
                .eventFilter(Map.of("event.node.path", "/alice/files/Inbox"))
                .header("X-Source", "nextcloud").build();
        WebhookInfo info = nc.webhooks().register(hook);
        assertCall(fake.lastRequest().orElseThrow(), "POST", PATH, "", "{\"httpMethod\":\"POST\","
                + "\"uri\":\"/events/created\",\"event\":\"OCP\\\\Files\\\\Events\\\\Node\\\\NodeCreatedEvent\","
                + "\"eventFilter\":{\"event.node.path\":\"/alice/files/Inbox\"},"
                + "\"headers\":{\"X-Source\":\"nextcloud\"},\"authMethod\":\"none\"}");
        assertTrue(info.id() > 0);
        assertEquals(Fixture.APP_ID, info.appId());
        assertEquals("/events/created", info.uri());
        assertEquals("OCP\\Files\\Events\\Node\\NodeCreatedEvent", info.event());

        assertEquals(1, nc.webhooks().list().size());
        assertCall(fake.lastRequest().orElseThrow(), "GET", PATH, "", null);
        assertTrue(nc.webhooks().unregister(info.id()));
        assertCall(fake.lastRequest().orElseThrow(), "DELETE", PATH + "/" + info.id(), "", null);
        assertFalse(nc.webhooks().unregister(info.id()));
        assertTrue(nc.webhooks().list().isEmpty());

        nc.webhooks().register(Webhook.builder("GET", "https://hooks.example/x", "E")
                .authHeaders(Map.of("Authorization", "Bearer t")).userIdFilter("bob").build());
        assertEquals(Fixture.tree("{\"httpMethod\":\"GET\",\"uri\":\"https://hooks.example/x\",\"event\":\"E\","
                + "\"userIdFilter\":\"bob\",\"authMethod\":\"header\",\"authData\":{\"Authorization\":\"Bearer t\"}}"),
                fake.lastRequest().orElseThrow().json());
    }
}

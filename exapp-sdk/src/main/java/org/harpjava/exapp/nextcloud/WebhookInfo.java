package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A webhook as Nextcloud stores it.
 *
 * @param id           its id, for {@link WebhooksApi#unregister(long)}
 * @param appId        the ExApp that registered it, or ""
 * @param userId       the user it was registered for, or ""
 * @param httpMethod   how the event is delivered
 * @param uri          where it is delivered
 * @param event        the PHP event class
 * @param eventFilter  the filter, or a JSON null
 * @param userIdFilter the user filter, or ""
 * @param authMethod   {@code none} or {@code header}
 */
public record WebhookInfo(long id, String appId, String userId, String httpMethod, String uri, String event,
                          JsonNode eventFilter, String userIdFilter, String authMethod) {
    static WebhookInfo of(JsonNode d) {
        return new WebhookInfo(d.path("id").asLong(), Json.text(d, "appId", ""), Json.text(d, "userId", ""),
                Json.text(d, "httpMethod", ""), Json.text(d, "uri", ""), Json.text(d, "event", ""),
                d.path("eventFilter"), Json.text(d, "userIdFilter", ""), Json.text(d, "authMethod", "none"));
    }
}

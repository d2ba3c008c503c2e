package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A webhook to register with {@link WebhooksApi#register(Webhook)}. A {@code uri} starting with {@code /} is an
 * ExApp path: Nextcloud delivers the event to the ExApp through AppAPI.
 *
 * @param httpMethod   how the event is delivered, such as {@code POST}
 * @param uri          where it is delivered
 * @param event        the PHP event class, such as {@code OCP\Files\Events\Node\NodeCreatedEvent}
 * @param eventFilter  a Mongo-style filter over the serialized event; null for none
 * @param userIdFilter only events of this user; "" for all
 * @param headers      extra headers of the delivery
 * @param authMethod   {@code none} or {@code header}
 * @param authData     the authentication headers when {@code authMethod} is {@code header}
 */
public record Webhook(String httpMethod, String uri, String event, JsonNode eventFilter, String userIdFilter,
                      Map<String, String> headers, String authMethod, Map<String, String> authData) {
    public Webhook {
        Objects.requireNonNull(httpMethod, "httpMethod");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(event, "event");
        userIdFilter = userIdFilter == null ? "" : userIdFilter;
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        authMethod = authMethod == null || authMethod.isEmpty() ? "none" : authMethod;
        authData = Map.copyOf(authData == null ? Map.of() : authData);
    }

    /** A builder for {@code event} delivered to {@code uri} with {@code httpMethod}. */
    public static Builder builder(String httpMethod, String uri, String event) {
        return new Builder(httpMethod, uri, event);
    }

    /** Builds a {@link Webhook}. */
    public static final class Builder {
        private final String httpMethod;
        private final String uri;
        private final String event;
        private JsonNode eventFilter;
        private String userIdFilter = "";
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String authMethod = "none";
        private final Map<String, String> authData = new LinkedHashMap<>();

        private Builder(String httpMethod, String uri, String event) {
            this.httpMethod = httpMethod;
            this.uri = uri;
            this.event = event;
        }

        /** A Mongo-style filter: a map or {@link JsonNode}. */
        public Builder eventFilter(Object filter) {
            this.eventFilter = filter == null ? null : Json.tree(filter);
            return this;
        }

        /** Only events of {@code userId}. */
        public Builder userIdFilter(String userId) {
            this.userIdFilter = userId;
            return this;
        }

        /** An extra header of the delivery. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Authenticates the delivery with {@code headers} ({@code authMethod=header}). */
        public Builder authHeaders(Map<String, String> headers) {
            this.authMethod = "header";
            authData.putAll(headers);
            return this;
        }

        /** The webhook. */
        public Webhook build() {
            return new Webhook(httpMethod, uri, event, eventFilter, userIdFilter, headers, authMethod, authData);
        }
    }
}

package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One HTTP call to Nextcloud, as the sub-APIs describe it to {@link Transport}. */
final class Call {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    final String method;
    final String path;
    final List<Map.Entry<String, String>> query = new ArrayList<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    Body body = Body.NONE;
    boolean idempotent;
    boolean appApiAuth = true;
    boolean dav;

    private Call(String method, String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        this.method = method;
        this.path = path;
        this.idempotent = IDEMPOTENT.contains(method);
    }

    static Call of(String method, String path) {
        return new Call(method, path);
    }

    static Call get(String path) {
        return new Call("GET", path);
    }

    static Call post(String path) {
        return new Call("POST", path);
    }

    static Call put(String path) {
        return new Call("PUT", path);
    }

    static Call delete(String path) {
        return new Call("DELETE", path);
    }

    Call query(String name, String value) {
        query.add(Map.entry(name, value));
        return this;
    }

    Call json(JsonNode node) {
        body = new Body.Bytes(node.toString().getBytes(StandardCharsets.UTF_8), "application/json");
        return this;
    }

    Call body(Body body) {
        this.body = body;
        return this;
    }

    Call header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Marks a call safe to repeat after a connection failure (an upsert sent with POST, for instance). */
    Call idempotent() {
        this.idempotent = true;
        return this;
    }

    /** Sends the call without the AppAPI credentials (Talk bot calls are signed on their own). */
    Call withoutAppApiAuth() {
        this.appApiAuth = false;
        return this;
    }

    /** Uses the file-transfer timeout instead of the OCS one. */
    Call transfer() {
        this.dav = true;
        return this;
    }

    boolean isOcs() {
        return path.startsWith("/ocs/");
    }

    /** Whether the call can be sent again after a 503 or 429. */
    boolean repeatable() {
        return body.repeatable();
    }
}

package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.harpjava.exapp.testkit.Ocs.Reply;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** AppAPI's OCS endpoints for ExApps ({@code /ocs/v1.php/apps/app_api/...}) and the server capabilities. */
final class AppApiEndpoints {
    static final String BASE = "/ocs/v1.php/apps/app_api";
    static final String API = BASE + "/api/v1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FakeState state;
    private final String appId;

    AppApiEndpoints(FakeState state, String appId) {
        this.state = state;
        this.appId = appId;
    }

    /** The reply, or empty when the path is not AppAPI's. */
    Optional<Reply> handle(Exchange ex) {
        String p = ex.path();
        String m = ex.method();
        if (p.equals("/ocs/v1.php/cloud/capabilities") && m.equals("GET")) {
            synchronized (state) {
                return Optional.of(Ocs.ok(p, state.capabilities.deepCopy()));
            }
        }
        if (!p.startsWith(BASE + "/")) {
            return Optional.empty();
        }
        String rest = p.substring(BASE.length());
        return Optional.of(switch (m + " " + rest) {
            case "PUT /ex-app/status" -> initStatus(ex);
            case "GET /ex-app/state" -> {
                synchronized (state) {
                    yield Ocs.ok(p, Ocs.JSON.getNodeFactory().numberNode(state.enabled ? 1 : 0));
                }
            }
            case "POST /api/v1/log" -> log(ex);
            case "POST /api/v1/ex-app/config" -> setConfig(ex, null);
            case "POST /api/v1/ex-app/config/get-values" -> getConfig(ex, null);
            case "DELETE /api/v1/ex-app/config" -> deleteConfig(ex, null);
            case "POST /api/v1/ex-app/preference" -> needUser(ex, () -> setConfig(ex, ex.user()));
            case "POST /api/v1/ex-app/preference/get-values" -> needUser(ex, () -> getConfig(ex, ex.user()));
            case "DELETE /api/v1/ex-app/preference" -> needUser(ex, () -> deleteConfig(ex, ex.user()));
            case "POST /api/v1/notification" -> needUser(ex, () -> notification(ex));
            case "POST /api/v1/ui/top-menu" -> register(ex, "top-menu", List.of("name", "displayName"), "name");
            case "DELETE /api/v1/ui/top-menu" -> unregister(ex, "top-menu", "name");
            case "GET /api/v1/ui/top-menu" -> topMenu(ex);
            case "POST /api/v1/ui/script" -> register(ex, "script", List.of("type", "name", "path"), "type", "name", "path");
            case "DELETE /api/v1/ui/script" -> unregister(ex, "script", "type", "name", "path");
            case "POST /api/v1/ui/style" -> register(ex, "style", List.of("type", "name", "path"), "type", "name", "path");
            case "DELETE /api/v1/ui/style" -> unregister(ex, "style", "type", "name", "path");
            case "POST /api/v1/ui/initial-state" -> initialState(ex);
            case "DELETE /api/v1/ui/initial-state" -> unregister(ex, "initial-state", "type", "name", "key");
            case "POST /api/v1/ui/settings" -> settings(ex);
            case "DELETE /api/v1/ui/settings" -> unregister(ex, "settings", "formId");
            case "POST /api/v2/ui/files-actions-menu" ->
                    register(ex, "files-actions-menu", List.of("name", "displayName", "actionHandler"), "name");
            case "DELETE /api/v1/ui/files-actions-menu" -> unregister(ex, "files-actions-menu", "name");
            case "POST /api/v1/occ_command" -> register(ex, "occ_command", List.of("name", "execute_handler"), "name");
            case "DELETE /api/v1/occ_command" -> unregister(ex, "occ_command", "name");
            case "POST /api/v1/ai_provider/task_processing" -> taskProvider(ex);
            case "DELETE /api/v1/ai_provider/task_processing" -> unregister(ex, "task_processing", "name");
            case "POST /api/v1/talk_bot" -> talkBot(ex);
            case "DELETE /api/v1/talk_bot" -> deleteTalkBot(ex);
            default -> Ocs.notFound(p, "no such AppAPI endpoint: " + m + " " + rest);
        });
    }

    private Reply needUser(Exchange ex, java.util.function.Supplier<Reply> then) {
        return ex.user().isEmpty() ? Ocs.unauthorized("this endpoint needs a user") : then.get();
    }

    private Reply initStatus(Exchange ex) {
        JsonNode b = ex.body();
        if (!b.has("progress") || !b.get("progress").canConvertToInt()) {
            return Ocs.failure(ex.path(), 400, "progress is required");
        }
        synchronized (state) {
            state.initReports.add(b);
            if (b.get("progress").asInt() >= 100 && b.path("error").asText("").isEmpty()) {
                state.enabled = true;
            }
        }
        return Ocs.ok(ex.path());
    }

    private Reply log(Exchange ex) {
        JsonNode b = ex.body();
        int level = b.path("level").asInt(-1);
        if (level < 0 || level > 4 || !b.has("message")) {
            return Ocs.failure(ex.path(), 400, "Invalid log level");
        }
        synchronized (state) {
            state.logs.add(new FakeNextcloud.LogEntry(level, b.get("message").asText()));
        }
        return Ocs.ok(ex.path());
    }

    private Map<String, String> store(String user) {
        return user == null ? state.appConfig : state.preferences.computeIfAbsent(user, u -> new LinkedHashMap<>());
    }

    private Reply setConfig(Exchange ex, String user) {
        JsonNode b = ex.body();
        String key = b.path("configKey").asText("");
        if (key.isEmpty() || !b.has("configValue")) {
            return Ocs.failure(ex.path(), 400, "configKey and configValue are required");
        }
        ObjectNode out = Ocs.object().put("appid", appId).put("configkey", key)
                .put("configvalue", b.get("configValue").asText());
        synchronized (state) {
            store(user).put(key, b.get("configValue").asText());
            if (user == null) {
                if (b.has("sensitive")) {
                    state.appConfigSensitive.put(key, b.get("sensitive").asBoolean());
                } else {
                    state.appConfigSensitive.putIfAbsent(key, false);
                }
                out.put("sensitive", state.appConfigSensitive.get(key) ? 1 : 0);
            } else {
                out.put("userid", user);
            }
        }
        return Ocs.ok(ex.path(), out);
    }

    private Reply getConfig(Exchange ex, String user) {
        JsonNode keys = ex.body().path("configKeys");
        if (!keys.isArray()) {
            return Ocs.failure(ex.path(), 400, "configKeys is required");
        }
        ArrayNode out = Ocs.JSON.createArrayNode();
        synchronized (state) {
            Map<String, String> s = store(user);
            for (JsonNode k : keys) {
                if (s.containsKey(k.asText())) {
                    out.addObject().put("configkey", k.asText()).put("configvalue", s.get(k.asText()));
                }
            }
        }
        return Ocs.ok(ex.path(), out);
    }

    private Reply deleteConfig(Exchange ex, String user) {
        JsonNode keys = ex.body().path("configKeys");
        if (!keys.isArray()) {
            return Ocs.failure(ex.path(), 400, "configKeys is required");
        }
        int removed = 0;
        synchronized (state) {
            Map<String, String> s = store(user);
            for (JsonNode k : keys) {
                if (s.remove(k.asText()) != null) {
                    removed++;
                    state.appConfigSensitive.remove(k.asText());
                }
            }
        }
        return removed == 0 ? Ocs.notFound(ex.path(), "No such config keys") : Ocs.ok(ex.path());
    }

    private Reply notification(Exchange ex) {
        JsonNode params = ex.body().path("params");
        if (!params.path("object").asText().equals("app_api")
                || !params.path("subject_type").asText().equals("app_api_ex_app")
                || !params.path("subject_params").has("rich_subject")) {
            return Ocs.failure(ex.path(), 400, "invalid notification params");
        }
        JsonNode sp = params.path("subject_params");
        ObjectNode out = Ocs.object().put("app", appId).put("user", ex.user())
                .put("datetime", OffsetDateTime.now().withNano(0).toString()).put("object_type", "app_api")
                .put("object_id", params.path("object_id").asText()).put("subject", sp.path("rich_subject").asText())
                .put("message", sp.path("rich_message").asText("")).put("link", sp.path("link").asText(""))
                .put("icon", "");
        return Ocs.ok(ex.path(), out);
    }

    private Reply register(Exchange ex, String kind, List<String> required, String... keyParts) {
        JsonNode b = ex.body();
        for (String r : required) {
            if (!b.hasNonNull(r) || b.get(r).asText().isEmpty()) {
                return Ocs.failure(ex.path(), 400, r + " is required");
            }
        }
        synchronized (state) {
            state.registry(kind).put(key(ex, keyParts), b);
        }
        return Ocs.ok(ex.path());
    }

    private Reply unregister(Exchange ex, String kind, String... keyParts) {
        JsonNode removed;
        synchronized (state) {
            removed = state.registry(kind).remove(key(ex, keyParts));
        }
        return removed == null ? Ocs.notFound(ex.path(), "No such " + kind) : Ocs.ok(ex.path());
    }

    private static String key(Exchange ex, String... parts) {
        StringBuilder b = new StringBuilder();
        for (String part : parts) {
            if (!b.isEmpty()) {
                b.append('/');
            }
            b.append(ex.param(part).orElse(""));
        }
        return b.toString();
    }

    private Reply topMenu(Exchange ex) {
        JsonNode entry;
        synchronized (state) {
            entry = state.registry("top-menu").get(key(ex, "name"));
        }
        if (entry == null) {
            return Ocs.notFound(ex.path(), "No such Top Menu entry");
        }
        return Ocs.ok(ex.path(), Ocs.object().put("id", 1).put("appid", appId).put("name", entry.path("name").asText())
                .put("display_name", entry.path("displayName").asText()).put("icon", entry.path("icon").asText(""))
                .put("admin_required", entry.path("adminRequired").asInt(0)));
    }

    private Reply initialState(Exchange ex) {
        JsonNode value = ex.body().path("value");
        if (!value.isContainerNode()) {
            return Ocs.failure(ex.path(), 400, "value must be an array");
        }
        return register(ex, "initial-state", List.of("type", "name", "key"), "type", "name", "key");
    }

    private Reply settings(Exchange ex) {
        JsonNode form = ex.body().path("formScheme");
        String type = form.path("section_type").asText();
        if (form.path("id").asText().isEmpty() || !(type.equals("admin") || type.equals("personal"))
                || form.path("section_id").asText().isEmpty() || !form.path("fields").isArray()) {
            return Ocs.failure(ex.path(), 400, "invalid formScheme");
        }
        for (JsonNode f : form.path("fields")) {
            if (f.path("id").asText().isEmpty() || f.path("type").asText().isEmpty() || !f.has("default")) {
                return Ocs.failure(ex.path(), 400, "invalid field in formScheme");
            }
        }
        synchronized (state) {
            state.registry("settings").put(form.path("id").asText(), form);
        }
        return Ocs.ok(ex.path());
    }

    /** Checks the provider as AppAPI's {@code TaskProcessingService::validateTaskProcessingProvider}. */
    private Reply taskProvider(Exchange ex) {
        JsonNode provider = ex.body().path("provider");
        JsonNode custom = ex.body().path("customTaskType");
        String error = null;
        for (String k : List.of("id", "name", "task_type")) {
            if (!provider.path(k).isTextual()) {
                error = '"' + k + "\" key must be a string";
            }
        }
        if (!provider.path("expected_runtime").isInt()) {
            error = "\"expected_runtime\" key must be an integer";
        }
        for (String k : List.of("optional_input_shape", "optional_output_shape")) {
            if (!provider.path(k).isArray()) {
                error = '"' + k + "\" should be an array";
            } else {
                for (JsonNode s : provider.path(k)) {
                    if (!s.has("name") || !s.has("description") || !s.has("shape_type")) {
                        error = '"' + k + "\" must have name, description and shape_type";
                    }
                }
            }
        }
        for (String k : List.of("input_shape_enum_values", "optional_input_shape_enum_values",
                "output_shape_enum_values", "optional_output_shape_enum_values")) {
            if (!provider.path(k).isObject() && !(provider.path(k).isArray() && provider.path(k).isEmpty())) {
                error = '"' + k + "\" should be an object";
            }
        }
        for (String k : List.of("input_shape_defaults", "optional_input_shape_defaults")) {
            if (!provider.path(k).isContainerNode()) {
                error = '"' + k + "\" key must be an array";
            }
        }
        if (custom.isObject() && !custom.path("id").asText().equals(provider.path("task_type").asText())) {
            error = "Task type and custom task type must be the same if custom task type is provided";
        }
        if (error != null) {
            return Ocs.failure(ex.path(), 400, error);
        }
        synchronized (state) {
            state.registry("task_processing").put(provider.path("id").asText(), ex.body());
        }
        return Ocs.ok(ex.path());
    }

    private Reply talkBot(Exchange ex) {
        JsonNode b = ex.body();
        String route = b.path("route").asText("");
        if (route.isEmpty() || b.path("name").asText("").isEmpty()) {
            return Ocs.failure(ex.path(), 400, "name and route are required");
        }
        String id = sha1(appId + "_" + route.replaceFirst("^/+", ""));
        FakeState.TalkBotEntry bot;
        synchronized (state) {
            // As AppAPI: registering a registered bot again keeps its secret; a new one gets a new secret.
            bot = state.talkBots.get(route);
            if (bot == null) {
                byte[] secret = new byte[32];
                RANDOM.nextBytes(secret);
                bot = new FakeState.TalkBotEntry(id, route, HexFormat.of().formatHex(secret));
                state.talkBots.put(route, bot);
            }
            state.registry("talk_bot").put(route, b);
        }
        return Ocs.ok(ex.path(), Ocs.object().put("id", bot.id()).put("secret", bot.secret()));
    }

    private Reply deleteTalkBot(Exchange ex) {
        String route = ex.param("route").orElse("");
        synchronized (state) {
            state.registry("talk_bot").remove(route);
            return state.talkBots.remove(route) == null ? Ocs.notFound(ex.path(), "No such bot") : Ocs.ok(ex.path());
        }
    }

    static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Everything {@link FakeNextcloud} stores. All access goes through the object's monitor. */
final class FakeState {
    /** A talk bot AppAPI registered. */
    record TalkBotEntry(String id, String route, String secret) {
    }

    boolean enabled = true;
    ObjectNode capabilities;
    final List<FailureRule> failures = new ArrayList<>();
    final List<JsonNode> initReports = new ArrayList<>();
    final List<FakeNextcloud.LogEntry> logs = new ArrayList<>();
    final Map<String, String> appConfig = new LinkedHashMap<>();
    final Map<String, Boolean> appConfigSensitive = new HashMap<>();
    final Map<String, Map<String, String>> preferences = new HashMap<>();
    final Map<String, Map<String, JsonNode>> registry = new HashMap<>();
    final Map<String, TalkBotEntry> talkBots = new LinkedHashMap<>();
    final List<TalkBotPost> talkBotPosts = new ArrayList<>();
    final Deque<FakeTask> taskQueue = new ArrayDeque<>();
    final Map<Long, FakeTask> tasks = new HashMap<>();
    final Map<Long, List<Double>> taskProgress = new HashMap<>();
    final Map<Long, JsonNode> taskResults = new HashMap<>();
    final Map<String, byte[]> taskInputFiles = new HashMap<>();
    final Map<Long, byte[]> taskOutputFiles = new HashMap<>();
    final Map<String, byte[]> files = new HashMap<>();
    final Map<Long, ObjectNode> webhooks = new LinkedHashMap<>();
    final AtomicLong ids = new AtomicLong(1000);

    Map<String, JsonNode> registry(String kind) {
        return registry.computeIfAbsent(kind, k -> new LinkedHashMap<>());
    }

    Optional<FailureRule> takeFailure(String method, String path) {
        for (FailureRule rule : failures) {
            if (rule.matches(method, path)) {
                rule.remaining--;
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    static String fileKey(String user, String path) {
        return user + "/" + path;
    }
}

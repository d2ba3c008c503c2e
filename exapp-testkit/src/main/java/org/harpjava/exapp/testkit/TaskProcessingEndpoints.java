package org.harpjava.exapp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.harpjava.exapp.testkit.Ocs.Reply;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Nextcloud core's TaskProcessing endpoints for providers ({@code /ocs/v2.php/taskprocessing/tasks_provider/}). */
final class TaskProcessingEndpoints {
    static final String BASE = "/ocs/v2.php/taskprocessing/tasks_provider";
    private static final Pattern TASK = Pattern.compile(BASE + "/(\\d+)/(progress|result|file)(?:/(\\d+))?");

    private final FakeState state;

    TaskProcessingEndpoints(FakeState state) {
        this.state = state;
    }

    Optional<Reply> handle(Exchange ex) {
        String p = ex.path();
        if (!p.startsWith(BASE + "/")) {
            return Optional.empty();
        }
        if (p.equals(BASE + "/next") && ex.method().equals("GET")) {
            return Optional.of(next(ex));
        }
        Matcher m = TASK.matcher(p);
        if (!m.matches()) {
            return Optional.of(Ocs.notFound(p, "Not found"));
        }
        long taskId = Long.parseLong(m.group(1));
        String what = m.group(2);
        synchronized (state) {
            if (!state.tasks.containsKey(taskId)) {
                return Optional.of(Ocs.envelope(404, "failure", 404, "Not found", Ocs.object().put("message", "Not found")));
            }
        }
        return Optional.of(switch (ex.method() + " " + what + (m.group(3) == null ? "" : "/")) {
            case "POST progress" -> progress(ex, taskId);
            case "POST result" -> result(ex, taskId);
            case "POST file" -> upload(ex, taskId);
            case "GET file/" -> download(taskId, Long.parseLong(m.group(3)));
            default -> Ocs.notFound(p, "Not found");
        });
    }

    private Reply next(Exchange ex) {
        List<String> providers = list(ex, "providerIds");
        Set<String> types = new HashSet<>(list(ex, "taskTypeIds"));
        if (providers.isEmpty() || types.isEmpty()) {
            return Reply.empty(204);
        }
        FakeTask task = null;
        synchronized (state) {
            for (Iterator<FakeTask> it = state.taskQueue.iterator(); it.hasNext(); ) {
                FakeTask t = it.next();
                if (types.contains(t.type())) {
                    it.remove();
                    task = t;
                    break;
                }
            }
        }
        if (task == null) {
            return Reply.empty(204);
        }
        String provider = providers.get(0);
        synchronized (state) {
            for (Map.Entry<String, JsonNode> e : state.registry("task_processing").entrySet()) {
                if (providers.contains(e.getKey())
                        && e.getValue().path("provider").path("task_type").asText().equals(task.type())) {
                    provider = e.getKey();
                }
            }
        }
        ObjectNode data = Ocs.object();
        data.set("task", taskJson(task, "STATUS_RUNNING", 0));
        data.putObject("provider").put("name", provider);
        return Ocs.ok(ex.path(), data);
    }

    /** The ids from {@code name[]} query parameters or, as nc_py_api sends them, a JSON body. */
    private static List<String> list(Exchange ex, String name) {
        List<String> out = new ArrayList<>(ex.request().queryParams().getOrDefault(name + "[]", List.of()));
        if (out.isEmpty()) {
            ex.body().path(name).forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    static ObjectNode taskJson(FakeTask task, String status, double progress) {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode t = Ocs.object().put("id", task.id()).put("lastUpdated", now).put("type", task.type())
                .put("status", status).put("userId", task.userId()).put("appId", "assistant");
        t.set("input", task.input());
        t.putNull("output");
        t.putNull("customId");
        t.putNull("completionExpectedAt");
        t.put("progress", progress).put("scheduledAt", now).put("startedAt", now).putNull("endedAt");
        return t;
    }

    private Reply progress(Exchange ex, long taskId) {
        JsonNode v = ex.param("progress").map(s -> (JsonNode) Ocs.JSON.getNodeFactory().numberNode(Double.parseDouble(s)))
                .orElse(null);
        if (v == null || v.asDouble() < 0 || v.asDouble() > 1) {
            return Ocs.failure(ex.path(), 400, "progress must be between 0 and 1");
        }
        FakeTask task;
        synchronized (state) {
            state.taskProgress.computeIfAbsent(taskId, k -> new ArrayList<>()).add(v.asDouble());
            task = state.tasks.get(taskId);
        }
        ObjectNode data = Ocs.object();
        data.set("task", taskJson(task, "STATUS_RUNNING", v.asDouble()));
        return Ocs.ok(ex.path(), data);
    }

    private Reply result(Exchange ex, long taskId) {
        JsonNode b = ex.body();
        boolean failed = b.hasNonNull("errorMessage");
        if (!failed && !b.path("output").isObject()) {
            return Ocs.failure(ex.path(), 400, "output or errorMessage is required");
        }
        FakeTask task;
        synchronized (state) {
            state.taskResults.put(taskId, b);
            task = state.tasks.get(taskId);
        }
        ObjectNode data = Ocs.object();
        ObjectNode t = taskJson(task, failed ? "STATUS_FAILED" : "STATUS_SUCCESSFUL", 1);
        t.set("output", b.path("output"));
        data.set("task", t);
        return Ocs.ok(ex.path(), data);
    }

    private Reply upload(Exchange ex, long taskId) {
        MultipartForm.Part file = MultipartForm.parse(ex.request().header("Content-Type"), ex.request().body())
                .get("file");
        if (file == null) {
            return Ocs.failure(ex.path(), 400, "a multipart field 'file' is required");
        }
        long fileId;
        synchronized (state) {
            fileId = state.ids.incrementAndGet();
            state.taskOutputFiles.put(fileId, file.content());
        }
        return Ocs.ok(ex.path(), Ocs.object().put("fileId", fileId));
    }

    private Reply download(long taskId, long fileId) {
        byte[] content;
        synchronized (state) {
            content = state.taskInputFiles.get(taskId + "/" + fileId);
        }
        if (content == null) {
            return Ocs.envelope(404, "failure", 404, "Not found", Ocs.object().put("message", "Not found"));
        }
        return Reply.of(200, "application/octet-stream", content)
                .withHeader("Content-Disposition", "attachment; filename=\"input-" + fileId + "\"");
    }

}

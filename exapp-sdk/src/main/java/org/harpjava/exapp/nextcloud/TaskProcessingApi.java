package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * TaskProcessing: the provider registration in AppAPI ({@code /api/v1/ai_provider/task_processing}) and the worker
 * calls of Nextcloud core ({@code /ocs/v2.php/taskprocessing/tasks_provider/...}). A worker loops: {@link #nextTask},
 * {@link #downloadInputFile} for file inputs, {@link #setProgress}, {@link #uploadResultFile} for file outputs, then
 * {@link #reportResult} or {@link #reportError}. Unlike {@code nc_py_api}, failures are thrown, not swallowed.
 */
public final class TaskProcessingApi {
    private static final String REGISTER = Endpoints.APP_API + "/ai_provider/task_processing";

    private final Session session;

    TaskProcessingApi(Session session) {
        this.session = session;
    }

    /** Registers {@code provider} (or updates the provider with its id) for a task type Nextcloud knows. */
    public void register(TaskProcessingProvider provider) {
        session.ocs(Call.post(REGISTER).idempotent().json(Json.object().set("provider", provider.toJson())));
    }

    /** Registers {@code provider} for the task type {@code custom} it defines; their ids must match. */
    public void register(TaskProcessingProvider provider, CustomTaskType custom) {
        if (!provider.taskType().equals(custom.id())) {
            throw new IllegalArgumentException("the provider's task type must be the custom task type's id");
        }
        ObjectNode body = Json.object();
        body.set("provider", provider.toJson());
        body.set("customTaskType", custom.toJson());
        session.ocs(Call.post(REGISTER).idempotent().json(body));
    }

    /**
     * Removes the provider {@code providerId}.
     *
     * @return false when there was none
     */
    public boolean unregister(String providerId) {
        try {
            session.ocs(Call.delete(REGISTER).query("name", providerId));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Takes the next scheduled task of {@code taskTypeIds} that one of {@code providerIds} should run, locking it
     * for this worker. The ids go in the query ({@code providerIds[]}, {@code taskTypeIds[]}), not a GET body.
     *
     * @return empty when no task waits (Nextcloud answers 204)
     */
    public Optional<NextTask> nextTask(Collection<String> providerIds, Collection<String> taskTypeIds) {
        Call call = Call.get(Endpoints.TASKS_PROVIDER + "/next");
        providerIds.forEach(p -> call.query("providerIds[]", p));
        taskTypeIds.forEach(t -> call.query("taskTypeIds[]", t));
        JsonNode data = session.ocs(call);
        if (data.isNull() || !data.has("task")) {
            return Optional.empty();
        }
        return Optional.of(new NextTask(Task.of(data.get("task")), data.path("provider").path("name").asText("")));
    }

    /** Reports progress of task {@code taskId}, from 0 (nothing done) to 1 (done). */
    public void setProgress(long taskId, double progress) {
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException("progress must be 0 to 1");
        }
        session.ocs(Call.post(Endpoints.TASKS_PROVIDER + "/" + taskId + "/progress").idempotent()
                .json(Json.object().put("taskId", taskId).put("progress", progress)));
    }

    /**
     * Completes task {@code taskId} with its output slots.
     *
     * @param output a JSON object: a map, record or {@link JsonNode}; file slots hold ids from
     *               {@link #uploadResultFile}
     */
    public void reportResult(long taskId, Object output) {
        JsonNode tree = Json.tree(output);
        if (!tree.isObject()) {
            throw new IllegalArgumentException("task output must be a JSON object");
        }
        ObjectNode body = Json.object().put("taskId", taskId);
        body.set("output", tree);
        body.putNull("errorMessage");
        body.putNull("userFacingErrorMessage");
        session.ocs(Call.post(Endpoints.TASKS_PROVIDER + "/" + taskId + "/result").json(body));
    }

    /**
     * Fails task {@code taskId}.
     *
     * @param errorMessage           the technical reason, for the log
     * @param userFacingErrorMessage what the user sees; null to leave it to Nextcloud
     */
    public void reportError(long taskId, String errorMessage, String userFacingErrorMessage) {
        ObjectNode body = Json.object().put("taskId", taskId);
        body.putNull("output");
        body.put("errorMessage", errorMessage);
        if (userFacingErrorMessage == null) {
            body.putNull("userFacingErrorMessage");
        } else {
            body.put("userFacingErrorMessage", userFacingErrorMessage);
        }
        session.ocs(Call.post(Endpoints.TASKS_PROVIDER + "/" + taskId + "/result").json(body));
    }

    /** Uploads a result file of task {@code taskId} from {@code file}; returns the file id for the output. */
    public long uploadResultFile(long taskId, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return upload(taskId, Multipart.file("file", file.getFileName().toString(), size, true,
                () -> Files.newInputStream(file)));
    }

    /** Uploads a result file of task {@code taskId} from memory; returns the file id for the output. */
    public long uploadResultFile(long taskId, String filename, byte[] content) {
        return upload(taskId, Multipart.file("file", filename, content.length, true,
                () -> new ByteArrayInputStream(content)));
    }

    /**
     * Uploads a result file of task {@code taskId}, streamed from {@code content}, which is read once and not
     * closed; such an upload is not retried. Returns the file id for the output.
     */
    public long uploadResultFile(long taskId, String filename, InputStream content) {
        return upload(taskId, Multipart.file("file", filename, -1, false, () -> new NonClosingInput(content)));
    }

    private long upload(long taskId, Body body) {
        JsonNode data = session.ocs(Call.post(Endpoints.TASKS_PROVIDER + "/" + taskId + "/file").transfer()
                .body(body));
        JsonNode id = data.get("fileId");
        if (id == null || !id.canConvertToLong()) {
            throw new HttpStatusException("POST", Endpoints.TASKS_PROVIDER + "/" + taskId + "/file", 200, 0,
                    "the answer has no fileId");
        }
        return id.asLong();
    }

    /**
     * Streams input file {@code fileId} of task {@code taskId} into {@code out}, which is not closed.
     *
     * @return the number of bytes written
     */
    public long downloadInputFile(long taskId, long fileId, OutputStream out) {
        return session.download(Call.get(Endpoints.TASKS_PROVIDER + "/" + taskId + "/file/" + fileId).transfer(), out);
    }

    /**
     * Downloads input file {@code fileId} of task {@code taskId} to {@code target}, replacing it; nothing is left
     * behind when the download fails.
     *
     * @return the number of bytes written
     */
    public long downloadInputFile(long taskId, long fileId, Path target) {
        return Downloads.toPath(target, out -> downloadInputFile(taskId, fileId, out));
    }
}

package org.harpjava.exapp.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerResponse;
import org.harpjava.exapp.ExApp;
import org.harpjava.exapp.ExAppEnvironment;
import org.harpjava.exapp.Route;
import org.harpjava.exapp.nextcloud.TaskProcessingProvider;
import org.harpjava.exapp.testkit.AppApiClient;
import org.harpjava.exapp.testkit.FakeNextcloud;
import org.harpjava.exapp.testkit.FakeTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A TaskProcessing provider app against the fake Nextcloud: registration on enable, tasks on trigger, errors. */
class TaskWorkerTest {
    static final class Api {
        @Route(path = "/ping")
        void ping(ServerResponse res) {
            res.send("pong");
        }
    }

    private FakeNextcloud nextcloud;
    private ExApp app;
    private AppApiClient appApi;

    @BeforeEach
    void start() {
        nextcloud = FakeNextcloud.start("tasks_app", "tasks-secret");
        ExAppEnvironment env = ExAppEnvironment.from(nextcloud.environment("1.0.0", 0));
        ExApp.Builder builder = ExApp.builder(env).routes(new Api()).reenableOnStart(false);
        org.harpjava.exapp.nextcloud.NextcloudClient client = org.harpjava.exapp.nextcloud.NextcloudClient.create(env);
        TaskWorker worker = TaskWorker.builder(client)
                .provider(TaskProcessingProvider.builder("tasks_app:upper", "Upper case", "core:text2text").build(),
                        (task, progress) -> {
                            String input = task.inputText("input");
                            if (input.equals("fail")) {
                                throw new TaskFailure("engine refused", "The engine is busy");
                            }
                            if (input.equals("crash")) {
                                throw new IllegalStateException("bug");
                            }
                            progress.accept(0.5);
                            return Map.of("output", input.toUpperCase());
                        })
                .pollInterval(Duration.ofHours(1))
                .build();
        app = builder.nextcloud(client).tasks(worker).start();
        appApi = AppApiClient.builder(URI.create("http://127.0.0.1:" + app.port()), "tasks_app", "tasks-secret").build();
    }

    @AfterEach
    void stop() {
        app.close();
        nextcloud.close();
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void enablingRegistersAndATriggerRunsTheWaitingTasks() throws Exception {
        assertEquals(200, appApi.enable().status());
        assertTrue(nextcloud.registered("task_processing").keySet().stream().anyMatch(k -> k.contains("tasks_app:upper")),
                nextcloud.registered("task_processing").toString());

        nextcloud.queueTask(FakeTask.of(11, "core:text2text", "alice", Map.of("input", "hello")));
        nextcloud.queueTask(FakeTask.of(12, "core:text2text", "alice", Map.of("input", "fail")));
        nextcloud.queueTask(FakeTask.of(13, "core:text2text", "alice", Map.of("input", "crash")));
        assertEquals(200, appApi.trigger("tasks_app:upper").status());

        eventually(() -> nextcloud.taskResult(13).isPresent(), "all three tasks");
        assertEquals("HELLO", nextcloud.taskResult(11).orElseThrow().path("output").path("output").asText(),
                nextcloud.taskResult(11).toString());
        JsonNode failed = nextcloud.taskResult(12).orElseThrow();
        assertEquals("The engine is busy", failed.path("userFacingErrorMessage").asText(), failed.toString());
        assertEquals("engine refused", failed.path("errorMessage").asText());
        assertEquals(TaskWorker.GENERIC_ERROR, nextcloud.taskResult(13).orElseThrow().path("userFacingErrorMessage").asText());
        assertEquals(java.util.List.of(0.5), nextcloud.taskProgress(11));
    }

    @Test
    void aDisabledAppTakesNoTasksAndUnregisters() throws Exception {
        appApi.enable();
        appApi.disable();
        assertTrue(nextcloud.registered("task_processing").isEmpty(), nextcloud.registered("task_processing").toString());
        nextcloud.queueTask(FakeTask.of(21, "core:text2text", "bob", Map.of("input", "x")));
        appApi.trigger("tasks_app:upper");
        Thread.sleep(300);
        assertTrue(nextcloud.taskResult(21).isEmpty());
    }
}

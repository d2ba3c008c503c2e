package org.harpjava.exapp.nextcloud;

import org.harpjava.exapp.testkit.FakeTask;
import org.harpjava.exapp.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.harpjava.exapp.nextcloud.Fixture.assertCall;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskProcessingTest extends AgainstFakeNextcloud {
    private static final String REGISTER = "/ocs/v1.php/apps/app_api/api/v1/ai_provider/task_processing";
    private static final String TP = "/ocs/v2.php/taskprocessing/tasks_provider";
    @Test
    void registerProviderWithTheShapeAppApiValidates() {
        TaskProcessingProvider p = TaskProcessingProvider.builder("transcriber:whisper", "Whisper", "core:audio2text")
                .expectedRuntime(60)
                .optionalInput(new ShapeDescriptor("language", "Spoken language", ShapeType.ENUM))
                .optionalInputEnumValues("language", List.of(new ShapeEnumValue("English", "en")))
                .optionalInputDefault("language", "en")
                .build();
        nc.taskProcessing().register(p);
        assertCall(last(), "POST", REGISTER, "", "{\"provider\":{\"id\":\"transcriber:whisper\",\"name\":\"Whisper\","
                + "\"task_type\":\"core:audio2text\",\"expected_runtime\":60,"
                + "\"optional_input_shape\":[{\"name\":\"language\",\"description\":\"Spoken language\",\"shape_type\":6}],"
                + "\"optional_output_shape\":[],\"input_shape_enum_values\":{},\"input_shape_defaults\":{},"
                + "\"optional_input_shape_enum_values\":{\"language\":[{\"name\":\"English\",\"value\":\"en\"}]},"
                + "\"optional_input_shape_defaults\":{\"language\":\"en\"},\"output_shape_enum_values\":{},"
                + "\"optional_output_shape_enum_values\":{}}}");
        assertTrue(fake.registered("task_processing").containsKey("transcriber:whisper"));

        CustomTaskType custom = new CustomTaskType("transcriber:summary", "Summary", "Summarize a call",
                List.of(new ShapeDescriptor("input", "Audio", ShapeType.AUDIO)),
                List.of(new ShapeDescriptor("output", "Text", ShapeType.TEXT)));
        nc.taskProcessing().register(TaskProcessingProvider.builder("transcriber:sum", "Sum", "transcriber:summary")
                .build(), custom);
        assertEquals(Fixture.tree("{\"id\":\"transcriber:summary\",\"name\":\"Summary\",\"description\":\"Summarize a call\","
                        + "\"input_shape\":[{\"name\":\"input\",\"description\":\"Audio\",\"shape_type\":3}],"
                        + "\"output_shape\":[{\"name\":\"output\",\"description\":\"Text\",\"shape_type\":1}]}"),
                last().json().get("customTaskType"));
        assertThrows(IllegalArgumentException.class, () -> nc.taskProcessing().register(
                TaskProcessingProvider.builder("x", "X", "core:text2text").build(), custom));

        assertTrue(nc.taskProcessing().unregister("transcriber:sum"));
        assertCall(last(), "DELETE", REGISTER, "", null);
        assertEquals(Optional.of("transcriber:sum"), last().queryParam("name"));
        assertFalse(nc.taskProcessing().unregister("transcriber:sum"));
    }

    @Test
    void nextTaskPassesIdsInTheQueryAndIsEmptyOn204() {
        assertEquals(Optional.empty(), nc.taskProcessing().nextTask(List.of("p1"), List.of("core:text2text")));
        fake.queueTask(FakeTask.of(7, "core:text2text", "alice", Map.of("input", "Hello")));
        fake.queueTask(FakeTask.of(8, "core:audio2text", "bob", Map.of("input", 55)));
        NextTask next = nc.taskProcessing().nextTask(List.of("p1", "p2"), List.of("core:text2text")).orElseThrow();
        RecordedRequest r = last();
        assertCall(r, "GET", TP + "/next", "", null);
        assertEquals(List.of("p1", "p2"), r.queryParams().get("providerIds[]"));
        assertEquals(List.of("core:text2text"), r.queryParams().get("taskTypeIds[]"));
        assertEquals(7, next.task().id());
        assertEquals("core:text2text", next.task().type());
        assertEquals("alice", next.task().userId());
        assertEquals("Hello", next.task().inputText("input"));
        assertEquals("p1", next.providerName());
        NextTask audio = nc.taskProcessing().nextTask(List.of("p1"), List.of("core:audio2text")).orElseThrow();
        assertEquals(List.of(55L), audio.task().inputFileIds("input"));
        assertEquals(Optional.empty(), nc.taskProcessing().nextTask(List.of("p1"), List.of("core:text2text")));
    }

    @Test
    void progressAndResults() {
        fake.queueTask(FakeTask.of(21, "core:contextwrite", "alice", Map.of("input", "x")));
        nc.taskProcessing().setProgress(21, 0.25);
        assertCall(last(), "POST", TP + "/21/progress", "", "{\"taskId\":21,\"progress\":0.25}");
        nc.taskProcessing().setProgress(21, 1);
        assertEquals(List.of(0.25, 1.0), fake.taskProgress(21));
        assertThrows(IllegalArgumentException.class, () -> nc.taskProcessing().setProgress(21, 50));

        nc.taskProcessing().reportResult(21, Map.of("output", "done"));
        assertCall(last(), "POST", TP + "/21/result", "",
                "{\"taskId\":21,\"output\":{\"output\":\"done\"},\"errorMessage\":null,\"userFacingErrorMessage\":null}");
        nc.taskProcessing().reportError(21, "CUDA out of memory", "The model could not run");
        assertCall(last(), "POST", TP + "/21/result", "", "{\"taskId\":21,\"output\":null,"
                + "\"errorMessage\":\"CUDA out of memory\",\"userFacingErrorMessage\":\"The model could not run\"}");
        NotFoundException e = assertThrows(NotFoundException.class, () -> nc.taskProcessing().setProgress(999, 0.5));
        assertEquals(404, e.status());
    }

    @Test
    void resultFilesAreUploadedAsMultipartAndInputFilesDownloaded(@TempDir Path dir) throws IOException {
        fake.queueTask(FakeTask.of(31, "core:text2image", "alice", Map.of("input", "a cat")));
        byte[] small = "PNG-bytes".getBytes();
        long id1 = nc.taskProcessing().uploadResultFile(31, "cat.png", small);
        RecordedRequest r = last();
        assertEquals("POST", r.method());
        assertEquals(TP + "/31/file", r.path());
        Fixture.assertAppApiHeaders(r, "");
        assertTrue(r.header("Content-Type").orElse("").startsWith("multipart/form-data; boundary="));
        assertTrue(r.bodyText().contains("name=\"file\"; filename=\"cat.png\""));
        assertArrayEquals(small, fake.taskResultFile(id1).orElseThrow());

        byte[] big = Fixture.randomBytes(3 << 20, 31);
        Path file = dir.resolve("big.bin");
        Files.write(file, big);
        long id2 = nc.taskProcessing().uploadResultFile(31, file);
        assertEquals(String.valueOf(Files.size(file) + (last().body().length - big.length)),
                last().header("Content-Length").orElseThrow(), "a file upload has a known length");
        assertEquals(Fixture.sha256(big), Fixture.sha256(fake.taskResultFile(id2).orElseThrow()));
        long id3 = nc.taskProcessing().uploadResultFile(31, "stream.bin", new ByteArrayInputStream(big));
        assertEquals(Fixture.sha256(big), Fixture.sha256(fake.taskResultFile(id3).orElseThrow()));

        fake.putTaskInputFile(31, 501, big);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(big.length, nc.taskProcessing().downloadInputFile(31, 501, out));
        assertCall(last(), "GET", TP + "/31/file/501", "", null);
        assertEquals(Fixture.sha256(big), Fixture.sha256(out.toByteArray()));
        Path target = dir.resolve("input.bin");
        nc.taskProcessing().downloadInputFile(31, 501, target);
        assertEquals(Fixture.sha256(big), Fixture.sha256(Files.readAllBytes(target)));
        assertThrows(NotFoundException.class, () -> nc.taskProcessing().downloadInputFile(31, 502, dir.resolve("x")));
        assertFalse(Files.exists(dir.resolve("x")));
        try (var listing = Files.list(dir)) {
            assertEquals(2, listing.count(), "no temporary file left behind");
        }
    }
}

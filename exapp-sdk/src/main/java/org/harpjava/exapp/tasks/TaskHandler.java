package org.harpjava.exapp.tasks;

import org.harpjava.exapp.nextcloud.Task;

import java.util.Map;
import java.util.function.DoubleConsumer;

/** Runs one TaskProcessing task and returns its output slots, such as {@code Map.of("output", text)}. */
@FunctionalInterface
public interface TaskHandler {
    /**
     * @param task     the task, with its input
     * @param progress reports progress from 0 to 1 to Nextcloud
     * @throws TaskFailure to fail the task with a message for the user; any other exception fails it with a
     *                     generic one
     */
    Map<String, Object> run(Task task, DoubleConsumer progress) throws Exception;
}

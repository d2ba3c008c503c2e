package org.harpjava.exapp.tasks;

import org.harpjava.exapp.nextcloud.NextTask;
import org.harpjava.exapp.nextcloud.NextcloudClient;
import org.harpjava.exapp.nextcloud.NextcloudException;
import org.harpjava.exapp.nextcloud.Task;
import org.harpjava.exapp.nextcloud.TaskProcessingProvider;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Makes the ExApp a TaskProcessing provider: registers its providers when the app is enabled, takes tasks from
 * Nextcloud whenever AppAPI calls {@code /trigger} and every poll interval in case a trigger was missed, runs each
 * with its provider's {@link TaskHandler}, and reports the result or the error. One task at a time, on one virtual
 * thread. Wire it with {@link org.harpjava.exapp.ExApp.Builder#tasks(TaskWorker)}.
 * <pre>{@code
 * TaskWorker worker = TaskWorker.builder(nextcloud)
 *         .provider(TaskProcessingProvider.builder("my_app:summary", "My summaries", "core:text2text:summary").build(),
 *                 (task, progress) -> Map.of("output", summarise(task.inputText("input"))))
 *         .build();
 * }</pre>
 */
public final class TaskWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TaskWorker.class.getName());
    /** Shown to the user when a handler fails without a {@link TaskFailure}. */
    public static final String GENERIC_ERROR = "The task could not be completed. Please try again later.";

    private final NextcloudClient nextcloud;
    private final Map<String, TaskProcessingProvider> providers;
    private final Map<String, TaskHandler> handlers;
    private final List<String> providerIds;
    private final List<String> taskTypes;
    private final Duration pollInterval;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean enabled;
    private volatile boolean closed;

    private TaskWorker(Builder b) {
        this.nextcloud = b.nextcloud;
        this.providers = Map.copyOf(b.providers);
        this.handlers = Map.copyOf(b.handlers);
        this.providerIds = List.copyOf(b.providers.keySet());
        this.taskTypes = b.providers.values().stream().map(TaskProcessingProvider::taskType).distinct().toList();
        this.pollInterval = b.pollInterval;
        this.thread = Thread.ofVirtual().name("exapp-tasks").start(this::loop);
    }

    public static Builder builder(NextcloudClient nextcloud) {
        return new Builder(nextcloud);
    }

    /** Registers the providers and starts taking tasks; for the enabled handler. */
    public void enable() {
        providers.values().forEach(p -> nextcloud.taskProcessing().register(p));
        enabled = true;
        wake();
    }

    /** Stops taking tasks and unregisters the providers; for the enabled handler. */
    public void disable() {
        enabled = false;
        providers.keySet().forEach(id -> nextcloud.taskProcessing().unregister(id));
    }

    /** Looks for tasks now (AppAPI's {@code /trigger}); returns at once. */
    public void wake() {
        wake.release();
    }

    /** Whether tasks are being taken. */
    public boolean enabled() {
        return enabled;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void loop() {
        while (!closed) {
            try {
                while (enabled && !closed && runNext()) {
                    // Keep going while tasks wait.
                }
                wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (NextcloudException | IllegalStateException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "Cannot get tasks from Nextcloud: " + e.getMessage());
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Takes and runs one task; false when none waits. */
    private boolean runNext() {
        Optional<NextTask> next = nextcloud.taskProcessing().nextTask(providerIds, taskTypes);
        if (next.isEmpty()) {
            return false;
        }
        Task task = next.get().task();
        TaskHandler handler = handlers.get(next.get().providerName());
        if (handler == null) {
            handler = handlers.values().iterator().next();
        }
        try {
            Map<String, Object> output = handler.run(task, p -> nextcloud.taskProcessing().setProgress(task.id(),
                    Math.max(0, Math.min(1, p))));
            nextcloud.taskProcessing().reportResult(task.id(), output);
            LOG.log(System.Logger.Level.INFO, "Task " + task.id() + " (" + task.type() + ") done");
        } catch (TaskFailure e) {
            LOG.log(System.Logger.Level.WARNING, "Task " + task.id() + " failed: " + e.getMessage());
            nextcloud.taskProcessing().reportError(task.id(), e.getMessage(), e.userFacingMessage());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "Task " + task.id() + " failed", e);
            nextcloud.taskProcessing().reportError(task.id(), String.valueOf(e.getMessage()), GENERIC_ERROR);
        }
        return true;
    }

    /** Collects the providers of a worker. */
    public static final class Builder {
        private final NextcloudClient nextcloud;
        private final Map<String, TaskProcessingProvider> providers = new LinkedHashMap<>();
        private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
        private Duration pollInterval = Duration.ofSeconds(30);

        private Builder(NextcloudClient nextcloud) {
            this.nextcloud = Objects.requireNonNull(nextcloud, "nextcloud");
        }

        /** A provider and the handler of its tasks. */
        public Builder provider(TaskProcessingProvider provider, TaskHandler handler) {
            providers.put(provider.id(), provider);
            handlers.put(provider.id(), handler);
            return this;
        }

        /** How often to look for tasks without a trigger (default 30 s). */
        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive");
            }
            this.pollInterval = interval;
            return this;
        }

        public TaskWorker build() {
            if (providers.isEmpty()) {
                throw new IllegalStateException("a task worker needs at least one provider");
            }
            return new TaskWorker(this);
        }
    }
}

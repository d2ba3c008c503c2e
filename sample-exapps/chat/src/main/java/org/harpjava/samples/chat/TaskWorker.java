package org.harpjava.samples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.exapp.nextcloud.NextTask;
import org.harpjava.exapp.nextcloud.NextcloudClient;
import org.harpjava.exapp.nextcloud.NextcloudException;
import org.harpjava.exapp.nextcloud.Task;
import org.harpjava.exapp.nextcloud.TaskProcessingProvider;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The app as a Nextcloud TaskProcessing provider, as the llm2 app is: Nextcloud's Assistant (and any app using
 * TaskProcessing) schedules {@code core:text2text} ("free prompt") and {@code core:text2text:chat} tasks, and this
 * worker runs them with the same engine as the chat.
 *
 * <p>The worker asks Nextcloud for the next task whenever AppAPI calls {@code /trigger} (a task was scheduled), and
 * every {@code CHAT_TASK_POLL_SECONDS} in case a trigger was missed. It only works while the app is enabled.
 */
public final class TaskWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TaskWorker.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String FREE_PROMPT = "core:text2text";
    public static final String CHAT = "core:text2text:chat";
    static final String USER_FACING_ERROR = "The chat engine is not available at the moment. Please try again later.";

    private final NextcloudClient nextcloud;
    private final ChatService chat;
    private final List<TaskProcessingProvider> providers;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean enabled;
    private volatile boolean closed;

    public TaskWorker(NextcloudClient nextcloud, ChatService chat, String appId) {
        this.nextcloud = nextcloud;
        this.chat = chat;
        String model = chat.config().model();
        this.providers = List.of(
                TaskProcessingProvider.builder(appId + ":text2text", "Local LLM (" + model + ")", FREE_PROMPT)
                        .expectedRuntime(30).build(),
                TaskProcessingProvider.builder(appId + ":chat", "Local LLM chat (" + model + ")", CHAT)
                        .expectedRuntime(30).build());
        this.thread = Thread.ofVirtual().name("chat-tasks").start(this::loop);
    }

    /** Registers the providers with AppAPI and starts taking tasks; called when the app is enabled. */
    public void enable() {
        providers.forEach(p -> nextcloud.taskProcessing().register(p));
        enabled = true;
        wake();
    }

    /** Stops taking tasks and unregisters the providers; called when the app is disabled. */
    public void disable() {
        enabled = false;
        providers.forEach(p -> nextcloud.taskProcessing().unregister(p.id()));
    }

    /** Looks for tasks now: AppAPI's {@code /trigger}. Returns at once (AppAPI waits 3 s at most). */
    public void wake() {
        wake.release();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void loop() {
        while (!closed) {
            try {
                if (enabled) {
                    while (enabled && runNext()) {
                        // keep going while tasks wait
                    }
                }
                wake.tryAcquire(chat.config().taskPoll().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (NextcloudException | IllegalStateException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "Cannot get tasks from Nextcloud: " + e.getMessage());
                sleepQuietly();
            }
        }
    }

    /** Takes and runs one task; false when none waits. */
    private boolean runNext() {
        Optional<NextTask> next = nextcloud.taskProcessing().nextTask(
                providers.stream().map(TaskProcessingProvider::id).toList(), List.of(FREE_PROMPT, CHAT));
        if (next.isEmpty()) {
            return false;
        }
        Task task = next.get().task();
        try {
            String output = chat.complete(prompt(task, chat.config().systemPrompt()));
            nextcloud.taskProcessing().reportResult(task.id(), Map.of("output", output));
            LOG.log(System.Logger.Level.INFO, "Task " + task.id() + " (" + task.type() + ") done");
        } catch (EngineException e) {
            LOG.log(System.Logger.Level.WARNING, "Task " + task.id() + " failed: " + e.getMessage());
            nextcloud.taskProcessing().reportError(task.id(), e.getMessage(), USER_FACING_ERROR);
        } catch (IllegalArgumentException e) {
            nextcloud.taskProcessing().reportError(task.id(), e.getMessage(), e.getMessage());
        }
        return true;
    }

    /**
     * The messages for a task. {@code core:text2text} has one slot, {@code input}; {@code core:text2text:chat}
     * also has {@code system_prompt} and {@code history}, a list of JSON strings such as
     * {@code {"role":"user","content":"..."}}. Without a system prompt, {@code defaultSystemPrompt} is used.
     */
    static List<Message> prompt(Task task, String defaultSystemPrompt) {
        String input = task.inputText("input");
        ChatService.requireValid(input);
        List<Message> messages = new ArrayList<>();
        String system = task.inputText("system_prompt");
        messages.add(Message.system(system.isBlank() ? defaultSystemPrompt : system));
        for (JsonNode entry : task.input().path("history")) {
            JsonNode m;
            try {
                m = entry.isTextual() ? JSON.readTree(entry.asText()) : entry;
            } catch (IOException e) {
                throw new IllegalArgumentException("The chat history holds an entry that is not JSON");
            }
            String role = m.path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw new IllegalArgumentException("The chat history holds a message of unknown role \"" + role + "\"");
            }
            messages.add(new Message(role, m.path("content").asText("")));
        }
        messages.add(Message.user(input));
        return messages;
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(chat.config().taskPoll().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }
}

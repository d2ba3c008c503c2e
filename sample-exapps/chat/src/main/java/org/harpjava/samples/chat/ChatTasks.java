package org.harpjava.samples.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.harpjava.exapp.nextcloud.NextcloudClient;
import org.harpjava.exapp.nextcloud.Task;
import org.harpjava.exapp.nextcloud.TaskProcessingProvider;
import org.harpjava.exapp.tasks.TaskFailure;
import org.harpjava.exapp.tasks.TaskHandler;
import org.harpjava.exapp.tasks.TaskWorker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The app as a Nextcloud TaskProcessing provider, as the llm2 app is: Nextcloud's Assistant (and any app using
 * TaskProcessing) schedules {@code core:text2text} ("free prompt") and {@code core:text2text:chat} tasks, and the
 * SDK's {@link TaskWorker} runs them with the same engine as the chat: it registers the providers when the app is
 * enabled, and looks for tasks whenever AppAPI calls {@code /trigger} and every {@code CHAT_TASK_POLL_SECONDS}.
 */
final class ChatTasks {
    public static final String FREE_PROMPT = "core:text2text";
    public static final String CHAT = "core:text2text:chat";
    static final String USER_FACING_ERROR = "The chat engine is not available at the moment. Please try again later.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatTasks() {
    }

    /** The worker of both providers. */
    static TaskWorker worker(NextcloudClient nextcloud, ChatService chat, String appId) {
        String model = chat.config().model();
        TaskHandler handler = (task, progress) -> {
            try {
                return Map.of("output", chat.complete(prompt(task, chat.config().systemPrompt())));
            } catch (EngineException e) {
                throw new TaskFailure(e.getMessage(), USER_FACING_ERROR);
            } catch (IllegalArgumentException e) {
                throw new TaskFailure(e.getMessage(), e.getMessage());
            }
        };
        return TaskWorker.builder(nextcloud)
                .provider(TaskProcessingProvider.builder(appId + ":text2text", "Local LLM (" + model + ")", FREE_PROMPT)
                        .expectedRuntime(30).build(), handler)
                .provider(TaskProcessingProvider.builder(appId + ":chat", "Local LLM chat (" + model + ")", CHAT)
                        .expectedRuntime(30).build(), handler)
                .pollInterval(chat.config().taskPoll())
                .build();
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
}

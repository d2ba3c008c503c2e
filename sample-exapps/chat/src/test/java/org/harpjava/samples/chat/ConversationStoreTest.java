package org.harpjava.samples.chat;

import org.harpjava.samples.chat.ConversationStore.Conversation;
import org.harpjava.samples.chat.ConversationStore.NoSuchConversationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationStoreTest {
    @Test
    void conversationsSurviveReopening(@TempDir Path dir) {
        long id;
        try (ConversationStore store = ConversationStore.open(dir)) {
            id = store.create("alice", "Plans").id();
            store.add("alice", id, Message.user("What next?"));
            store.add("alice", id, Message.assistant("Lunch."));
        }
        assertTrue(Files.exists(dir.resolve("chat.mv.db")));
        try (ConversationStore store = ConversationStore.open(dir)) {
            assertEquals(List.of("Plans"), store.list("alice").stream().map(Conversation::title).toList());
            assertEquals(List.of(Message.user("What next?"), Message.assistant("Lunch.")), store.messages("alice", id));
        }
    }

    @Test
    void usersSeeOnlyTheirOwn(@TempDir Path dir) {
        try (ConversationStore store = ConversationStore.open(dir)) {
            long id = store.create("alice", "Secret").id();
            assertEquals(List.of(), store.list("bob"));
            assertTrue(store.find("bob", id).isEmpty());
            assertThrows(NoSuchConversationException.class, () -> store.messages("bob", id));
            assertThrows(NoSuchConversationException.class, () -> store.add("bob", id, Message.user("hi")));
            assertFalse(store.delete("bob", id));
            assertTrue(store.delete("alice", id));
            assertThrows(NoSuchConversationException.class, () -> store.messages("alice", id));
        }
    }

    @Test
    void mostRecentlyUsedFirst(@TempDir Path dir) throws Exception {
        try (ConversationStore store = ConversationStore.open(dir)) {
            long first = store.create("alice", "First").id();
            store.create("alice", "Second");
            Thread.sleep(5);
            store.add("alice", first, Message.user("again"));
            assertEquals(List.of("First", "Second"), store.list("alice").stream().map(Conversation::title).toList());
        }
    }
}

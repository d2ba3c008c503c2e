package org.harpjava.exapp.nextcloud;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A notification to send with {@link NotificationsApi#create(Notification)}. Subject and message are Nextcloud rich
 * text: a placeholder {@code {file}} is filled from the parameter {@code file}, a rich object such as
 * {@code {"type":"file","id":"12","name":"a.txt","path":"a.txt"}}.
 *
 * @param subject       the subject line
 * @param message       the longer message; "" for none
 * @param subjectParams rich-object parameters of the subject
 * @param messageParams rich-object parameters of the message
 * @param link          a URL the notification opens; "" for none
 */
public record Notification(String subject, String message, Map<String, Map<String, String>> subjectParams,
                           Map<String, Map<String, String>> messageParams, String link) {
    public Notification {
        Objects.requireNonNull(subject, "subject");
        message = message == null ? "" : message;
        subjectParams = Map.copyOf(subjectParams == null ? Map.of() : subjectParams);
        messageParams = Map.copyOf(messageParams == null ? Map.of() : messageParams);
        link = link == null ? "" : link;
    }

    /** A plain notification with a subject only. */
    public static Notification of(String subject) {
        return builder(subject).build();
    }

    /** A builder for a notification with {@code subject}. */
    public static Builder builder(String subject) {
        return new Builder(subject);
    }

    /** Builds a {@link Notification}. */
    public static final class Builder {
        private final String subject;
        private String message = "";
        private final Map<String, Map<String, String>> subjectParams = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> messageParams = new LinkedHashMap<>();
        private String link = "";

        private Builder(String subject) {
            this.subject = subject;
        }

        /** The longer message. */
        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /** A rich-object parameter of the subject. */
        public Builder subjectParam(String name, Map<String, String> richObject) {
            subjectParams.put(name, Map.copyOf(richObject));
            return this;
        }

        /** A rich-object parameter of the message. */
        public Builder messageParam(String name, Map<String, String> richObject) {
            messageParams.put(name, Map.copyOf(richObject));
            return this;
        }

        /** The URL the notification opens. */
        public Builder link(String link) {
            this.link = link;
            return this;
        }

        /** The notification. */
        public Notification build() {
            return new Notification(subject, message, subjectParams, messageParams, link);
        }
    }
}

package org.harpjava.exapp.tasks;

/**
 * Thrown by a {@link TaskHandler} to fail a task with a message for the logs and Nextcloud's task record, and
 * another that Nextcloud shows the user.
 */
public final class TaskFailure extends Exception {
    private final String userFacingMessage;

    public TaskFailure(String message, String userFacingMessage) {
        super(message);
        this.userFacingMessage = userFacingMessage;
    }

    /** What the user who scheduled the task reads. */
    public String userFacingMessage() {
        return userFacingMessage;
    }
}

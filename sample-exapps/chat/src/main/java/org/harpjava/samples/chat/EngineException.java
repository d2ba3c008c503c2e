package org.harpjava.samples.chat;

/**
 * The chat engine could not answer. The message is written for the person chatting (and for the log): it says
 * what went wrong and where to look, and never contains the API key.
 */
public final class EngineException extends Exception {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}

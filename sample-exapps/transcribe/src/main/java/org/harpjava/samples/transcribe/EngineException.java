package org.harpjava.samples.transcribe;

/** The transcription engine could not answer; the message is for the user and never contains the API key. */
public class EngineException extends Exception {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The engine is not ready yet, such as a model still being installed: worth trying again later (503). */
    public static final class NotReady extends EngineException {
        public NotReady(String message) {
            super(message);
        }
    }
}

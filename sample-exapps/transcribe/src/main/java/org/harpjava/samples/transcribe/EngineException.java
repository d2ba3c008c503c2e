package org.harpjava.samples.transcribe;

/** The transcription engine could not answer; the message is for the user and never contains the API key. */
public final class EngineException extends Exception {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.harpjava.exapp.models;

import java.io.IOException;

/** A model could not be installed; the message says why, for the administrator who reads the init error. */
public final class ModelInstallException extends IOException {
    public ModelInstallException(String message) {
        super(message);
    }

    public ModelInstallException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.harpjava.server.nextcloud;

/** ExApp metadata that does not have the shape AppAPI documents; the message says which field is wrong. */
public final class InvalidMetadataException extends Exception {
    public InvalidMetadataException(String message) {
        super(message);
    }
}

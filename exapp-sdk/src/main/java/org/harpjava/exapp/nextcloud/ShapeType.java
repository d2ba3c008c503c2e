package org.harpjava.exapp.nextcloud;

/** The TaskProcessing shape types ({@code OCP\TaskProcessing\EShapeType}), with their wire numbers. */
public enum ShapeType {
    /** A number. */
    NUMBER(0),
    /** A text. */
    TEXT(1),
    /** An image file id. */
    IMAGE(2),
    /** An audio file id. */
    AUDIO(3),
    /** A video file id. */
    VIDEO(4),
    /** A file id. */
    FILE(5),
    /** One of the enum values the provider declares. */
    ENUM(6),
    /** A list of numbers. */
    LIST_OF_NUMBERS(10),
    /** A list of texts. */
    LIST_OF_TEXTS(11),
    /** A list of image file ids. */
    LIST_OF_IMAGES(12),
    /** A list of audio file ids. */
    LIST_OF_AUDIOS(13),
    /** A list of video file ids. */
    LIST_OF_VIDEOS(14),
    /** A list of file ids. */
    LIST_OF_FILES(15);

    private final int code;

    ShapeType(int code) {
        this.code = code;
    }

    /** The number Nextcloud uses. */
    public int code() {
        return code;
    }
}

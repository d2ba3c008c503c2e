package org.harpjava.exapp.nextcloud;

import java.util.Objects;

/**
 * An action in the Files app's file menu (version 2: the handler receives
 * {@code {"files":[{fileId,name,directory,etag,mime,...}]}}). Because the browser reaches the handler through
 * AppAPI's proxy, the ExApp must declare a route for it. A handler may answer {@code {"redirect_handler":"page"}}
 * to send the browser to {@code /embedded/<appid>/page?fileIds=...}.
 *
 * @param name          unique name of the action within the ExApp
 * @param displayName   the label users see
 * @param actionHandler the ExApp path the browser posts the selected files to
 * @param icon          an icon path relative to the ExApp, or "" for the default
 * @param mime          the MIME types it applies to, comma-separated; {@code file} for any file
 * @param permissions   the Nextcloud permission bits a file needs (31 is all)
 * @param order         the position among actions
 */
public record FileAction(String name, String displayName, String actionHandler, String icon, String mime,
                         int permissions, int order) {
    public FileAction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(actionHandler, "actionHandler");
        icon = icon == null ? "" : icon;
        mime = mime == null || mime.isEmpty() ? "file" : mime;
    }

    /** A builder; the action applies to any file with any permissions unless told otherwise. */
    public static Builder builder(String name, String displayName, String actionHandler) {
        return new Builder(name, displayName, actionHandler);
    }

    /** Builds a {@link FileAction}. */
    public static final class Builder {
        private final String name;
        private final String displayName;
        private final String actionHandler;
        private String icon = "";
        private String mime = "file";
        private int permissions = 31;
        private int order;

        private Builder(String name, String displayName, String actionHandler) {
            this.name = name;
            this.displayName = displayName;
            this.actionHandler = actionHandler;
        }

        /** An icon path relative to the ExApp. */
        public Builder icon(String icon) {
            this.icon = icon;
            return this;
        }

        /** The MIME types the action applies to, comma-separated. */
        public Builder mime(String mime) {
            this.mime = mime;
            return this;
        }

        /** The permission bits a file needs. */
        public Builder permissions(int permissions) {
            this.permissions = permissions;
            return this;
        }

        /** The position among actions. */
        public Builder order(int order) {
            this.order = order;
            return this;
        }

        /** The action. */
        public FileAction build() {
            return new FileAction(name, displayName, actionHandler, icon, mime, permissions, order);
        }
    }
}

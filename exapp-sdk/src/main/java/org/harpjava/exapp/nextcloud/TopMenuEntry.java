package org.harpjava.exapp.nextcloud;

import java.util.Objects;

/**
 * An entry in Nextcloud's top menu. Its page is served at {@code /index.php/apps/app_api/embedded/<appid>/<name>}.
 *
 * @param name          unique name of the entry within the ExApp
 * @param displayName   the label users see
 * @param icon          an icon path relative to the ExApp (such as {@code img/icon.svg}), or "" for the default
 * @param adminRequired whether only administrators see the entry
 */
public record TopMenuEntry(String name, String displayName, String icon, boolean adminRequired) {
    public TopMenuEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        icon = icon == null ? "" : icon;
    }
}

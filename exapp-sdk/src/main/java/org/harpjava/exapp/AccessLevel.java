package org.harpjava.exapp;

/**
 * Who may call a route, as declared in {@code appinfo/info.xml}. Nextcloud's proxies (HaRP, harp-server, AppAPI's
 * PHP proxy) enforce it before a request reaches the ExApp.
 */
public enum AccessLevel {
    /** Anyone, logged in or not. */
    PUBLIC,
    /** Logged-in Nextcloud users. */
    USER,
    /** Nextcloud administrators. */
    ADMIN
}

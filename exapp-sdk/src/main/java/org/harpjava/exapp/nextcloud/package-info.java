/**
 * The client ExApps use to call Nextcloud: {@link org.harpjava.exapp.nextcloud.NextcloudClient} and its small
 * sub-APIs (app config, preferences, notifications, UI, occ commands, TaskProcessing, Talk bots, webhooks, WebDAV
 * files, raw OCS), the typed {@link org.harpjava.exapp.nextcloud.NextcloudException} hierarchy, and a
 * {@code java.util.logging} handler that writes to Nextcloud's log.
 */
package org.harpjava.exapp.nextcloud;

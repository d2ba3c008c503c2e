package org.harpjava.exapp.nextcloud;

/**
 * A task Nextcloud handed to a provider.
 *
 * @param task         the task, now locked for the provider
 * @param providerName the id of the provider it is for
 */
public record NextTask(Task task, String providerName) {
}

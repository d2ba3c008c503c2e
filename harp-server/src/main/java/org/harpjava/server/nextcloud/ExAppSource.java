package org.harpjava.server.nextcloud;

import org.harpjava.server.decision.ExAppMeta;

import java.util.Optional;

/** Where ExApp metadata comes from: Nextcloud's {@code harp/exapp-meta}, or the dev-mode configuration. */
public interface ExAppSource {
    /**
     * The metadata of {@code appId} (lower case), or empty when the source does not know the app.
     *
     * @throws SourceUnavailableException when the source cannot tell
     */
    Optional<ExAppMeta> fetch(String appId) throws SourceUnavailableException;
}

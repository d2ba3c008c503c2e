package org.harpjava.server.nextcloud;

import io.helidon.http.Headers;
import org.harpjava.server.decision.NcUser;

/** Who a caller is: Nextcloud's {@code harp/user-info}, or the dev-mode users. */
public interface UserSource {
    /**
     * Resolves the caller from the request headers (session cookie or {@code Authorization}).
     *
     * @return the user, {@link NcUser#ANONYMOUS} when the credentials name nobody
     * @throws SourceUnavailableException when the source cannot tell
     */
    NcUser resolve(String appId, Headers headers) throws SourceUnavailableException;
}

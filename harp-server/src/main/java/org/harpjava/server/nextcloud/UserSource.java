package org.harpjava.server.nextcloud;

import io.helidon.http.Headers;
import org.harpjava.server.decision.NcUser;

import java.util.Optional;

/** Who a caller is: Nextcloud's {@code harp/user-info}, or the dev-mode users. */
public interface UserSource {
    /**
     * Resolves the caller from the request headers (session cookie or {@code Authorization}).
     *
     * @return the user, {@link NcUser#ANONYMOUS} when the credentials name nobody
     * @throws SourceUnavailableException when the source cannot tell
     */
    NcUser resolve(String appId, Headers headers) throws SourceUnavailableException;

    /**
     * The {@code WWW-Authenticate} challenge that asks a client without a usable login for one, when this source
     * takes credentials from the request itself (dev mode's HTTP Basic users); empty when logins happen elsewhere
     * (Nextcloud's session cookie), where a refused caller gets a plain {@code 403}.
     */
    default Optional<String> challenge() {
        return Optional.empty();
    }
}

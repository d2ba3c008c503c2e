package org.harpjava.server.decision;

/**
 * A caller as Nextcloud resolved it.
 *
 * @param userId the Nextcloud user id, empty for anonymous callers
 * @param level  the caller's access level (PUBLIC for anonymous and disabled users)
 */
public record NcUser(String userId, AccessLevel level) {
    /** The caller without a Nextcloud session. */
    public static final NcUser ANONYMOUS = new NcUser("", AccessLevel.PUBLIC);

    public boolean anonymous() {
        return userId.isEmpty();
    }
}

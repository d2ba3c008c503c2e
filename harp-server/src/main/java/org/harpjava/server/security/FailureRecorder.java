package org.harpjava.server.security;

/** Counts brute-force failures against callers and reports new bans. */
public final class FailureRecorder {
    private static final System.Logger LOG = System.getLogger(FailureRecorder.class.getName());

    private final BruteForceGuard guard;
    private final Runnable onBan;

    /**
     * @param guard the failure table
     * @param onBan called once for each new ban
     */
    public FailureRecorder(BruteForceGuard guard, Runnable onBan) {
        this.guard = guard;
        this.onBan = onBan;
    }

    /** Counts a failure against {@code caller}, unless it holds the shared key. */
    public void record(Caller caller) {
        if (caller.trusted() || !guard.enabled()) {
            return;
        }
        boolean wasBanned = guard.banRemaining(caller.ip()).isPresent();
        if (guard.recordFailure(caller.ip()) && !wasBanned) {
            onBan.run();
            LOG.log(System.Logger.Level.WARNING, "Banned client " + caller.ip() + " after repeated failures"
                    + " (if this is your reverse proxy, list it in HP_TRUSTED_PROXY_IPS)");
        }
    }

    public BruteForceGuard guard() {
        return guard;
    }
}

package org.harpjava.server.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.helidon.http.Headers;
import org.harpjava.server.decision.NcUser;
import org.harpjava.server.nextcloud.SourceUnavailableException;
import org.harpjava.server.nextcloud.UserSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Resolves callers through a {@link UserSource}, with a session cache: the answer for one set of credentials
 * (the {@code oc_sessionPassphrase} cookie and the {@code Authorization} header together) is kept for
 * {@code HP_SESSION_LIFETIME}. Unlike HaRP, requests with {@code Authorization} only are cached too, and the
 * requests of one session that miss the cache together (a browser's parallel requests when the entry has just
 * expired) share one call to the source. Keys are SHA-256 digests, so no credential is held in the cache; at most
 * {@code maxSize} entries are kept.
 */
public final class UserResolver {
    private final UserSource source;
    private final Cache<SessionKey, NcUser> sessions;
    /** Cloned per lookup: cheaper than asking the security providers for a new instance each time. */
    private final MessageDigest sha256;
    /** Calls to the source under way, one per key; an entry lives only as long as its call. */
    private final ConcurrentHashMap<SessionKey, CompletableFuture<NcUser>> loading = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public UserResolver(UserSource source, Duration lifetime, long maxSize) {
        this(source, lifetime, maxSize, Ticker.systemTicker());
    }

    UserResolver(UserSource source, Duration lifetime, long maxSize, Ticker ticker) {
        this.source = source;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.sessions = lifetime.isZero() ? null
                : Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(lifetime).ticker(ticker)
                        // Upkeep on the caller's thread: the default, the common pool, wakes a platform thread for
                        // it every few lookups, which on a busy single-core proxy showed in the latency tail.
                        .executor(Runnable::run)
                        .build();
    }

    /**
     * The caller of a request.
     *
     * @param appId         the app id, passed on to the source
     * @param passphrase    the {@code oc_sessionPassphrase} cookie
     * @param authorization the {@code Authorization} header
     * @param headers       all request headers, for the source
     * @return the user; {@link NcUser#ANONYMOUS} without credentials
     * @throws SourceUnavailableException when the source cannot tell
     */
    public NcUser resolve(String appId, Optional<String> passphrase, Optional<String> authorization, Headers headers)
            throws SourceUnavailableException {
        if (passphrase.isEmpty() && authorization.isEmpty()) {
            return NcUser.ANONYMOUS;
        }
        if (sessions == null) {
            return source.resolve(appId, headers);
        }
        SessionKey key = key(passphrase.orElse(""), authorization.orElse(""));
        NcUser cached = sessions.getIfPresent(key);
        if (cached != null) {
            hits.increment();
            return cached;
        }
        misses.increment();
        CompletableFuture<NcUser> mine = new CompletableFuture<>();
        CompletableFuture<NcUser> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            NcUser user = source.resolve(appId, headers);
            sessions.put(key, user);
            mine.complete(user);
            return user;
        } catch (SourceUnavailableException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    /** The answer of a call another request made for the same credentials. */
    private static NcUser await(CompletableFuture<NcUser> running) throws SourceUnavailableException {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SourceUnavailableException s) {
                throw new SourceUnavailableException(s.getMessage(), s);
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The source's login challenge, see {@link UserSource#challenge()}. */
    public Optional<String> challenge() {
        return source.challenge();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    private SessionKey key(String passphrase, String authorization) {
        MessageDigest d;
        try {
            d = (MessageDigest) sha256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        d.update(passphrase.getBytes(StandardCharsets.UTF_8));
        d.update((byte) '\n');
        ByteBuffer digest = ByteBuffer.wrap(d.digest(authorization.getBytes(StandardCharsets.UTF_8)));
        return new SessionKey(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
    }

    /** The SHA-256 digest of one set of credentials, as four longs: cheap to hash and compare. */
    private record SessionKey(long a, long b, long c, long d) {
    }
}

package org.harpjava.exapp.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import org.harpjava.exapp.ExAppEnvironment;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed client an ExApp uses to call Nextcloud. Every call carries the AppAPI headers ({@code EX-APP-ID},
 * {@code EX-APP-VERSION}, {@code AUTHORIZATION-APP-API}, {@code AA-VERSION}, {@code OCS-APIRequest},
 * {@code Accept: application/json}); OCS answers are unwrapped to their {@code ocs.data}, and failures are
 * {@link NextcloudException}s. A 503 or 429 answer is retried after its {@code Retry-After} (capped), and an
 * idempotent call is retried after a connection failure, up to {@link Builder#maxAttempts(int)} attempts in all.
 *
 * <p>Calls run in the system context (empty user) unless the client comes from {@link #asUser(String)}. Clients
 * are thread-safe and cheap to derive; all clients derived from one share its connections and cached capabilities.
 *
 * <p>It runs on the JDK's HttpClient rather than Helidon's WebClient: WebClient 4.2 sends any body written in more
 * than one piece chunked, even with a known {@code Content-Length}, and PHP behind FastCGI can receive a chunked
 * upload empty. Instead of the JDK's own request timeout, which stops counting once response headers arrive, every
 * call has an idle timeout that fails it when no byte moved for that long, so a stalled WebDAV stream ends too.
 */
public final class NextcloudClient implements AutoCloseable {
    /** The default timeout of a call, as {@code nc_py_api}'s {@code NPA_TIMEOUT}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The default idle timeout of a file transfer, as {@code nc_py_api}'s {@code NPA_TIMEOUT_DAV}. */
    public static final Duration DEFAULT_TRANSFER_TIMEOUT = Duration.ofSeconds(90);
    /** The default number of attempts a call gets. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** The default longest wait between two attempts. */
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(30);
    /** The {@code AA-VERSION} sent when the environment gives none, as {@code nc_py_api}. */
    public static final String DEFAULT_AA_VERSION = "2.2.0";

    private final Session session;

    private NextcloudClient(Session session) {
        this.session = session;
    }

    /** A client for the ExApp described by {@code env}, with default timeouts and retries. */
    public static NextcloudClient create(ExAppEnvironment env) {
        return builder(env).build();
    }

    /** A builder preset from {@code env} ({@code NEXTCLOUD_URL}, {@code APP_ID}, secret, versions). */
    public static Builder builder(ExAppEnvironment env) {
        return new Builder().nextcloudUrl(env.nextcloudUrl()).appId(env.appId()).appVersion(env.appVersion())
                .appSecret(env.appSecret()).aaVersion(env.aaVersion());
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A client that acts as Nextcloud user {@code userId} (AppAPI impersonation). */
    public NextcloudClient asUser(String userId) {
        if (userId == null || userId.isEmpty() || userId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("user id must be non-empty and contain no ':'");
        }
        return new NextcloudClient(new Session(session.transport(), userId, session.capabilities()));
    }

    /** A client that acts in the system context, without a user. */
    public NextcloudClient asSystem() {
        return new NextcloudClient(new Session(session.transport(), "", session.capabilities()));
    }

    /** The user this client acts as; empty in the system context. */
    public Optional<String> user() {
        return session.user().isEmpty() ? Optional.empty() : Optional.of(session.user());
    }

    /** The ExApp's id. */
    public String appId() {
        return session.appId();
    }

    /** The server's capabilities, cached for the builder's capabilities TTL. */
    public Capabilities capabilities() {
        return session.capabilities().get(this::fetchCapabilities);
    }

    /** Fetches the capabilities again and caches the new answer. */
    public Capabilities refreshCapabilities() {
        session.capabilities().invalidate();
        return capabilities();
    }

    private Capabilities fetchCapabilities() {
        return Capabilities.of(session.ocs(Call.get(Endpoints.CAPABILITIES)));
    }

    /**
     * Reports initialisation progress ({@code PUT .../ex-app/status}). 100 completes the install and enables the
     * app; a non-empty {@code error} fails it.
     *
     * @param progress 0 to 100
     * @param error    "" while all is well
     */
    public void initStatus(int progress, String error) {
        if (progress < 0 || progress > 100) {
            throw new IllegalArgumentException("progress must be 0 to 100");
        }
        session.ocs(Call.put(Endpoints.EX_APP + "/status")
                .json(Json.object().put("progress", progress).put("error", error == null ? "" : error)));
    }

    /** Whether Nextcloud has the ExApp enabled ({@code GET .../ex-app/state}); works while it is disabled. */
    public boolean enabledState() {
        JsonNode data = session.ocs(Call.get(Endpoints.EX_APP + "/state"));
        return data.asInt(0) != 0 || data.asBoolean(false);
    }

    /**
     * Writes {@code message} to Nextcloud's log ({@code POST .../api/v1/log}) unless {@code level} is below AppAPI's
     * {@code app_api.loglevel} capability.
     *
     * @return whether the message was sent
     */
    public boolean log(LogLevel level, String message) {
        if (level.code() < capabilities().appApiLogLevel()) {
            return false;
        }
        session.ocs(Call.post(Endpoints.APP_API + "/log")
                .json(Json.object().put("level", level.code()).put("message", message)));
        return true;
    }

    /** App configuration stored in Nextcloud ({@code appconfig_ex}). */
    public AppConfigApi appConfig() {
        return new AppConfigApi(session);
    }

    /** Per-user preferences stored in Nextcloud ({@code preferences_ex}); needs {@link #asUser(String)}. */
    public PreferencesApi preferences() {
        return new PreferencesApi(session);
    }

    /** Notifications to the acting user; needs {@link #asUser(String)}. */
    public NotificationsApi notifications() {
        return new NotificationsApi(session);
    }

    /** The ExApp's user interface in Nextcloud: top menu, scripts, styles, initial state, settings, file actions. */
    public UiApi ui() {
        return new UiApi(session);
    }

    /** The ExApp's {@code occ} commands. */
    public OccCommandsApi occCommands() {
        return new OccCommandsApi(session);
    }

    /** TaskProcessing: provider registration and the worker calls. */
    public TaskProcessingApi taskProcessing() {
        return new TaskProcessingApi(session);
    }

    /** Talk bots: registration and signed messages and reactions. */
    public TalkBotsApi talkBots() {
        return new TalkBotsApi(session);
    }

    /** Webhooks of the {@code webhook_listeners} app. */
    public WebhooksApi webhooks() {
        return new WebhooksApi(session);
    }

    /** The acting user's files over WebDAV; needs {@link #asUser(String)}. */
    public FilesApi files() {
        return new FilesApi(session);
    }

    /** Any other OCS endpoint, with the same headers, unwrapping and errors. */
    public OcsApi ocs() {
        return new OcsApi(session);
    }

    /** Releases the connections; every client derived from this one stops working too. */
    @Override
    public void close() {
        session.transport().close();
    }

    @Override
    public String toString() {
        return "NextcloudClient[appId=" + appId() + ", user=" + session.user() + "]";
    }

    /** Builds a {@link NextcloudClient}. */
    public static final class Builder {
        private URI nextcloudUrl;
        private String appId;
        private String appVersion;
        private String appSecret;
        private String aaVersion = DEFAULT_AA_VERSION;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration transferTimeout = DEFAULT_TRANSFER_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration capabilitiesTtl = Duration.ofMinutes(5);

        private Builder() {
        }

        /** Nextcloud's base URL ({@code NEXTCLOUD_URL}); a trailing {@code /index.php} is dropped. */
        public Builder nextcloudUrl(URI url) {
            this.nextcloudUrl = Objects.requireNonNull(url);
            return this;
        }

        /** {@code APP_ID}. */
        public Builder appId(String appId) {
            this.appId = appId;
            return this;
        }

        /** {@code APP_VERSION}, sent as {@code EX-APP-VERSION}. */
        public Builder appVersion(String appVersion) {
            this.appVersion = appVersion;
            return this;
        }

        /** {@code APP_SECRET}. */
        public Builder appSecret(String appSecret) {
            this.appSecret = appSecret;
            return this;
        }

        /** {@code AA_VERSION}; blank means {@link #DEFAULT_AA_VERSION}. */
        public Builder aaVersion(String aaVersion) {
            this.aaVersion = aaVersion == null || aaVersion.isBlank() ? DEFAULT_AA_VERSION : aaVersion;
            return this;
        }

        /** Connect timeout, and idle timeout of OCS calls; default 30 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Idle timeout of file transfers (WebDAV, TaskProcessing files); default 90 s. */
        public Builder transferTimeout(Duration timeout) {
            this.transferTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Attempts a call gets in all, the first included; default 3, 1 disables retries. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The longest wait before a retry, whatever {@code Retry-After} asks; default 30 s. */
        public Builder maxRetryDelay(Duration delay) {
            this.maxRetryDelay = Objects.requireNonNull(delay);
            return this;
        }

        /** The wait before the first retry when Nextcloud gives no {@code Retry-After}; doubles each time. */
        public Builder initialBackoff(Duration delay) {
            this.initialBackoff = Objects.requireNonNull(delay);
            return this;
        }

        /** How long fetched capabilities (and so {@code app_api.loglevel}) are reused; default 5 min. */
        public Builder capabilitiesTtl(Duration ttl) {
            this.capabilitiesTtl = Objects.requireNonNull(ttl);
            return this;
        }

        /** The client, acting in the system context. */
        public NextcloudClient build() {
            if (nextcloudUrl == null) {
                throw new IllegalArgumentException("nextcloudUrl is required");
            }
            AppApiIdentity identity = new AppApiIdentity(appId, appVersion, appSecret, aaVersion);
            Transport transport = new Transport(nextcloudUrl, identity,
                    new Transport.Settings(timeout, transferTimeout, maxAttempts, maxRetryDelay, initialBackoff));
            return new NextcloudClient(new Session(transport, "", new CapabilitiesCache(capabilitiesTtl)));
        }

        @Override
        public String toString() {
            return "NextcloudClient.Builder[nextcloudUrl=" + nextcloudUrl + ", appId=" + appId + "]";
        }
    }
}

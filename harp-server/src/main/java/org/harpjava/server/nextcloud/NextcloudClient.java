package org.harpjava.server.nextcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import org.harpjava.server.decision.AccessLevel;
import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.decision.ForwardedHeaders;
import org.harpjava.server.decision.NcUser;
import org.harpjava.server.security.SharedKey;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The two AppAPI endpoints HaRP calls in Nextcloud: {@code harp/exapp-meta} (ExApp metadata, authenticated with
 * {@code harp-shared-key}) and {@code harp/user-info} (the caller, from the browser's own cookies or credentials).
 * Connections are pooled; replies are read up to {@link #MAX_REPLY_BYTES}.
 */
public final class NextcloudClient implements ExAppSource, UserSource {
    /** Largest reply read from Nextcloud. */
    public static final int MAX_REPLY_BYTES = 1 << 20;
    /** Header carrying the shared key. */
    public static final HeaderName SHARED_KEY = HeaderNames.create("harp-shared-key");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(NextcloudClient.class.getName());

    private final String base;
    private final SharedKey key;
    private final WebClient client;

    public NextcloudClient(URI nextcloudUrl, SharedKey key, Duration connectTimeout) {
        this.base = nextcloudUrl.toString() + "/index.php/apps/app_api/harp/";
        this.key = key;
        this.client = WebClient.builder()
                .connectTimeout(connectTimeout.compareTo(Duration.ofSeconds(5)) < 0 ? connectTimeout : Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(25))
                .followRedirects(false)
                .sendExpectContinue(false)
                .connectionCacheSize(32)
                .shareConnectionCache(false)
                .build();
    }

    @Override
    public Optional<ExAppMeta> fetch(String appId) throws SourceUnavailableException {
        URI uri = URI.create(base + "exapp-meta?appId=" + URLEncoder.encode(appId, StandardCharsets.UTF_8));
        try (HttpClientResponse res = client.get().uri(uri).header(SHARED_KEY, key.reveal()).request()) {
            int status = res.status().code();
            if (status == 401 || status == 404) {
                return Optional.empty();
            }
            if (status != 200) {
                throw new SourceUnavailableException("exapp-meta for " + appId + " answered HTTP " + status);
            }
            JsonNode body = readJson(res.inputStream(), "exapp-meta");
            try {
                return Optional.of(ExAppMetaJson.parse(appId, body));
            } catch (InvalidMetadataException e) {
                throw new SourceUnavailableException("exapp-meta for " + appId + " is invalid: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            throw unavailable("exapp-meta", e);
        }
    }

    @Override
    public NcUser resolve(String appId, Headers headers) throws SourceUnavailableException {
        URI uri = URI.create(base + "user-info?appId=" + URLEncoder.encode(appId, StandardCharsets.UTF_8));
        try (HttpClientResponse res = client.get().uri(uri).headers(h -> {
            for (Header header : headers) {
                if (ForwardedHeaders.passesToUserInfo(header.name().toLowerCase(Locale.ROOT))) {
                    h.set(header);
                }
            }
            h.set(SHARED_KEY, key.reveal());
        }).request()) {
            int status = res.status().code();
            if (status >= 400 && status < 500) {
                return NcUser.ANONYMOUS;
            }
            if (status != 200) {
                throw new SourceUnavailableException("user-info answered HTTP " + status);
            }
            JsonNode body = readJson(res.inputStream(), "user-info");
            JsonNode id = body.get("user_id");
            JsonNode level = body.get("access_level");
            if (id == null || !(id.isTextual() || id.isNull()) || level == null || !level.isIntegralNumber()) {
                throw new SourceUnavailableException("user-info reply lacks user_id or access_level");
            }
            AccessLevel access = AccessLevel.ofCode(level.asLong())
                    .orElseThrow(() -> new SourceUnavailableException("user-info reply has access_level " + level));
            String userId = id.isNull() ? "" : id.asText();
            return userId.isEmpty() ? NcUser.ANONYMOUS : new NcUser(userId, access);
        } catch (RuntimeException e) {
            throw unavailable("user-info", e);
        }
    }

    private static JsonNode readJson(InputStream in, String what) throws SourceUnavailableException {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_REPLY_BYTES + 1);
            if (bytes.length > MAX_REPLY_BYTES) {
                throw new SourceUnavailableException(what + " reply is larger than " + MAX_REPLY_BYTES + " bytes");
            }
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new SourceUnavailableException(what + " reply is not valid JSON");
        }
    }

    private static SourceUnavailableException unavailable(String what, RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "Nextcloud call " + what + " failed", e);
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new SourceUnavailableException("Nextcloud " + what + " failed: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : " " + root.getMessage()), e);
    }
}

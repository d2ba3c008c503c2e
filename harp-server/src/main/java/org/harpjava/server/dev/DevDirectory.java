package org.harpjava.server.dev;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import org.harpjava.server.config.HarpConfig;
import org.harpjava.server.decision.ExAppMeta;
import org.harpjava.server.decision.NcUser;
import org.harpjava.server.nextcloud.ExAppSource;
import org.harpjava.server.nextcloud.UserSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The standalone dev mode's stand-in for Nextcloud: ExApps and users declared in the configuration. Users log in
 * with HTTP Basic; passwords are compared in constant time. Wrong or unknown credentials make the caller
 * anonymous, as Nextcloud's {@code harp/user-info} does; a route that needs a user then answers {@code 401} with a
 * Basic challenge, so that a browser asks for the login.
 */
public final class DevDirectory implements ExAppSource, UserSource {
    private static final String CHALLENGE = "Basic realm=\"harp-server dev mode\", charset=\"UTF-8\"";

    private final Map<String, ExAppMeta> exapps;
    private final Map<String, HarpConfig.DevUser> users;

    public DevDirectory(HarpConfig.Dev dev) {
        this.exapps = dev.exapps().stream()
                .collect(Collectors.toUnmodifiableMap(a -> a.appId().toLowerCase(Locale.ROOT), Function.identity()));
        this.users = dev.users().stream()
                .collect(Collectors.toUnmodifiableMap(HarpConfig.DevUser::name, Function.identity()));
    }

    @Override
    public Optional<ExAppMeta> fetch(String appId) {
        return Optional.ofNullable(exapps.get(appId));
    }

    @Override
    public Optional<String> challenge() {
        return Optional.of(CHALLENGE);
    }

    @Override
    public NcUser resolve(String appId, Headers headers) {
        String auth = headers.first(HeaderNames.AUTHORIZATION).orElse("");
        if (!auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return NcUser.ANONYMOUS;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return NcUser.ANONYMOUS;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return NcUser.ANONYMOUS;
        }
        HarpConfig.DevUser user = users.get(decoded.substring(0, colon));
        byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        if (user == null || !MessageDigest.isEqual(user.password().getBytes(StandardCharsets.UTF_8), given)) {
            return NcUser.ANONYMOUS;
        }
        return new NcUser(user.name(), user.level());
    }
}

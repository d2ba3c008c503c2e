package org.harpjava.server.testing;

import org.harpjava.server.HarpServer;

import java.io.IOException;
import java.util.Map;

/**
 * harp-server in front of one ExApp, {@value #APP_ID}, every path of which is PUBLIC, with a fake Nextcloud: the
 * set-up of tests about how requests are carried rather than about who may pass.
 *
 * @param exapp     the ExApp
 * @param nextcloud the fake Nextcloud that knows it
 * @param harp      the proxy, reached at {@code /exapps/app/...}
 */
public record PublicAppProxy(TestExApp exapp, FakeNextcloud nextcloud, HarpServer harp) implements AutoCloseable {
    public static final String APP_ID = "app";

    /** Starts the three with {@code sharedKey} and the extra {@code HP_*} {@code settings}. */
    public static PublicAppProxy start(String sharedKey, Map<String, String> settings) throws IOException {
        TestExApp exapp = new TestExApp();
        FakeNextcloud nextcloud = new FakeNextcloud(sharedKey)
                .app(APP_ID, "secret", exapp.port(), "[{\"url\":\"^/\",\"access_level\":0}]");
        Map<String, String> env = Harp.nextcloud(nextcloud, sharedKey);
        env.putAll(settings);
        return new PublicAppProxy(exapp, nextcloud, Harp.start(env));
    }

    /** The proxy's port. */
    public int port() {
        return harp.port();
    }

    @Override
    public void close() {
        harp.stop();
        nextcloud.close();
        exapp.close();
    }
}

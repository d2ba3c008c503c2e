package org.harpjava.exapp.nextcloud;

import org.harpjava.exapp.testkit.FakeNextcloud;
import org.harpjava.exapp.testkit.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Tests of client calls against one fake Nextcloud per test class, its recordings cleared before each test. */
abstract class AgainstFakeNextcloud {
    protected static FakeNextcloud fake;
    protected static NextcloudClient nc;

    @BeforeAll
    static void startFake() {
        fake = Fixture.fake();
        nc = Fixture.client(fake);
    }

    @AfterAll
    static void stopFake() {
        nc.close();
        fake.close();
    }

    @BeforeEach
    void clearFake() {
        fake.setEnabled(true);
        fake.clearRequests();
    }

    /** The last request the fake received. */
    protected static RecordedRequest last() {
        return fake.lastRequest().orElseThrow();
    }
}

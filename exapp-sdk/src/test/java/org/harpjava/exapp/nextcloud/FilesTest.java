package org.harpjava.exapp.nextcloud;

import org.harpjava.exapp.testkit.FakeNextcloud;
import org.harpjava.exapp.testkit.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilesTest {
    private static final int SIZE = 6 * 1024 * 1024 + 123;
    private static FakeNextcloud fake;
    private static NextcloudClient nc;

    @BeforeAll
    static void start() {
        fake = Fixture.fake();
        nc = Fixture.client(fake);
    }

    @AfterAll
    static void stop() {
        nc.close();
        fake.close();
    }

    @Test
    void uploadFromAFileKeepsItsLengthAndContent(@TempDir Path dir) throws IOException {
        byte[] data = Fixture.randomBytes(SIZE, 1);
        Path source = dir.resolve("source.bin");
        Files.write(source, data);
        nc.asUser("alice").files().upload("Documents/big file ü.bin", source);
        RecordedRequest r = fake.lastRequest().orElseThrow();
        assertEquals("PUT", r.method());
        assertEquals("/remote.php/dav/files/alice/Documents/big%20file%20%C3%BC.bin", r.path());
        Fixture.assertAppApiHeaders(r, "alice");
        assertEquals(String.valueOf(SIZE), r.header("Content-Length").orElseThrow(), "sent with its length");
        assertFalse(r.header("Transfer-Encoding").isPresent());
        assertEquals(Fixture.sha256(data), Fixture.sha256(fake.file("alice", "Documents/big file ü.bin").orElseThrow()));
    }

    @Test
    void uploadFromAStreamIsSentChunkedAndLeavesTheStreamOpen() {
        byte[] data = Fixture.randomBytes(SIZE, 2);
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(data) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        nc.asUser("bob").files().upload("/stream.bin", in);
        RecordedRequest r = fake.lastRequest().orElseThrow();
        assertEquals("/remote.php/dav/files/bob/stream.bin", r.path());
        assertEquals("chunked", r.header("Transfer-Encoding").orElse(""));
        assertFalse(closed[0]);
        assertEquals(Fixture.sha256(data), Fixture.sha256(fake.file("bob", "stream.bin").orElseThrow()));
    }

    @Test
    void downloadStreamsToAStreamAndToAFile(@TempDir Path dir) throws Exception {
        byte[] data = Fixture.randomBytes(SIZE, 3);
        fake.putFile("carol", "Music/track.ogg", data);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long n;
        try (DigestOutputStream out = new DigestOutputStream(java.io.OutputStream.nullOutputStream(), sha)) {
            n = nc.asUser("carol").files().download("Music/track.ogg", out);
        }
        assertEquals(SIZE, n);
        assertEquals(Fixture.sha256(data), HexFormat.of().formatHex(sha.digest()));
        RecordedRequest r = fake.lastRequest().orElseThrow();
        assertEquals("GET", r.method());
        assertEquals("/remote.php/dav/files/carol/Music/track.ogg", r.path());
        Fixture.assertAppApiHeaders(r, "carol");

        Path target = dir.resolve("track.ogg");
        assertEquals(SIZE, nc.asUser("carol").files().download("Music/track.ogg", target));
        assertEquals(Fixture.sha256(data), Fixture.sha256(Files.readAllBytes(target)));
    }

    @Test
    void missingFilesUsersAndBadPathsFail(@TempDir Path dir) {
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> nc.asUser("dave").files().download("nope.txt", new ByteArrayOutputStream()));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("could not be located"), e.getMessage());
        assertThrows(NotFoundException.class, () -> nc.asUser("dave").files().download("nope.txt", dir.resolve("n")));
        assertFalse(Files.exists(dir.resolve("n")));
        assertThrows(IllegalStateException.class, () -> nc.files().upload("x.txt", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> nc.asUser("dave").files().upload("a/../b", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> nc.asUser("dave").files().upload("/", new byte[1]));
        nc.asUser("dave").files().upload("empty.txt", new byte[0]);
        assertEquals(0, fake.file("dave", "empty.txt").orElseThrow().length);
    }
}

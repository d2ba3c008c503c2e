package org.harpjava.exapp.nextcloud;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.ToLongFunction;

/** Downloads to a file through a temporary file beside it, so a failed download leaves nothing behind. */
final class Downloads {
    private Downloads() {
    }

    static long toPath(Path target, ToLongFunction<OutputStream> download) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp;
        try {
            temp = Files.createTempFile(dir, ".download-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file in " + dir, e);
        }
        boolean done = false;
        try {
            long n;
            try (OutputStream out = Files.newOutputStream(temp)) {
                n = download.applyAsLong(out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}

package org.harpjava.samples.transcribe;

import org.harpjava.exapp.manifest.InfoXmlRoutes;
import org.harpjava.exapp.manifest.ManifestRoute;
import org.harpjava.server.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dev-mode configuration of the README loads, and declares the routes of {@code appinfo/info.xml}. */
class DevConfigTest {
    @Test
    void devConfigMatchesInfoXml() throws Exception {
        Path config = Path.of("dev/harp.yaml");
        assertDoesNotThrow(() -> ConfigLoader.load(Map.of(), Optional.of(config)));
        String yaml = Files.readString(config);
        for (ManifestRoute r : InfoXmlRoutes.read(Path.of("appinfo/info.xml")).routes()) {
            String expected = "- url: '" + r.url() + "'\n            verb: " + String.join(",", r.verbs())
                    + "\n            access_level: " + r.access() + "\n";
            assertTrue(yaml.contains(expected), "dev/harp.yaml lacks the route " + r);
        }
    }
}

package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node on a fresh data directory keeps it, its database and its key to its own user. */
class H2DataDirectoryTest {

  @TempDir Path temporary;

  @Test
  void theDataDirectoryTheDatabaseAndTheKeyAreNotReadableByOthers() throws Exception {
    Path data = temporary.resolve("fresh").resolve("data");
    Config config =
        ConfigFactory.parseMap(
                Map.of(
                    "pulse.data-dir", data.toString(),
                    "pulse.db.url", "",
                    "pulse.db.user", "",
                    "pulse.db.password", "",
                    "pulse.secret-key", "",
                    "pulse.http.host", "127.0.0.1",
                    "pulse.http.port", 0,
                    "pekko.coordinated-shutdown.exit-jvm", "off"))
            .withFallback(ConfigFactory.load());
    PulseServer server = PulseServer.start(config, Clock.systemUTC());
    try {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
      List<Path> files;
      try (Stream<Path> listed = Files.list(data)) {
        files = listed.filter(Files::isRegularFile).toList();
      }
      List<String> names = files.stream().map(file -> file.getFileName().toString()).toList();
      assertTrue(names.contains("secret.key"), names.toString());
      assertTrue(names.contains("pulse.mv.db"), names.toString());
      for (Path file : files) {
        assertEquals(
            "rw-------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
            file.toString());
      }
    } finally {
      server.stop(Duration.ofSeconds(30));
    }
  }
}

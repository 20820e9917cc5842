package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.H2TestDatabase;
import io.pulse.persistence.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a new installation gets its first key, and how the operator chooses it. */
class AdminKeyBootstrapTest {

  private final TestClock clock = new TestClock(EndToEndContract.T0);

  @Test
  void withoutAConfiguredKeyTheFirstOneIsWrittenOwnerOnlyToTheDataDirectoryOnce() throws Exception {
    try (TestDatabase database = TestDatabase.create(DatabaseKind.H2)) {
      Path file = ((H2TestDatabase) database).dataDirectory().resolve("admin.key");
      String secret;
      try (TestServer server =
          new TestServer(database, clock, Map.of("pulse.access.admin-key", ""))) {
        assertTrue(Files.exists(file), "the key file is written");
        assertEquals(
            "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertTrue(secret.startsWith("pulse_"), secret);
        HttpJson generated = server.http().withKey(secret);
        assertEquals(200, generated.get("/v1/models").status());
        assertEquals(200, generated.get("/v1/keys").status(), "an admin key");
        assertEquals(401, server.http().get("/v1/models").status(), "no other key works");

        server.restart();
        assertEquals(secret, Files.readString(file, StandardCharsets.UTF_8).strip());
        assertEquals(200, server.http().withKey(secret).get("/v1/models").status());
        String keys = server.http().withKey(secret).get("/v1/keys").body();
        assertEquals(1, keys.split("\"id\"").length - 1, "one key after a restart: " + keys);
      }
    }
  }

  @Test
  void aConfiguredKeyIsTheOperatorsAndNoFileIsWritten() throws Exception {
    try (TestDatabase database = TestDatabase.create(DatabaseKind.H2);
        TestServer server = new TestServer(database, clock, Map.of())) {
      Path file = ((H2TestDatabase) database).dataDirectory().resolve("admin.key");
      assertFalse(Files.exists(file));
      assertEquals(201, server.http().post("/v1/tenants", "{\"id\": \"first\"}").status());
    }
  }

  @Test
  void aWeakConfiguredKeyStopsTheServerWithAMessage() {
    try (TestDatabase database = TestDatabase.create(DatabaseKind.H2)) {
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () -> new TestServer(database, clock, Map.of("pulse.access.admin-key", "short")));
      assertTrue(
          refused.getMessage().contains("PULSE_ADMIN_KEY must have at least 24 characters"),
          refused.getMessage());
    }
  }
}

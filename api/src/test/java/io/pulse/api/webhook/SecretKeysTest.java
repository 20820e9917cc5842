package io.pulse.api.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pulse.engine.domain.subscription.SecretBox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the key that seals webhook secrets comes from, on a single node and in a cluster. */
class SecretKeysTest {

  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String OTHER_KEY;

  static {
    byte[] other = new byte[32];
    other[0] = 7;
    OTHER_KEY = Base64.getEncoder().encodeToString(other);
  }

  @TempDir Path temporary;

  private Config config(Map<String, Object> settings) {
    Map<String, Object> all = new HashMap<>();
    all.put("pulse.data-dir", temporary.resolve("data").toString());
    all.put("pulse.secret-key", "");
    all.put("pulse.secret-key-previous", "");
    all.put("pulse.cluster.join-self", true);
    all.put("pulse.cluster.bootstrap", false);
    all.put("pekko.cluster.seed-nodes", List.of());
    all.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
    all.put("pekko.remote.artery.canonical.port", 25521);
    all.putAll(settings);
    return ConfigFactory.parseMap(all);
  }

  @Test
  void aSingleNodeWithoutAKeyGeneratesOneOwnerOnlyAndKeepsIt() throws Exception {
    SecretBox first = SecretKeys.load(config(Map.of()));

    Path directory = temporary.resolve("data");
    Path file = directory.resolve("secret.key");
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String stored = Files.readString(file, StandardCharsets.US_ASCII).strip();
    assertEquals(32, Base64.getDecoder().decode(stored).length);

    SecretBox second = SecretKeys.load(config(Map.of()));
    assertEquals(stored, Files.readString(file, StandardCharsets.US_ASCII).strip());
    String sealed = first.seal("sub-1", "a-secret-of-sixteen-or-more");
    assertEquals("a-secret-of-sixteen-or-more", second.open("sub-1", sealed));
  }

  @Test
  void aConfiguredKeyIsUsedAndNothingIsWritten() {
    SecretBox box = SecretKeys.load(config(Map.of("pulse.secret-key", KEY)));

    String sealed = box.seal("sub-1", "a-secret-of-sixteen-or-more");
    assertEquals(
        "a-secret-of-sixteen-or-more",
        new SecretBox(new byte[32], Optional.empty()).open("sub-1", sealed));
    assertFalse(Files.exists(temporary.resolve("data").resolve("secret.key")));
  }

  @Test
  void thePreviousKeyOpensWhatItSealedWhileTheNewOneSeals() {
    String sealedBefore =
        SecretKeys.load(config(Map.of("pulse.secret-key", KEY)))
            .seal("sub-1", "a-secret-of-sixteen-or-more");

    SecretBox rotated =
        SecretKeys.load(
            config(Map.of("pulse.secret-key", OTHER_KEY, "pulse.secret-key-previous", KEY)));

    assertEquals("a-secret-of-sixteen-or-more", rotated.open("sub-1", sealedBefore));
    assertTrue(rotated.needsResealing("sub-1", sealedBefore));
    assertThrows(
        IllegalStateException.class,
        () ->
            SecretKeys.load(config(Map.of("pulse.secret-key", OTHER_KEY)))
                .open("sub-1", sealedBefore));
  }

  @Test
  void aClusterNodeWithoutAKeyRefusesToStart() {
    List<Map<String, Object>> clusterNodes =
        List.of(
            Map.of("pulse.cluster.bootstrap", true),
            Map.of("pulse.cluster.join-self", false),
            Map.of(
                "pekko.cluster.seed-nodes",
                List.of("pekko://pulse@127.0.0.1:25521", "pekko://pulse@127.0.0.1:25522")));
    for (Map<String, Object> node : clusterNodes) {
      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> SecretKeys.load(config(node)));
      assertTrue(
          refused.getMessage().contains("every node of a cluster needs the same PULSE_SECRET_KEY"),
          refused.getMessage());
      assertFalse(Files.exists(temporary.resolve("data").resolve("secret.key")), node.toString());
    }
    // a cluster node with the key starts
    SecretKeys.load(config(Map.of("pulse.cluster.bootstrap", true, "pulse.secret-key", KEY)));
  }

  @Test
  void aNodeWhoseOnlySeedIsItselfIsASingleNode() {
    SecretKeys.load(
        config(Map.of("pekko.cluster.seed-nodes", List.of("pekko://pulse@127.0.0.1:25521"))));

    assertTrue(Files.exists(temporary.resolve("data").resolve("secret.key")));
  }

  @Test
  void anInvalidKeySaysWhichSettingWithoutShowingIt() {
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> SecretKeys.load(config(Map.of("pulse.secret-key", "c2hvcnQta2V5"))));

    assertTrue(refused.getMessage().contains("PULSE_SECRET_KEY"), refused.getMessage());
    assertFalse(refused.getMessage().contains("c2hvcnQta2V5"), refused.getMessage());
  }
}

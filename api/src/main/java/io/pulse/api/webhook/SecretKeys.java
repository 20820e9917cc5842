package io.pulse.api.webhook;

import com.typesafe.config.Config;
import io.pulse.engine.domain.subscription.SecretBox;
import io.pulse.persistence.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that seals webhook secrets at rest: {@code pulse.secret-key} ({@code PULSE_SECRET_KEY},
 * 32 bytes in base64), and while keys are rotated the one before it, {@code
 * pulse.secret-key-previous} ({@code PULSE_SECRET_KEY_PREVIOUS}).
 *
 * <p>A single node without a configured key makes one, once, in {@code <data dir>/secret.key},
 * readable by its own user only. A node of a cluster refuses to start without one: any node may
 * deliver a subscription that another node created, so every node needs the same key, and keys
 * generated node by node would differ.
 */
public final class SecretKeys {

  public static final String FILE_NAME = "secret.key";

  private static final Logger log = LoggerFactory.getLogger(SecretKeys.class);

  private SecretKeys() {}

  /**
   * The configured key, or a single node's generated one.
   *
   * @throws IllegalStateException for a cluster node without a key, or a key that is not valid
   */
  public static SecretBox load(Config config) {
    String key = text(config, "pulse.secret-key").orElse("");
    Optional<String> previous = text(config, "pulse.secret-key-previous");
    if (key.isEmpty() && isClusterNode(config)) {
      throw new IllegalStateException(
          "pulse.secret-key (PULSE_SECRET_KEY) is not set, and this node forms or joins a"
              + " cluster: every node of a cluster needs the same PULSE_SECRET_KEY (32 random"
              + " bytes in base64, e.g. from `openssl rand -base64 32`), because any node may"
              + " sign the webhooks of a subscription another node created.");
    }
    try {
      if (!key.isEmpty()) {
        return SecretBox.fromBase64(key, previous);
      }
      Path file = keyFile(Path.of(config.getString("pulse.data-dir")));
      return SecretBox.fromBase64(
          Files.readString(file, StandardCharsets.US_ASCII).strip(), previous);
    } catch (IllegalArgumentException invalid) {
      throw new IllegalStateException(
          invalid.getMessage()
              + " (pulse.secret-key, PULSE_SECRET_KEY; pulse.secret-key-previous,"
              + " PULSE_SECRET_KEY_PREVIOUS; or the key file in the data directory)",
          invalid);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the webhook secret key: " + e.getMessage(), e);
    }
  }

  /**
   * Whether this node is one of several: it forms the cluster with Cluster Bootstrap, does not join
   * itself, or has a seed node other than itself.
   */
  static boolean isClusterNode(Config config) {
    if (config.hasPath("pulse.cluster.bootstrap") && config.getBoolean("pulse.cluster.bootstrap")) {
      return true;
    }
    if (config.hasPath("pulse.cluster.join-self")
        && !config.getBoolean("pulse.cluster.join-self")) {
      return true;
    }
    List<String> seeds =
        config.hasPath("pekko.cluster.seed-nodes")
            ? config.getStringList("pekko.cluster.seed-nodes")
            : List.of();
    String self =
        config.hasPath("pekko.remote.artery.canonical.hostname")
                && config.hasPath("pekko.remote.artery.canonical.port")
            ? "pekko://pulse@"
                + config.getString("pekko.remote.artery.canonical.hostname")
                + ":"
                + config.getInt("pekko.remote.artery.canonical.port")
            : "";
    return seeds.stream().anyMatch(seed -> !seed.equals(self));
  }

  /** The key file in {@code dataDirectory}, made first if there is none. */
  private static Path keyFile(Path dataDirectory) throws IOException {
    Path directory = PrivateFiles.directory(dataDirectory.toAbsolutePath().normalize());
    Path file = directory.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return file;
    }
    byte[] key = new byte[SecretBox.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    try {
      PrivateFiles.writeNew(
          file,
          (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII));
      log.info(
          "Generated the key that seals webhook secrets in {}; keep it with the data (without it"
              + " the subscriptions' secrets cannot be read), and give every node of a cluster"
              + " the same key in PULSE_SECRET_KEY instead",
          file);
    } catch (FileAlreadyExistsException raced) {
      // made by another start at the same moment: use that one
    }
    return file;
  }

  private static Optional<String> text(Config config, String path) {
    return config.hasPath(path) && !config.getString(path).isBlank()
        ? Optional.of(config.getString(path).strip())
        : Optional.empty();
  }
}

package io.pulse.api;

import io.pulse.engine.access.AccessCatalog;
import io.pulse.engine.access.AccessRegistry;
import io.pulse.engine.domain.access.AccessState;
import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.KeyLimits;
import io.pulse.engine.domain.access.KeySecrets;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.access.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin key of the {@code default} tenant, so that a new installation can be used at all:
 * the operator's {@code PULSE_ADMIN_KEY} when set (created unless a key with that secret exists);
 * otherwise, while no key exists yet, a generated one written to {@code <data dir>/admin.key},
 * readable by the server's user only.
 *
 * <p>It runs in the background, retried until the registry answers: a node of a cluster that is
 * still forming must start (and bind its port) before the registry can be reached. The node is not
 * ready until it is done.
 */
final class AdminKeyBootstrap {

  private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);

  /** The file a generated first key is written to, in the data directory. */
  static final String KEY_FILE = "admin.key";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RETRY = Duration.ofSeconds(1);

  /** Attempts that fail quietly while a cluster forms; then one warning. */
  private static final int QUIET_ATTEMPTS = 30;

  private final ActorSystem<?> system;
  private final AccessCatalog catalog;
  private final String configuredKey;
  private final Path dataDir;
  private final Clock clock;
  private final AtomicInteger attempts = new AtomicInteger();

  private AdminKeyBootstrap(
      ActorSystem<?> system,
      AccessCatalog catalog,
      String configuredKey,
      Path dataDir,
      Clock clock) {
    this.system = system;
    this.catalog = catalog;
    this.configuredKey = configuredKey;
    this.dataDir = dataDir;
    this.clock = clock;
  }

  /**
   * Starts making sure the operator can authenticate, and that this node's {@code catalog} knows
   * the key; completes once done. A configured key too weak to accept is refused at once.
   */
  static CompletionStage<Done> start(
      ActorSystem<?> system,
      AccessCatalog catalog,
      String configuredKey,
      Path dataDir,
      Clock clock) {
    if (!configuredKey.isEmpty() && !KeySecrets.strongEnough(configuredKey)) {
      throw new IllegalArgumentException(
          "PULSE_ADMIN_KEY must have at least 24 characters and no spaces or control characters");
    }
    return new AdminKeyBootstrap(system, catalog, configuredKey, dataDir, clock).attempt();
  }

  private CompletionStage<Done> attempt() {
    CompletionStage<Done> done =
        configuredKey.isEmpty() ? generateIfNoKey() : ensure(configuredKey);
    return done.thenCompose(ignored -> learn())
        .handle(
            (ok, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              int attempt = attempts.incrementAndGet();
              if (attempt == QUIET_ATTEMPTS) {
                log.warn(
                    "The tenants and keys registry has not answered for {} attempts; the node is"
                        + " not ready until it does: {}",
                    attempt,
                    failure.getMessage());
              }
              return Patterns.after(
                  RETRY,
                  system.classicSystem().scheduler(),
                  system.executionContext(),
                  this::attempt);
            })
        .thenCompose(stage -> stage);
  }

  private CompletionStage<Done> ensure(String secret) {
    ApiKey key = adminKey(secret, "admin (PULSE_ADMIN_KEY)");
    return AccessRegistry.refFor(system)
        .ask(replyTo -> new AccessRegistry.EnsureKey(key, replyTo), ASK_TIMEOUT);
  }

  private CompletionStage<Done> generateIfNoKey() {
    return AccessRegistry.refFor(system)
        .<AccessState>ask(AccessRegistry.GetAccess::new, ASK_TIMEOUT)
        .thenCompose(
            state -> {
              if (state.hasKeys()) {
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              Path file = dataDir.resolve(KEY_FILE);
              boolean written = !Files.exists(file);
              // A file kept from an earlier start whose key never reached the registry (or whose
              // database was wiped) is used as it is.
              String secret = written ? write(file, KeySecrets.newSecret()) : read(file);
              return AccessRegistry.refFor(system)
                  .<Boolean>ask(
                      replyTo ->
                          new AccessRegistry.BootstrapIfEmpty(
                              adminKey(secret, "admin (generated)"), replyTo),
                      ASK_TIMEOUT)
                  .thenApply(
                      created -> {
                        if (created) {
                          log.info(
                              "Created the first admin key of tenant 'default'; it is in {}"
                                  + " (readable by this user only). Set PULSE_ADMIN_KEY to"
                                  + " choose it instead.",
                              file.toAbsolutePath());
                        } else if (written) {
                          // Another node created the first key at the same moment: this file
                          // holds no valid key.
                          delete(file);
                        }
                        return Done.getInstance();
                      });
            });
  }

  /** Takes the registry's state into this node's catalog, so that the key works here at once. */
  private CompletionStage<Done> learn() {
    return AccessRegistry.refFor(system)
        .<AccessState>ask(AccessRegistry.GetAccess::new, ASK_TIMEOUT)
        .thenApply(
            state -> {
              catalog.offer(state);
              return Done.getInstance();
            });
  }

  private ApiKey adminKey(String secret, String name) {
    return new ApiKey(
        KeySecrets.newKeyId(),
        TenantId.DEFAULT,
        name,
        EnumSet.of(Scope.ADMIN),
        KeyLimits.DEFAULTS,
        KeySecrets.hash(secret),
        KeySecrets.hint(secret),
        clock.instant(),
        null,
        null);
  }

  private static String write(Path file, String secret) {
    try {
      Files.createDirectories(file.getParent());
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(
          file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the first admin key to " + file, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Could not delete {}, which holds no valid key: {}", file, e.getMessage());
    }
  }
}

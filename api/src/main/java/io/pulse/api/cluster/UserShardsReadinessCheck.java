package io.pulse.api.cluster;

import io.pulse.engine.user.UserShardStart;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * A Pekko Management readiness check (configured under {@code
 * pekko.management.health-checks.readiness-checks}): ready only once the node has started its
 * users' shards, as {@code /health/ready} requires ({@link UserShardStart}).
 */
public final class UserShardsReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private final org.apache.pekko.actor.typed.ActorSystem<?> system;

  /** Management creates the check reflectively with the classic system. */
  public UserShardsReadinessCheck(ActorSystem system) {
    this.system = Adapter.toTyped(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(UserShardStart.doneOn(system));
  }
}

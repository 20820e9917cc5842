package io.pulse.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.engine.user.UserEntity;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The user shards and entities that this node's shard region hosts, as sharding itself reports
 * them; refreshed before each scrape, since a gauge cannot ask an actor.
 */
final class ShardingGauges {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final AtomicInteger shards = new AtomicInteger();
  private final AtomicInteger entities = new AtomicInteger();

  ShardingGauges(ActorSystem<?> system, MeterRegistry registry) {
    this.system = system;
    Gauge.builder("pulse.sharding.shards", shards, AtomicInteger::get)
        .description("User shards hosted by this node")
        .tag("entity", UserEntity.ENTITY_KEY.name())
        .register(registry);
    Gauge.builder("pulse.sharding.entities", entities, AtomicInteger::get)
        .description("User entities hosted by this node, as its shard region reports them")
        .tag("entity", UserEntity.ENTITY_KEY.name())
        .register(registry);
  }

  /** Asks the local shard region; keeps the last values when it does not answer in time. */
  CompletionStage<Void> refresh() {
    CompletionStage<ShardRegion.CurrentShardRegionState> state =
        AskPattern.ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetShardRegionState(UserEntity.ENTITY_KEY, replyTo),
            TIMEOUT,
            system.scheduler());
    return state
        .thenAccept(
            current -> {
              shards.set(current.getShards().size());
              entities.set(
                  current.getShards().stream()
                      .mapToInt(shard -> shard.getEntityIds().size())
                      .sum());
            })
        .exceptionally(failure -> null);
  }
}

package io.pulse.engine.user;

import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.access.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Starts every shard of the users before a node reports ready, by reading one user of each shard.
 *
 * <p>Pekko creates a shard, and has the coordinator allocate it, on the shard's first message. A
 * node that has just started holds none, and the first requests it is sent, each of them events of
 * hundreds of users in hundreds of shards, paid for creating half of the 1,000 shards: their first
 * {@code 202} came about a second later than with the shards in place (BENCHMARKS.md). Reading a
 * user has no effect beyond loading it, whoever it is, so the users read here are ordinary users of
 * the default tenant whose ids are chosen only for the shard they fall in; they leave memory when
 * they have been idle as long as any user.
 */
public final class UserShardStart {

  /** What every user read here is called, followed by a number. */
  static final String USER_ID_PREFIX = "pulse-shard-start-";

  private final List<String> entityIds;
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final CompletableFuture<UserShardStart> done = new CompletableFuture<>();
  private volatile long startedAt;
  private volatile long tookNanos;

  private UserShardStart(List<String> entityIds) {
    this.entityIds = entityIds;
  }

  /**
   * Reads one user of each of {@code numberOfShards} shards on {@code system}'s cluster once this
   * node is an up member (before, no coordinator allocates a shard); done when each has answered or
   * failed to within {@code timeout}.
   */
  public static UserShardStart onceMemberUp(
      ActorSystem<?> system, int numberOfShards, Duration timeout) {
    UserShardStart start = new UserShardStart(oneUserPerShard(numberOfShards));
    ThisNode.ID.apply(system).start.set(start);
    Cluster.get(Adapter.toClassic(system)).registerOnMemberUp(() -> start.readAll(system, timeout));
    return start;
  }

  /**
   * Whether {@code system}'s node has started its users' shards: false before it has begun to, for
   * the readiness checks that are not handed the start itself.
   */
  public static boolean doneOn(ActorSystem<?> system) {
    UserShardStart start = ThisNode.ID.apply(system).start.get();
    return start != null && start.isDone();
  }

  /** The start of this node's shards, once begun. */
  private static final class ThisNode implements Extension {
    static final ExtensionId<ThisNode> ID =
        new ExtensionId<>() {
          @Override
          public ThisNode createExtension(ActorSystem<?> system) {
            return new ThisNode();
          }
        };

    final AtomicReference<UserShardStart> start = new AtomicReference<>();
  }

  private void readAll(ActorSystem<?> system, Duration timeout) {
    startedAt = System.nanoTime();
    ClusterSharding sharding = ClusterSharding.get(system);
    for (String entityId : entityIds) {
      sharding
          .entityRefFor(UserEntity.ENTITY_KEY, entityId)
          .<UserEngagement>ask(UserEntity.GetEngagement::new, timeout)
          .whenComplete((state, failure) -> answer(failure == null));
    }
  }

  /**
   * One entity id of the default tenant in each of {@code numberOfShards} shards, as the sharding's
   * default extractor places ids: the first id of the sequence that falls in each shard.
   */
  static List<String> oneUserPerShard(int numberOfShards) {
    HashCodeMessageExtractor<UserEntity.Command> extractor =
        new HashCodeMessageExtractor<>(numberOfShards);
    Set<String> shardsCovered = new HashSet<>();
    List<String> entityIds = new ArrayList<>(numberOfShards);
    for (int candidate = 0; shardsCovered.size() < numberOfShards; candidate++) {
      String entityId = UserEntity.entityId(TenantId.DEFAULT.value(), USER_ID_PREFIX + candidate);
      if (shardsCovered.add(extractor.shardId(entityId))) {
        entityIds.add(entityId);
      }
    }
    return entityIds;
  }

  private void answer(boolean succeeded) {
    if (!succeeded) {
      failed.incrementAndGet();
    }
    if (answered.incrementAndGet() == entityIds.size()) {
      tookNanos = System.nanoTime() - startedAt;
      done.complete(this);
    }
  }

  /** Whether every shard has answered or failed to. */
  public boolean isDone() {
    return done.isDone();
  }

  /** Completes once every shard has answered or failed to. */
  public CompletionStage<UserShardStart> whenDone() {
    return done;
  }

  /** Shards read from: one per shard. */
  public int shards() {
    return entityIds.size();
  }

  /** Shards whose user did not answer in time (the journal was down, or the cluster not up). */
  public int failed() {
    return failed.get();
  }

  /** Time from the first read to the last answer, once done. */
  public Duration took() {
    return Duration.ofNanos(tookNanos);
  }
}

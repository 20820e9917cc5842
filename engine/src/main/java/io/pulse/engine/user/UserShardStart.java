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
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts every shard of the users on a node that forms a cluster of its own, before it reports
 * ready, by reading one user of each shard.
 *
 * <p>Pekko creates a shard, and has the coordinator allocate it, on the shard's first message. A
 * node that has just started holds none, and its first requests, each with events of hundreds of
 * users in hundreds of shards, waited for those shards to be created while the code that creates
 * them, and that loads users, was still being compiled: their first {@code 202} came 1.6 to 3.3 s
 * after the node was ready, and 0.7 s once it starts its shards first (BENCHMARKS.md). Reading a
 * user has no effect beyond loading it, whoever it is, so the users read here are ordinary users of
 * the default tenant whose ids are chosen only for the shard they fall in; they leave memory when
 * they have been idle as long as any user.
 *
 * <p>Nodes of a multi-node cluster start nothing ({@link #none}): the first of them to be up would
 * be given every shard, which the coordinator then moves one at a time to the others, and a node
 * joining a running cluster would make the nodes that hold the shards load a thousand users.
 */
public final class UserShardStart {

  /** What every user read here is called, followed by a number. */
  static final String USER_ID_PREFIX = "pulse-shard-start-";

  private static final Logger log = LoggerFactory.getLogger(UserShardStart.class);

  private final List<String> entityIds;
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final CompletableFuture<UserShardStart> done = new CompletableFuture<>();
  private volatile long startedAt;

  private UserShardStart(List<String> entityIds) {
    this.entityIds = entityIds;
  }

  /**
   * Reads one user of each shard of {@code system}'s user entities once this node is an up member
   * (before, no coordinator allocates a shard); done when each read has answered or failed to
   * within {@code timeout}. {@link UserEntity#init} must have been called.
   */
  public static UserShardStart onceMemberUp(ActorSystem<?> system, Duration timeout) {
    int numberOfShards = ClusterShardingSettings.create(system).numberOfShards();
    UserShardStart start = registered(system, new UserShardStart(oneUserPerShard(numberOfShards)));
    Cluster.get(Adapter.toClassic(system)).registerOnMemberUp(() -> start.readAll(system, timeout));
    return start;
  }

  /** A start with nothing to do, done at once: for the nodes of a multi-node cluster. */
  public static UserShardStart none(ActorSystem<?> system) {
    UserShardStart start = registered(system, new UserShardStart(List.of()));
    start.done.complete(start);
    return start;
  }

  /**
   * Whether {@code system}'s node is done starting its users' shards: false before it has begun to,
   * for the readiness checks that are not handed the start itself.
   */
  public static boolean doneOn(ActorSystem<?> system) {
    UserShardStart start = OfThisNode.ID.apply(system).start.get();
    return start != null && start.isDone();
  }

  private static UserShardStart registered(ActorSystem<?> system, UserShardStart start) {
    OfThisNode.ID.apply(system).start.set(start);
    return start;
  }

  /**
   * One entity id of the default tenant in each of {@code numberOfShards} shards, as the sharding's
   * default extractor (the user entities have no other) places ids: the first id of the sequence
   * that falls in each shard.
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

  private void readAll(ActorSystem<?> system, Duration timeout) {
    startedAt = System.nanoTime();
    int sent = 0;
    try {
      ClusterSharding sharding = ClusterSharding.get(system);
      for (String entityId : entityIds) {
        sharding
            .entityRefFor(UserEntity.ENTITY_KEY, entityId)
            .<UserEngagement>ask(UserEntity.GetEngagement::new, timeout)
            .whenComplete((state, failure) -> answer(failure == null));
        sent++;
      }
    } catch (RuntimeException e) {
      // The start only saves the first requests' time: a node that cannot make it is ready without.
      log.warn(
          "Could not read a user of every shard; those shards start on their first requests", e);
      for (int unsent = sent; unsent < entityIds.size(); unsent++) {
        answer(false);
      }
    }
  }

  /**
   * Counts one read's answer. The start is done with the last one, not as soon as the node holds
   * every shard: until then the users read are loading, and the node's admission counts users
   * loading against its bound ({@code pulse.ingest.max-recovering-users}), which the first
   * requests' new users would find taken.
   */
  private void answer(boolean succeeded) {
    if (!succeeded) {
      failed.incrementAndGet();
    }
    if (answered.incrementAndGet() == entityIds.size()) {
      log.info(
          "Started the user shards: {} of {} reads answered within {} ms",
          entityIds.size() - failed.get(),
          entityIds.size(),
          Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
      done.complete(this);
    }
  }

  /** Whether every read has answered or failed to. */
  public boolean isDone() {
    return done.isDone();
  }

  /** Completes once the start is done ({@link #isDone}). */
  CompletionStage<UserShardStart> whenDone() {
    return done;
  }

  /** Shards read from: one per shard, none on a node of a multi-node cluster. */
  int shards() {
    return entityIds.size();
  }

  /**
   * Reads that failed: the user did not answer in time (the journal was down, for example), or the
   * read could not be sent; a shard whose read was sent has started all the same.
   */
  int failed() {
    return failed.get();
  }

  /** The start of this node's shards, for the checks that look it up by actor system. */
  private static final class OfThisNode implements Extension {
    static final ExtensionId<OfThisNode> ID =
        new ExtensionId<>() {
          @Override
          public OfThisNode createExtension(ActorSystem<?> system) {
            return new OfThisNode();
          }
        };

    final AtomicReference<UserShardStart> start = new AtomicReference<>();
  }
}

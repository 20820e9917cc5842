package io.pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.access.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserShardStartTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private ActorTestKit testKit;

  @Test
  void oneUserOfTheDefaultTenantFallsInEachShard() {
    for (int numberOfShards : new int[] {1, 10, 1000}) {
      List<String> entityIds = UserShardStart.oneUserPerShard(numberOfShards);
      HashCodeMessageExtractor<UserEntity.Command> extractor =
          new HashCodeMessageExtractor<>(numberOfShards);

      Set<String> shards = entityIds.stream().map(extractor::shardId).collect(Collectors.toSet());

      assertEquals(numberOfShards, entityIds.size());
      assertEquals(numberOfShards, shards.size(), "a shard was read twice or not at all");
      for (String entityId : entityIds) {
        assertEquals(TenantId.DEFAULT.value(), UserEntity.tenantOf(entityId));
        assertTrue(UserEntity.userIdOf(entityId).startsWith(UserShardStart.USER_ID_PREFIX));
      }
    }
  }

  @Test
  void theSameUsersAreReadOnEveryNode() {
    assertEquals(UserShardStart.oneUserPerShard(1000), UserShardStart.oneUserPerShard(1000));
  }

  @Test
  void aNodeStartsEveryShardOnceItIsUpAndOnlyThen() throws Exception {
    ActorSystem<Void> system = node("UserShardStartTest", 24);

    UserShardStart start = UserShardStart.onceMemberUp(system, WAIT);
    // Not a member yet: nothing can allocate a shard, and the node is not done.
    Thread.sleep(300);
    assertFalse(start.isDone());
    assertFalse(UserShardStart.doneOn(system));

    EngineTestConfig.joinSelf(system);
    start.whenDone().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertTrue(UserShardStart.doneOn(system));
    assertEquals(24, start.shards());
    assertEquals(0, start.failed());
    assertEquals(24, userShardsOf(system));
  }

  @Test
  void aNodeThatCannotSendItsReadsIsDoneAllTheSame() throws Exception {
    ActorSystem<Void> system = nodeWithoutUsers("UserShardStartFailingTest", 24);

    UserShardStart start = UserShardStart.onceMemberUp(system, WAIT);
    EngineTestConfig.joinSelf(system);
    start.whenDone().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertTrue(UserShardStart.doneOn(system));
    assertEquals(24, start.failed());
  }

  @Test
  void aNodeOfAMultiNodeClusterStartsNoShard() throws Exception {
    ActorSystem<Void> system = node("UserShardStartNoneTest", 24);

    UserShardStart start = UserShardStart.none(system);
    EngineTestConfig.joinSelf(system);
    Thread.sleep(500);

    assertTrue(start.isDone());
    assertTrue(UserShardStart.doneOn(system));
    assertEquals(0, start.shards());
    assertEquals(0, userShardsOf(system));
  }

  @AfterEach
  void stopNode() {
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  /** A node of {@code numberOfShards} user shards, not yet a member of any cluster. */
  private ActorSystem<Void> node(String name, int numberOfShards) {
    ActorSystem<Void> system = nodeWithoutUsers(name, numberOfShards);
    UserEntity.init(
        system,
        TenantModels.fixed(
            () -> Definitions.of(ScoringModels.of(ScoringModel.defaultEngagement()))),
        UserEntitySettings.fromConfig(system.settings().config()));
    return system;
  }

  /** The same node, where the user entities were never registered with sharding. */
  private ActorSystem<Void> nodeWithoutUsers(String name, int numberOfShards) {
    testKit =
        ActorTestKit.create(
            name,
            EngineTestConfig.resolve(
                ConfigFactory.parseString(
                        "pekko.cluster.sharding.number-of-shards = " + numberOfShards)
                    .withFallback(EngineTestConfig.selfJoinedCluster())
                    .withFallback(EngineTestConfig.engine())
                    .withFallback(EngineTestConfig.inMemoryPersistence())));
    return testKit.system();
  }

  private static int userShardsOf(ActorSystem<?> system) {
    ShardRegion.CurrentShardRegionState state =
        AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(UserEntity.ENTITY_KEY, replyTo),
                WAIT,
                system.scheduler())
            .toCompletableFuture()
            .join();
    return state.getShards().size();
  }
}

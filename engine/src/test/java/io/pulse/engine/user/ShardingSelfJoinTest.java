package io.pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ConditionOperator;
import io.pulse.engine.domain.Scale;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.ScoringRule;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.ingest.EventIngestion;
import io.pulse.engine.ingest.IngestOverloadedException;
import io.pulse.engine.ingest.IngestResult;
import io.pulse.engine.ingest.IngestSettings;
import io.pulse.engine.model.ModelCatalog;
import io.pulse.engine.model.ModelCatalogs;
import io.pulse.engine.model.ModelRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine as one cluster node runs it: sharded users and registry, the node's model catalog and
 * batched ingestion, with every message really serialized.
 */
class ShardingSelfJoinTest {

  private static final String TENANT = "default";
  private static final int MAX_IN_FLIGHT_EVENTS = 16;
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private static ActorTestKit testKit;
  private static ActorSystem<Void> system;
  private static ModelCatalog catalog;
  private static EventIngestion ingestion;
  private static UserEntitySettings userSettings;

  @BeforeAll
  static void startNode() {
    testKit =
        ActorTestKit.create(
            "ShardingSelfJoinTest",
            EngineTestConfig.resolve(
                EngineTestConfig.selfJoinedCluster()
                    .withFallback(EngineTestConfig.engine())
                    .withFallback(EngineTestConfig.inMemoryPersistence())));
    system = testKit.system();
    EngineTestConfig.joinSelf(system);
    userSettings = UserEntitySettings.fromConfig(system.settings().config());
    ModelRegistry.init(system);
    ModelCatalogs catalogs =
        ModelCatalogs.follow(system, () -> List.of(TENANT), Duration.ofMillis(500));
    catalog = catalogs.catalog(TENANT);
    UserEntity.init(system, catalogs, userSettings);
    ingestion =
        new EventIngestion(
            system, new IngestSettings(MAX_IN_FLIGHT_EVENTS, Duration.ofSeconds(10)));
    testKit
        .createTestProbe()
        .awaitAssert(
            WAIT,
            () -> {
              assertTrue(EngineTestConfig.isUp(system), "node is up");
              assertTrue(catalog.isLoaded(), "catalog is loaded");
              return null;
            });
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void nothingIsLeftInFlight() {
    assertEquals(0, ingestion.inFlightEvents());
  }

  private static BehaviouralEvent event(
      String eventId, String userId, String type, Channel channel, int minute) {
    return event(eventId, userId, type, channel, minute, Map.of());
  }

  private static BehaviouralEvent event(
      String eventId,
      String userId,
      String type,
      Channel channel,
      int minute,
      Map<String, Object> properties) {
    return new BehaviouralEvent(
        eventId, userId, type, channel, T0.plusSeconds(60L * minute), properties);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static UserEngagement engagementOf(String userId) {
    TestProbe<UserEngagement> probe = testKit.createTestProbe();
    ClusterSharding.get(system)
        .entityRefFor(UserEntity.ENTITY_KEY, UserEntity.entityId(TENANT, userId))
        .tell(new UserEntity.GetEngagement(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static ModelRegistry.ModelPut put(ScoringModel model) {
    TestProbe<StatusReply<ModelRegistry.ModelPut>> probe = testKit.createTestProbe();
    ModelRegistry.refFor(system, TENANT).tell(new ModelRegistry.PutModel(model, probe.getRef()));
    StatusReply<ModelRegistry.ModelPut> reply = probe.receiveMessage(WAIT);
    assertTrue(
        reply.isSuccess(),
        () -> "put " + model.id() + " refused: " + reply.getError().getMessage());
    return reply.getValue();
  }

  private static void awaitCatalogHolds(ModelRegistry.ModelPut put) {
    testKit
        .createTestProbe()
        .awaitAssert(
            WAIT,
            () -> {
              assertTrue(catalog.revision() >= put.revision(), "catalog revision");
              assertEquals(put.model(), catalog.get().get(put.model().id()).orElse(null));
              return null;
            });
  }

  /** What the pure domain says each user of {@code events} ends up as, under the node's models. */
  private static Map<String, UserEngagement> expectedUsers(List<BehaviouralEvent> events) {
    ScoringModels models = catalog.get();
    Map<String, List<BehaviouralEvent>> byUser = new LinkedHashMap<>();
    events.forEach(e -> byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e));
    Map<String, UserEngagement> expected = new LinkedHashMap<>();
    byUser.forEach(
        (user, own) -> {
          UserEngagement state =
              UserEngagement.empty(user, userSettings.recentEventIds()).record(own, models).state();
          // The entity also journals the wake-up its new state needs.
          UserEngagement scheduled = state;
          for (var wakeUp :
              state.wakeUpToRequest(models, java.time.Instant.now()).stream().toList()) {
            scheduled = scheduled.apply(wakeUp);
          }
          expected.put(user, scheduled);
        });
    return expected;
  }

  @Test
  void eventsOfSeveralUsersAreRecordedAndReadBack() throws Exception {
    List<BehaviouralEvent> request =
        List.of(
            event("s1-1", "s1-ann", "email_open", Channel.EMAIL, 0),
            event("s1-2", "s1-bob", "page_view", Channel.WEB, 0),
            event("s1-3", "s1-ann", "purchase", Channel.WEB, 1, Map.of("amount", 30.5)),
            event("s1-4", "s1|carol", "purchase", Channel.APP, 1, Map.of("amount", 12)),
            event("s1-5", "s1|carol", "purchase", Channel.APP, 2, Map.of("amount", 8)),
            event("s1-6", "s1|carol", "purchase", Channel.APP, 3, Map.of("vip", true)),
            event("s1-7", "s1-bob", "page_view", Channel.WEB, 4, Map.of("path", "/shop")));
    Map<String, UserEngagement> expected = expectedUsers(request);

    IngestResult result = await(ingestion.ingest(TENANT, request));

    assertEquals(new IngestResult(7, 0), result);
    for (Map.Entry<String, UserEngagement> user : expected.entrySet()) {
      assertEquals(user.getValue(), engagementOf(user.getKey()), user.getKey());
    }
    UserEngagement carol = engagementOf("s1|carol");
    assertEquals(3, carol.metrics().orders());
    assertEquals("medium", carol.scoreIn("engagement").band());

    assertEquals(new IngestResult(0, 7), await(ingestion.ingest(TENANT, request)));
    assertEquals(expected.get("s1-ann"), engagementOf("s1-ann"));
  }

  @Test
  void theCatalogFollowsAModelPutThroughTheRegistry() throws Exception {
    ScoringModel model =
        new ScoringModel(
            "s2-loyalty",
            "Loyalty",
            0,
            List.of(
                ScoringRule.of("purchase", null, 6),
                new ScoringRule(
                    "page_view",
                    Channel.WEB,
                    1,
                    List.of(new Condition("properties.path", ConditionOperator.EQ, "/rewards")),
                    2)),
            null,
            Scale.DEFAULT,
            List.of(new Band("cold", 1, 5), new Band("warm", 5, 10)),
            20);

    ModelRegistry.ModelPut put = put(model);

    assertTrue(put.created());
    assertEquals(1, put.model().version());
    awaitCatalogHolds(put);

    List<BehaviouralEvent> request =
        List.of(
            event("s2-1", "s2-dora", "purchase", Channel.WEB, 0),
            event("s2-2", "s2-dora", "page_view", Channel.WEB, 1, Map.of("path", "/rewards")));
    assertEquals(new IngestResult(2, 0), await(ingestion.ingest(TENANT, request)));
    UserEngagement dora = engagementOf("s2-dora");
    assertEquals(7.0, dora.scoreIn("s2-loyalty").points());
    assertEquals(1, dora.scoreIn("s2-loyalty").modelVersion());
    assertNotNull(dora.scoreIn("s2-loyalty").band());
    assertEquals(expectedUsers(request).get("s2-dora"), dora);
  }

  /**
   * A model whose rules test a list operand and a nested property, sent as it would be from another
   * node: the registry must accept it and users must score by it.
   */
  @Test
  void aModelWithListAndNestedConditionsIsAcceptedAndScores() throws Exception {
    ScoringModel model =
        new ScoringModel(
            "s3-sections",
            "Sections",
            0,
            List.of(
                new ScoringRule(
                    "page_view",
                    null,
                    2,
                    List.of(
                        new Condition(
                            "properties.section", ConditionOperator.IN, List.of("shop", "sale"))),
                    null),
                new ScoringRule(
                    "purchase",
                    null,
                    5,
                    List.of(
                        new Condition("properties.customer.tier", ConditionOperator.EQ, "gold")),
                    null)),
            null,
            Scale.DEFAULT,
            List.of(new Band("cold", 1, 5), new Band("warm", 5, 10)),
            20);

    ModelRegistry.ModelPut put = put(model);
    awaitCatalogHolds(put);

    List<BehaviouralEvent> request =
        List.of(
            event("s3-1", "s3-eve", "page_view", Channel.WEB, 0, Map.of("section", "sale")),
            event(
                "s3-2",
                "s3-eve",
                "purchase",
                Channel.WEB,
                1,
                Map.of("customer", Map.of("tier", "gold"))));
    assertEquals(new IngestResult(2, 0), await(ingestion.ingest(TENANT, request)));
    assertEquals(7.0, engagementOf("s3-eve").scoreIn("s3-sections").points());
  }

  @Test
  void aRequestBeyondTheInFlightLimitFailsAtOnceAndRecordsNothing() {
    List<BehaviouralEvent> request = new ArrayList<>();
    for (int i = 0; i <= MAX_IN_FLIGHT_EVENTS; i++) {
      request.add(event("s4-" + i, "s4-fay", "page_view", Channel.WEB, i));
    }

    CompletableFuture<IngestResult> result =
        ingestion.ingest(TENANT, request).toCompletableFuture();

    assertTrue(result.isCompletedExceptionally(), "refused without waiting");
    ExecutionException failure = assertThrows(ExecutionException.class, result::get);
    assertInstanceOf(IngestOverloadedException.class, failure.getCause());
    assertEquals(0, ingestion.inFlightEvents());
    assertFalse(engagementOf("s4-fay").hasEvents());
  }

  @Test
  void underOverloadNothingIsLostAndNothingCountedTwice() throws Exception {
    int users = 10;
    int requests = 25;
    int perRequest = 8;
    List<List<BehaviouralEvent>> batches = new ArrayList<>();
    Map<String, Integer> perUser = new HashMap<>();
    for (int r = 0; r < requests; r++) {
      List<BehaviouralEvent> batch = new ArrayList<>();
      for (int i = 0; i < perRequest; i++) {
        String user = "s5-u" + ((r * 3 + i) % users);
        batch.add(event("s5-" + r + "-" + i, user, "app_session", Channel.APP, r));
        perUser.merge(user, 1, Integer::sum);
      }
      batches.add(batch);
    }

    // All at once: beyond the limit some are refused, and each is either wholly in or out.
    List<CompletableFuture<IngestResult>> results = new ArrayList<>();
    for (List<BehaviouralEvent> batch : batches) {
      results.add(ingestion.ingest(TENANT, batch).toCompletableFuture());
    }
    int accepted = 0;
    List<List<BehaviouralEvent>> refused = new ArrayList<>();
    for (int r = 0; r < requests; r++) {
      try {
        IngestResult result = results.get(r).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(new IngestResult(perRequest, 0), result);
        accepted += result.accepted();
      } catch (ExecutionException e) {
        assertInstanceOf(IngestOverloadedException.class, e.getCause());
        refused.add(batches.get(r));
      }
    }
    assertEquals(requests * perRequest, accepted + refused.size() * perRequest);
    for (List<BehaviouralEvent> batch : refused) {
      accepted += await(ingestion.ingest(TENANT, batch)).accepted();
    }

    assertEquals(requests * perRequest, accepted);
    for (Map.Entry<String, Integer> user : perUser.entrySet()) {
      assertEquals(
          (long) user.getValue(), engagementOf(user.getKey()).metrics().events(), user.getKey());
    }
    int duplicates = 0;
    for (List<BehaviouralEvent> batch : batches) {
      IngestResult retry = await(ingestion.ingest(TENANT, batch));
      assertEquals(0, retry.accepted());
      duplicates += retry.duplicates();
    }
    assertEquals(requests * perRequest, duplicates);
  }

  @Test
  void usersPassivateLeastRecentlyUsedBeyondTheLimitOrWhenIdle() {
    ClusterShardingSettings.PassivationStrategySettings passivation =
        ClusterShardingSettings.create(system).passivationStrategySettings();

    assertEquals(scala.Option.apply(100_000), passivation.activeEntityLimit());
    assertEquals(
        "LeastRecentlyUsedSettings",
        passivation.replacementPolicySettings().get().getClass().getSimpleName());
    assertTrue(passivation.admissionSettings().isEmpty(), "no admission window or filter");
    assertEquals(
        Duration.ofMinutes(2).toMillis(),
        passivation.idleEntitySettings().get().timeout().toMillis());
  }
}

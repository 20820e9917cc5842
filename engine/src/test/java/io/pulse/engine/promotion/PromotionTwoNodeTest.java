package io.pulse.engine.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.TestClock;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.promotion.Budget;
import io.pulse.engine.domain.promotion.Campaign;
import io.pulse.engine.domain.promotion.CampaignStats;
import io.pulse.engine.domain.promotion.CodePattern;
import io.pulse.engine.domain.promotion.Offer;
import io.pulse.engine.domain.promotion.Outcome;
import io.pulse.engine.domain.promotion.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of one cluster hand transitions to the same campaign at the same time: sharding gives
 * the campaign one writer in the cluster, so the budget holds across nodes.
 */
class PromotionTwoNodeTest {

  private static final String TENANT = "default";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static ActorTestKit node(String name) {
    ActorTestKit testKit =
        ActorTestKit.create(
            name,
            EngineTestConfig.resolve(
                EngineTestConfig.selfJoinedCluster()
                    .withFallback(EngineTestConfig.engine())
                    .withFallback(EngineTestConfig.inMemoryPersistence())));
    ActorSystem<Void> system = testKit.system();
    PromotionSettings settings = new PromotionSettings(50, 2, WAIT, 10);
    CampaignEntity.init(system, new TestClock(T0), settings);
    VoucherCodeEntity.init(system, new TestClock(T0));
    CampaignDirectory.init(system);
    return testKit;
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aBudgetHoldsWhenTwoNodesDeliverToTheSameCampaignAtOnce() {
    ActorTestKit first = node("PromotionTwoNodeTest");
    ActorTestKit second = node("PromotionTwoNodeTest");
    try {
      // Every campaign state lives in the journal of the node that runs it; the campaign must
      // not move while the test runs, so the cluster forms before it is first used.
      Cluster a = Cluster.get(first.system());
      a.manager().tell(Join.create(a.selfMember().address()));
      Cluster.get(second.system()).manager().tell(Join.create(a.selfMember().address()));
      first
          .createTestProbe()
          .awaitAssert(
              Duration.ofSeconds(30),
              () -> {
                assertEquals(2, a.state().members().size());
                a.state()
                    .getMembers()
                    .forEach(member -> assertEquals(MemberStatus.up(), member.status()));
                return null;
              });

      Campaign campaign =
          new Campaign(
              "shared",
              "Shared",
              Trigger.entered("engagement", "high"),
              Offer.fixedAmount(10),
              Map.of(),
              CodePattern.DEFAULT,
              1,
              new Budget(30, 150.0),
              30,
              null,
              null,
              0,
              0,
              true);
      assertTrue(
          await(
                  CampaignEntity.refFor(first.system(), TENANT, "shared")
                      .<StatusReply<CampaignEntity.CampaignDetails>>ask(
                          replyTo -> new CampaignEntity.Define(campaign, replyTo), WAIT))
              .isSuccess());
      await(
          CampaignDirectory.refFor(first.system(), TENANT)
              .<Done>ask(
                  replyTo ->
                      new CampaignDirectory.ListCampaign("shared", campaign.trigger(), 0, replyTo),
                  WAIT));

      PromotionSettings settings = new PromotionSettings(50, 2, WAIT, 10);
      List<PromotionDelivery> deliveries =
          List.of(
              new PromotionDelivery(first.system(), settings),
              new PromotionDelivery(second.system(), settings));
      List<CompletableFuture<Done>> sent = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        SegmentTransition transition =
            new SegmentTransition(
                "n" + i + ":engagement:1",
                "n" + i,
                "engagement",
                null,
                "high",
                7.5,
                T0,
                TransitionCause.EVENT);
        sent.add(deliveries.get(i % 2).transition(TENANT, transition, i).toCompletableFuture());
      }
      await(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));

      for (ActorTestKit node : List.of(first, second)) {
        CampaignStats stats =
            await(
                    CampaignEntity.refFor(node.system(), TENANT, "shared")
                        .<StatusReply<CampaignStats>>ask(CampaignEntity.GetStats::new, WAIT))
                .getValue();
        // The discount budget binds first (150 / 10 = 15 vouchers, fewer than the 30 allowed):
        // exactly 15 vouchers, never a cent over.
        assertEquals(15, stats.issued());
        assertEquals(185L, stats.outcomes().get(Outcome.BUDGET_EXHAUSTED));
        assertEquals(150.0, stats.discountCommitted());
        assertEquals(0.0, stats.discountLeft());
      }
    } finally {
      second.shutdownTestKit();
      first.shutdownTestKit();
    }
  }
}

package io.pulse.engine.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.TestClock;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.promotion.Budget;
import io.pulse.engine.domain.promotion.Campaign;
import io.pulse.engine.domain.promotion.CampaignStats;
import io.pulse.engine.domain.promotion.CodePattern;
import io.pulse.engine.domain.promotion.Offer;
import io.pulse.engine.domain.promotion.Outcome;
import io.pulse.engine.domain.promotion.Trigger;
import io.pulse.engine.domain.promotion.Voucher;
import io.pulse.engine.promotion.CampaignEntity.CampaignDetails;
import io.pulse.engine.promotion.VoucherCodeEntity.CodeOwner;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The promotion entities as one cluster node runs them, sharded and with every message really
 * serialized, driven through {@link PromotionDelivery} as the projection drives them.
 */
class PromotionShardingTest {

  private static final String TENANT = "default";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static ActorTestKit testKit;
  private static ActorSystem<Void> system;
  private static PromotionDelivery delivery;
  private static final TestClock clock = new TestClock(T0);

  @BeforeAll
  static void startNode() {
    testKit =
        ActorTestKit.create(
            "PromotionShardingTest",
            EngineTestConfig.resolve(
                EngineTestConfig.selfJoinedCluster()
                    .withFallback(EngineTestConfig.engine())
                    .withFallback(EngineTestConfig.inMemoryPersistence())));
    system = testKit.system();
    EngineTestConfig.joinSelf(system);
    // Generous: a thousand deliveries queue up behind one campaign on a busy test machine.
    PromotionSettings settings = new PromotionSettings(50, 2, Duration.ofSeconds(90), 10);
    // Campaigns named "collide-..." all draw the same codes in the same order: the second one's
    // first code is always taken by the first one's, which the system must notice and replace.
    SecureRandom secure = new SecureRandom();
    CampaignEntity.init(
        system,
        clock,
        settings,
        entityId -> entityId.contains("|collide-") ? new Random(2026) : secure);
    VoucherCodeEntity.init(system, clock);
    CampaignDirectory.init(system);
    delivery = new PromotionDelivery(system, settings);
    testKit
        .createTestProbe()
        .awaitAssert(
            WAIT,
            () -> {
              assertTrue(EngineTestConfig.isUp(system), "node is up");
              return null;
            });
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A campaign on its own model, so that tests do not see each other's transitions. */
  private static Campaign campaign(String id, String model, Budget budget) {
    return new Campaign(
        id,
        id,
        Trigger.entered(model, "high"),
        Offer.fixedAmount(5),
        Map.of(),
        CodePattern.DEFAULT,
        1,
        budget,
        30,
        null,
        null,
        0,
        0,
        true);
  }

  private static void define(Campaign campaign) {
    StatusReply<CampaignDetails> reply =
        await(
            CampaignEntity.refFor(system, TENANT, campaign.id())
                .ask(replyTo -> new CampaignEntity.Define(campaign, replyTo), WAIT));
    assertTrue(reply.isSuccess(), () -> "defined: " + reply);
    await(
        CampaignDirectory.refFor(system, TENANT)
            .<Done>ask(
                replyTo ->
                    new CampaignDirectory.ListCampaign(
                        campaign.id(), campaign.trigger(), 0, replyTo),
                WAIT));
  }

  private static SegmentTransition enteredHigh(String user, String model) {
    return new SegmentTransition(
        user + ":" + model + ":1", user, model, null, "high", 7.5, T0, TransitionCause.EVENT);
  }

  private static List<Voucher> vouchers(String campaignId, String user) {
    return await(
            CampaignEntity.refFor(system, TENANT, campaignId)
                .<CampaignEntity.UserVouchers>ask(
                    replyTo -> new CampaignEntity.GetVouchers(user, replyTo), WAIT))
        .vouchers();
  }

  private static CampaignStats stats(String campaignId) {
    return await(
            CampaignEntity.refFor(system, TENANT, campaignId)
                .<StatusReply<CampaignStats>>ask(CampaignEntity.GetStats::new, WAIT))
        .getValue();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aDeliveredTransitionGivesOneUsableVoucherAndDeliveringItAgainGivesNoOther() {
    String model = unique("m");
    define(campaign(unique("issue"), model, Budget.UNLIMITED));
    String id =
        await(
                CampaignDirectory.refFor(system, TENANT)
                    .ask(CampaignDirectory.GetDirectory::new, WAIT))
            .campaigns()
            .entrySet()
            .stream()
            .filter(entry -> entry.getValue().model().equals(model))
            .findFirst()
            .orElseThrow()
            .getKey();
    SegmentTransition transition = enteredHigh("ann", model);

    await(delivery.transition(TENANT, transition, 100));
    await(delivery.transition(TENANT, transition, 100));
    await(delivery.transition(TENANT, transition, 100));

    List<Voucher> vouchers = vouchers(id, "ann");
    assertEquals(1, vouchers.size());
    assertTrue(vouchers.get(0).claimed());
    CodeOwner owner =
        await(
            VoucherCodeEntity.refFor(system, vouchers.get(0).code())
                .ask(VoucherCodeEntity.Lookup::new, WAIT));
    assertEquals(id, owner.claim().campaignId());
    assertEquals("ann", owner.claim().userId());
    assertEquals(1, stats(id).issued());
  }

  @Test
  void aThousandUsersAtOnceAgainstABudgetOfAHundredGetExactlyAHundredVouchers() {
    String model = unique("m");
    String id = unique("budget");
    define(campaign(id, model, new Budget(100, null)));

    List<CompletableFuture<Done>> deliveries = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      deliveries.add(
          delivery.transition(TENANT, enteredHigh("b" + i, model), 1000 + i).toCompletableFuture());
    }
    await(CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new)));

    CampaignStats stats = stats(id);
    assertEquals(100, stats.issued());
    assertEquals(900L, stats.outcomes().get(Outcome.BUDGET_EXHAUSTED));
    assertEquals(0L, stats.vouchersLeft());
    List<CompletableFuture<CampaignEntity.UserVouchers>> reads = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String user = "b" + i;
      reads.add(
          CampaignEntity.refFor(system, TENANT, id)
              .<CampaignEntity.UserVouchers>ask(
                  replyTo -> new CampaignEntity.GetVouchers(user, replyTo), WAIT)
              .toCompletableFuture());
    }
    await(CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)));
    Set<String> codes = new HashSet<>();
    int holders = 0;
    for (CompletableFuture<CampaignEntity.UserVouchers> read : reads) {
      List<Voucher> of = read.join().vouchers();
      holders += of.size();
      of.forEach(voucher -> codes.add(voucher.code()));
    }
    assertEquals(100, holders);
    assertEquals(100, codes.size());
  }

  @Test
  void aCodeAlreadyClaimedByAnotherCampaignIsReplacedByAFreshOne() {
    String model = unique("m");
    String first = unique("collide-first");
    String second = unique("collide-second");
    define(campaign(first, model, Budget.UNLIMITED));
    define(campaign(second, model, Budget.UNLIMITED));

    await(delivery.transition(TENANT, enteredHigh("cat", model), 5));

    Voucher fromFirst = vouchers(first, "cat").get(0);
    Voucher fromSecond = vouchers(second, "cat").get(0);
    assertNotEquals(fromFirst.code(), fromSecond.code());
    for (Voucher voucher : List.of(fromFirst, fromSecond)) {
      CodeOwner owner =
          await(
              VoucherCodeEntity.refFor(system, voucher.code())
                  .ask(VoucherCodeEntity.Lookup::new, WAIT));
      assertEquals(voucher.campaignId(), owner.claim().campaignId());
    }
  }

  @Test
  void twoRedemptionsOfOneCodeAtTheSameMomentGiveExactlyOneSuccess() {
    String model = unique("m");
    String id = unique("redeem");
    define(campaign(id, model, Budget.UNLIMITED));
    await(delivery.transition(TENANT, enteredHigh("dan", model), 7));
    String code = vouchers(id, "dan").get(0).code();

    List<CompletableFuture<StatusReply<Voucher>>> attempts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      attempts.add(
          CampaignEntity.refFor(system, TENANT, id)
              .<StatusReply<Voucher>>ask(
                  replyTo -> new CampaignEntity.Redeem(code, "dan", 50, replyTo), WAIT)
              .toCompletableFuture());
    }
    await(CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)));

    long successes = attempts.stream().filter(attempt -> attempt.join().isSuccess()).count();
    assertEquals(1, successes);
    attempts.stream()
        .map(CompletableFuture::join)
        .filter(StatusReply::isError)
        .forEach(reply -> assertEquals("already-redeemed", reply.getError().getMessage()));
    assertEquals(1, stats(id).redeemed());
  }

  @Test
  void deliveredPurchasesConvertParticipantsOnly() {
    String model = unique("m");
    String id = unique("convert");
    define(campaign(id, model, Budget.UNLIMITED));
    await(delivery.transition(TENANT, enteredHigh("eve", model), 20));

    for (String user : List.of("eve", "eve", "stranger")) {
      BehaviouralEvent purchase =
          new BehaviouralEvent(
              unique("p"), user, "purchase", Channel.WEB, T0.plusSeconds(60), Map.of("amount", 80));
      await(delivery.purchase(TENANT, purchase, 21));
    }

    CampaignStats stats = stats(id);
    assertEquals(1, stats.treatment().conversions());
    assertEquals(1, stats.treatment().users());
  }

  @Test
  void aTransitionNoCampaignWantsChangesNothing() {
    String model = unique("m");
    await(delivery.transition(TENANT, enteredHigh("fay", model), 30));
    assertNull(
        await(
                CampaignDirectory.refFor(system, TENANT)
                    .ask(CampaignDirectory.GetDirectory::new, WAIT))
            .campaigns()
            .get(model));
  }

  @Test
  void tenantsAreReadFromUserPersistenceIds() {
    assertEquals("default", PromotionDelivery.tenantOfUser("user|default|a|b"));
  }
}

package io.pulse.engine.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.TestClock;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.promotion.Budget;
import io.pulse.engine.domain.promotion.Campaign;
import io.pulse.engine.domain.promotion.CampaignEvent;
import io.pulse.engine.domain.promotion.CampaignState;
import io.pulse.engine.domain.promotion.CampaignStats;
import io.pulse.engine.domain.promotion.CodePattern;
import io.pulse.engine.domain.promotion.ConversionRecorded;
import io.pulse.engine.domain.promotion.Offer;
import io.pulse.engine.domain.promotion.Outcome;
import io.pulse.engine.domain.promotion.RedemptionRefusal;
import io.pulse.engine.domain.promotion.TransitionConsidered;
import io.pulse.engine.domain.promotion.Trigger;
import io.pulse.engine.domain.promotion.Voucher;
import io.pulse.engine.domain.promotion.VoucherCodeConfirmed;
import io.pulse.engine.domain.promotion.VoucherRedeemed;
import io.pulse.engine.promotion.CampaignEntity.CampaignDetails;
import io.pulse.engine.promotion.CampaignEntity.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CampaignEntityTest {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final PromotionSettings SETTINGS = new PromotionSettings(5, 2, Duration.ofSeconds(5), 10);

  private static ActorTestKit testKit;
  private final TestClock clock = new TestClock(T0);
  private EventSourcedBehaviorTestKit<CampaignEntity.Command, CampaignEvent, CampaignState> entity;

  @BeforeAll
  static void startSystem() {
    testKit =
        ActorTestKit.create(
            "CampaignEntityTest",
            EngineTestConfig.resolve(
                EngineTestConfig.engine().withFallback(EventSourcedBehaviorTestKit.config())));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void freshCampaign() {
    entity =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            CampaignEntity.create(
                CampaignEntity.entityId("default", "loyalty"), clock, new Random(3), SETTINGS),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
    entity.clear();
  }

  static Campaign loyalty(boolean active) {
    return new Campaign(
        "loyalty",
        "Loyalty",
        Trigger.entered("engagement", "high"),
        Offer.percent(10, 25.0),
        Map.of(),
        new CodePattern("VIP-########"),
        1,
        new Budget(100, 1000.0),
        30,
        null,
        null,
        20,
        0,
        active);
  }

  static SegmentTransition enteredHigh(String user, int n, Instant at) {
    return new SegmentTransition(
        user + ":engagement:" + n,
        user,
        "engagement",
        "medium",
        "high",
        7.3,
        at,
        TransitionCause.EVENT);
  }

  private StatusReply<CampaignDetails> define(Campaign campaign) {
    return entity
        .<StatusReply<CampaignDetails>>runCommand(
            replyTo -> new CampaignEntity.Define(campaign, replyTo))
        .reply();
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          CampaignEntity.Command, CampaignEvent, CampaignState, Decision>
      consider(SegmentTransition transition, long offset) {
    return entity.runCommand(replyTo -> new CampaignEntity.Consider(transition, offset, replyTo));
  }

  /** Issues a voucher to {@code user} and confirms its code, as the delivery does. */
  private String issue(String user) {
    Decision decision = consider(enteredHigh(user, 1, clock.instant()), 10).reply();
    entity.<Done>runCommand(replyTo -> new CampaignEntity.ConfirmCode(decision.code(), replyTo));
    return decision.code();
  }

  private StatusReply<Voucher> redeem(String code, String user, double amount) {
    return entity
        .<StatusReply<Voucher>>runCommand(
            replyTo -> new CampaignEntity.Redeem(code, user, amount, replyTo))
        .reply();
  }

  @Test
  void aCampaignIsCreatedThenReplacedAndAnUnchangedDefinitionJournalsNothing() {
    StatusReply<CampaignDetails> created = define(loyalty(true));
    assertTrue(created.getValue().created());
    assertEquals(1, created.getValue().version());
    assertEquals(T0, created.getValue().createdAt());

    var unchanged =
        entity.<StatusReply<CampaignDetails>>runCommand(
            replyTo -> new CampaignEntity.Define(loyalty(true), replyTo));
    assertTrue(unchanged.hasNoEvents());
    assertFalse(unchanged.reply().getValue().created());

    clock.advance(Duration.ofHours(1));
    CampaignDetails replaced = define(loyalty(false)).getValue();
    assertEquals(2, replaced.version());
    assertEquals(T0, replaced.createdAt());
    assertEquals(T0.plus(Duration.ofHours(1)), replaced.updatedAt());
    assertFalse(replaced.campaign().active());
  }

  @Test
  void anInvalidDefinitionIsRefusedWithEveryProblem() {
    Campaign invalid =
        new Campaign("loyalty", null, null, null, null, null, 0, null, 30, null, null, 0, 0, true);

    StatusReply<CampaignDetails> reply = define(invalid);

    assertTrue(reply.isError());
    assertEquals(
        "trigger is required; offer is required unless tiers give an offer per band;"
            + " perUserLimit must be between 1 and 1000",
        reply.getError().getMessage());
    var read = entity.<StatusReply<CampaignDetails>>runCommand(CampaignEntity.GetCampaign::new);
    assertEquals(CampaignEntity.NOT_FOUND, read.reply().getError().getMessage());
  }

  @Test
  void aMatchingTransitionIssuesAPendingVoucherAndARedeliveryAnswersTheSame() {
    define(loyalty(true));
    SegmentTransition transition = enteredHigh("ann", 3, T0);

    var first = consider(transition, 41);
    TransitionConsidered considered = assertInstanceOf(TransitionConsidered.class, first.event());
    assertEquals(Outcome.ISSUED, considered.outcome());
    assertTrue(first.reply().needsClaim());
    assertTrue(first.reply().code().startsWith("VIP-"));

    var again = consider(transition, 41);
    assertTrue(again.hasNoEvents());
    assertEquals(first.reply(), again.reply());

    var confirmed =
        entity.<Done>runCommand(
            replyTo -> new CampaignEntity.ConfirmCode(first.reply().code(), replyTo));
    assertEquals(new VoucherCodeConfirmed(first.reply().code()), confirmed.event());
    var afterClaim = consider(transition, 41);
    assertTrue(afterClaim.hasNoEvents());
    assertFalse(afterClaim.reply().needsClaim());
  }

  @Test
  void aTransitionTheTriggerDoesNotMatchIsIgnored() {
    define(loyalty(true));
    SegmentTransition down =
        new SegmentTransition(
            "ann:engagement:4",
            "ann",
            "engagement",
            "high",
            "medium",
            6.1,
            T0,
            TransitionCause.DECAY);

    var result = consider(down, 50);

    assertTrue(result.hasNoEvents());
    assertNull(result.reply().outcome());
  }

  @Test
  void aSwitchedOffCampaignRecordsWhyItIssuedNothing() {
    define(loyalty(false));

    var result = consider(enteredHigh("bob", 1, T0), 7);

    assertEquals(Outcome.INACTIVE, result.reply().outcome());
    assertEquals(
        Outcome.INACTIVE, assertInstanceOf(TransitionConsidered.class, result.event()).outcome());
    assertEquals(1L, result.state().stats().outcomes().get(Outcome.INACTIVE));
  }

  @Test
  void redemptionAnswersOnceAndNamesEachRefusal() {
    define(loyalty(true));
    String code = issue("ann");

    assertEquals(
        RedemptionRefusal.NOT_OWNER.wireName(), redeem(code, "bob", 100).getError().getMessage());
    assertEquals(
        RedemptionRefusal.BELOW_MINIMUM_ORDER.wireName(),
        redeem(code, "ann", 19.99).getError().getMessage());
    assertEquals(
        RedemptionRefusal.UNKNOWN_CODE.wireName(),
        redeem("VIP-NOSUCHCO", "ann", 100).getError().getMessage());

    var redeemed =
        entity.<StatusReply<Voucher>>runCommand(
            replyTo -> new CampaignEntity.Redeem(code, "ann", 100, replyTo));
    assertInstanceOf(VoucherRedeemed.class, redeemed.event());
    assertEquals(10.0, redeemed.reply().getValue().redemption().discount());
    assertEquals(
        RedemptionRefusal.ALREADY_REDEEMED.wireName(),
        redeem(code, "ann", 100).getError().getMessage());

    String other = issue("cat");
    define(loyalty(false));
    assertEquals(
        RedemptionRefusal.CAMPAIGN_INACTIVE.wireName(),
        redeem(other, "cat", 100).getError().getMessage());
    define(loyalty(true));
    clock.advance(Duration.ofDays(30));
    assertEquals(
        RedemptionRefusal.EXPIRED.wireName(), redeem(other, "cat", 100).getError().getMessage());
  }

  @Test
  void purchasesInsideTheWindowConvertOnce() {
    define(loyalty(true));
    issue("ann");

    var conversion =
        entity.<Done>runCommand(
            replyTo -> new CampaignEntity.RecordPurchase("ann", "p-1", 11, T0, replyTo));
    assertEquals(new ConversionRecorded("ann", "p-1", 11, T0), conversion.event());
    var again =
        entity.<Done>runCommand(
            replyTo -> new CampaignEntity.RecordPurchase("ann", "p-2", 12, T0, replyTo));
    assertTrue(again.hasNoEvents());
    var stranger =
        entity.<Done>runCommand(
            replyTo -> new CampaignEntity.RecordPurchase("zed", "p-3", 13, T0, replyTo));
    assertTrue(stranger.hasNoEvents());
  }

  @Test
  void statsAndVouchersAreReadAndAnUndefinedCampaignHasNoStats() {
    var none = entity.<StatusReply<CampaignStats>>runCommand(CampaignEntity.GetStats::new);
    assertEquals(CampaignEntity.NOT_FOUND, none.reply().getError().getMessage());

    define(loyalty(true));
    String code = issue("ann");
    redeem(code, "ann", 100);

    CampaignStats stats =
        entity
            .<StatusReply<CampaignStats>>runCommand(CampaignEntity.GetStats::new)
            .reply()
            .getValue();
    assertEquals(1, stats.issued());
    assertEquals(1, stats.redeemed());
    assertEquals(10.0, stats.discountGiven());
    assertEquals(99L, stats.vouchersLeft());
    assertEquals(990.0, stats.discountLeft());

    var vouchers =
        entity.<CampaignEntity.UserVouchers>runCommand(
            replyTo -> new CampaignEntity.GetVouchers("ann", replyTo));
    assertEquals(List.of(code), vouchers.reply().vouchers().stream().map(Voucher::code).toList());
  }

  @Test
  void aRestartRecoversEveryVoucherFromSnapshotAndJournal() {
    define(loyalty(true));
    for (int i = 0; i < 12; i++) {
      issue("user-" + i);
    }
    redeem(entity.getState().vouchersOf("user-3").get(0).code(), "user-3", 50);
    CampaignState before = entity.getState();

    CampaignState recovered = entity.restart().state();

    assertEquals(before, recovered);
    assertEquals(12, recovered.stats().issued());
    assertEquals(1, recovered.stats().redeemed());
  }
}

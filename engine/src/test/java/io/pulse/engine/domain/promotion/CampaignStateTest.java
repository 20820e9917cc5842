package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.T0;
import static io.pulse.engine.domain.promotion.Promotions.enteredHigh;
import static io.pulse.engine.domain.promotion.Promotions.loyalty;
import static io.pulse.engine.domain.promotion.Promotions.transition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.promotion.Promotions.Given;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignStateTest {

  @Test
  void aUserEnteringTheTriggerBandGetsOneVoucherWithTheCampaignsTerms() {
    Given campaign = new Given(loyalty());

    TransitionConsidered considered = campaign.offer(enteredHigh("ann", 3));

    assertEquals(Outcome.ISSUED, considered.outcome());
    Voucher voucher = campaign.onlyVoucherOf("ann");
    assertTrue(voucher.code().matches("VIP-[" + CodePattern.ALPHABET + "]{6}"), voucher.code());
    assertEquals("loyalty", voucher.campaignId());
    assertEquals("ann:engagement:3", voucher.transitionId());
    assertEquals("high", voucher.band());
    assertEquals(Offer.percent(10, null), voucher.offer());
    assertEquals(T0, voucher.issuedAt());
    assertEquals(T0.plus(Duration.ofDays(30)), voucher.expiresAt());
    assertEquals(VoucherStatus.ACTIVE, voucher.statusAt(T0));
    assertEquals(1, campaign.state.stats().issued());
  }

  @Test
  void aVoucherIsPendingAndInvisibleUntilItsCodeIsConfirmed() {
    Given campaign = new Given(loyalty());
    TransitionConsidered considered =
        campaign.state.decide(enteredHigh("bob", 1), 1, T0, campaign.random);
    campaign.apply(considered);

    assertEquals(List.of(), campaign.state.vouchersOf("bob"));
    String code = considered.voucher().code();
    assertEquals(VoucherStatus.PENDING, campaign.state.vouchers().get(code).statusAt(T0));
    assertEquals(
        RedemptionRefusal.UNKNOWN_CODE, campaign.state.redeem(code, "bob", 50, T0).refusal());

    campaign.apply(campaign.state.confirm(code).orElseThrow());
    assertEquals(code, campaign.onlyVoucherOf("bob").code());
    assertTrue(campaign.state.confirm(code).isEmpty(), "a second confirmation changes nothing");
  }

  @Test
  void aRedeliveredTransitionIssuesNothingAndAReplayFromTheStartChangesNothing() {
    Given campaign = new Given(loyalty());
    List<SegmentTransition> history = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      history.add(transition("user-" + i, 1, null, "high", T0));
    }
    history.forEach(campaign::offer);
    CampaignState afterFirstDelivery = campaign.state;
    assertEquals(20, afterFirstDelivery.stats().issued());

    assertNull(campaign.offer(history.get(3)), "the same transition again");
    history.forEach(transition -> assertNull(campaign.offer(transition)));

    assertEquals(afterFirstDelivery, campaign.state);
    assertEquals(20, campaign.state.vouchers().size());
  }

  @Test
  void transitionIdsOfAnotherShapeAreRememberedWhole() {
    Given campaign = new Given(loyalty());
    SegmentTransition odd =
        new SegmentTransition(
            "custom-id-7", "cat", "engagement", "medium", "high", 7.5, T0, TransitionCause.EVENT);

    assertEquals(Outcome.ISSUED, campaign.outcomeOf(odd));
    assertNull(campaign.offer(odd));
    assertEquals(1, campaign.state.vouchersOf("cat").size());
  }

  @Test
  void theSameUserEnteringAgainHitsThePerUserLimit() {
    Given campaign = new Given(loyalty());

    assertEquals(Outcome.ISSUED, campaign.outcomeOf(enteredHigh("dan", 3)));
    assertEquals(Outcome.USER_LIMIT, campaign.outcomeOf(enteredHigh("dan", 5)));
    assertEquals(1, campaign.state.vouchersOf("dan").size());
    assertEquals(1, campaign.state.stats().outcomes().get(Outcome.USER_LIMIT));
  }

  @Test
  void aHigherPerUserLimitIssuesUpToIt() {
    Given campaign = new Given(Promotions.withLimit(loyalty(), 2));

    assertEquals(Outcome.ISSUED, campaign.outcomeOf(enteredHigh("eve", 3)));
    assertEquals(Outcome.ISSUED, campaign.outcomeOf(enteredHigh("eve", 5)));
    assertEquals(Outcome.USER_LIMIT, campaign.outcomeOf(enteredHigh("eve", 7)));
    List<Voucher> vouchers = campaign.state.vouchersOf("eve");
    assertEquals(2, vouchers.size());
    assertNotEquals(vouchers.get(0).code(), vouchers.get(1).code());
  }

  @Test
  void aSwitchedOffCampaignIssuesNothingAndSaysWhyAndTheSwitchActsAtOnce() {
    Given campaign = new Given(loyalty().withActive(false));

    assertEquals(Outcome.INACTIVE, campaign.outcomeOf(enteredHigh("fay", 1)));
    assertEquals(List.of(), campaign.state.vouchersOf("fay"));
    assertEquals(1, campaign.state.stats().outcomes().get(Outcome.INACTIVE));

    campaign.redefine(loyalty());
    assertEquals(Outcome.ISSUED, campaign.outcomeOf(enteredHigh("gus", 1)));
    assertNull(campaign.offer(enteredHigh("fay", 1)), "no voucher for the earlier transition");

    campaign.redefine(loyalty().withActive(false));
    assertEquals(Outcome.INACTIVE, campaign.outcomeOf(enteredHigh("hal", 1)));
  }

  @Test
  void transitionsBeforeTheStartOrAfterTheEndIssueNothingAndSayWhy() {
    Given campaign =
        new Given(
            Promotions.withDates(
                loyalty(), T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(10))));

    assertEquals(Outcome.NOT_STARTED, campaign.outcomeOf(transition("ida", 1, null, "high", T0)));
    assertEquals(
        Outcome.ISSUED,
        campaign.outcomeOf(transition("jon", 1, null, "high", T0.plus(Duration.ofDays(1)))));
    assertEquals(
        Outcome.ENDED,
        campaign.outcomeOf(transition("kim", 1, null, "high", T0.plus(Duration.ofDays(10)))));

    // Dated inside the window, but it arrives once the campaign is over.
    campaign.later(Duration.ofDays(11));
    assertEquals(
        Outcome.ENDED,
        campaign.outcomeOf(transition("lea", 1, null, "high", T0.plus(Duration.ofDays(9)))));

    Map<Outcome, Long> outcomes = campaign.state.stats().outcomes();
    assertEquals(1, outcomes.get(Outcome.NOT_STARTED));
    assertEquals(2, outcomes.get(Outcome.ENDED));
    assertEquals(1, outcomes.get(Outcome.ISSUED));
  }

  @Test
  void withoutAStartDateTheCampaignStartsWhenItIsCreated() {
    Given campaign = new Given(loyalty());

    assertEquals(
        Outcome.NOT_STARTED,
        campaign.outcomeOf(transition("old", 1, null, "high", T0.minusSeconds(1))));
    assertEquals(Outcome.ISSUED, campaign.outcomeOf(transition("new", 1, null, "high", T0)));
    assertEquals(T0, campaign.state.effectiveStart());

    campaign.later(Duration.ofDays(1)).redefine(Promotions.withLimit(loyalty(), 3));
    assertEquals(T0, campaign.state.effectiveStart(), "a new definition keeps the creation");
  }

  @Test
  void aTieredCampaignGivesTheOfferOfTheBandEntered() {
    Campaign tiered =
        Promotions.withOffers(
            loyalty(),
            Trigger.exited("engagement", "low"),
            Offer.fixedAmount(5),
            Map.of("high", Offer.percent(20, 50.0)));
    Given campaign = new Given(tiered);

    campaign.offer(transition("mia", 2, "low", "medium", T0));
    campaign.offer(transition("ned", 2, "low", "high", T0));

    assertEquals(Offer.fixedAmount(5), campaign.onlyVoucherOf("mia").offer());
    assertEquals("medium", campaign.onlyVoucherOf("mia").band());
    assertEquals(Offer.percent(20, 50.0), campaign.onlyVoucherOf("ned").offer());
  }

  @Test
  void aTieredCampaignWithoutADefaultOfferSaysSoForOtherBands() {
    Campaign tiersOnly =
        Promotions.withOffers(
            loyalty(),
            Trigger.exited("engagement", "high"),
            null,
            Map.of("medium", Offer.percent(15, null)));
    Given campaign = new Given(tiersOnly);

    assertEquals(Outcome.ISSUED, campaign.outcomeOf(transition("oli", 4, "high", "medium", T0)));
    assertEquals(Outcome.NO_OFFER, campaign.outcomeOf(transition("pam", 4, "high", "low", T0)));
  }

  @Test
  void aThousandUsersAgainstABudgetOfAHundredVouchersGetExactlyAHundred() {
    Given campaign = new Given(Promotions.with(loyalty(), new Budget(100, null)));

    for (int i = 0; i < 1000; i++) {
      campaign.offer(transition("u" + i, 1, null, "high", T0));
    }

    CampaignStats stats = campaign.state.stats();
    assertEquals(100, stats.issued());
    assertEquals(900, stats.outcomes().get(Outcome.BUDGET_EXHAUSTED));
    assertEquals(0L, stats.vouchersLeft());
    assertEquals(100, campaign.state.vouchers().size());
  }

  @Test
  void aDiscountBudgetReservesEachVouchersMostAndReleasesWhatARedemptionDidNotUse() {
    Campaign fixed =
        Promotions.with(
            Promotions.withOffers(
                loyalty(), Trigger.entered("engagement", "high"), Offer.fixedAmount(10), Map.of()),
            new Budget(null, 25.0));
    Given campaign = new Given(fixed);

    assertEquals(Outcome.ISSUED, campaign.outcomeOf(enteredHigh("a", 1)));
    assertEquals(Outcome.ISSUED, campaign.outcomeOf(enteredHigh("b", 1)));
    assertEquals(Outcome.BUDGET_EXHAUSTED, campaign.outcomeOf(enteredHigh("c", 1)));
    assertEquals(5.0, campaign.state.stats().discountLeft());

    // An order of 4 uses 4 of the 10 reserved: 6 go back to the budget.
    String code = campaign.onlyVoucherOf("a").code();
    assertEquals(4.0, campaign.redeem(code, "a", 4).redeemed().redemption().discount());
    assertEquals(11.0, campaign.state.stats().discountLeft());
    assertEquals(Outcome.ISSUED, campaign.outcomeOf(enteredHigh("d", 1)));
    assertEquals(Outcome.BUDGET_EXHAUSTED, campaign.outcomeOf(enteredHigh("e", 1)));

    CampaignStats stats = campaign.state.stats();
    assertEquals(24.0, stats.discountCommitted());
    assertTrue(stats.discountCommitted() <= 25.0);
    assertEquals(4.0, stats.discountGiven());
  }

  @Test
  void anExhaustedBudgetClosesTheCampaignForControlUsersToo() {
    Given campaign =
        new Given(Promotions.withControl(Promotions.with(loyalty(), new Budget(0, null)), 50));

    for (int i = 0; i < 10; i++) {
      assertEquals(Outcome.BUDGET_EXHAUSTED, campaign.outcomeOf(enteredHigh("z" + i, 1)));
    }
    assertEquals(0, campaign.state.stats().control().users());
  }

  @Test
  void aCodeTakenElsewhereIsReplacedAndTheVoucherFollowsIt() {
    Given campaign = new Given(loyalty());
    TransitionConsidered considered =
        campaign.state.decide(enteredHigh("ray", 1), 1, T0, campaign.random);
    campaign.apply(considered);
    String taken = considered.voucher().code();

    VoucherCodeReplaced replaced = campaign.state.replace(taken, campaign.random).orElseThrow();
    campaign.apply(replaced);
    assertNotEquals(taken, replaced.newCode());
    assertFalse(campaign.state.vouchers().containsKey(taken));
    assertEquals(List.of(replaced.newCode()), campaign.state.participants().get("ray").codes());
    assertEquals(
        replaced.newCode(), campaign.state.voucherFor(enteredHigh("ray", 1)).orElseThrow().code());

    campaign.apply(campaign.state.confirm(replaced.newCode()).orElseThrow());
    assertEquals(replaced.newCode(), campaign.onlyVoucherOf("ray").code());
    assertEquals(1, campaign.state.stats().issued());
  }

  @Test
  void recoveryFromTheJournalGivesTheSameState() {
    Given campaign =
        new Given(Promotions.withControl(Promotions.with(loyalty(), new Budget(30, null)), 20));
    for (int i = 0; i < 50; i++) {
      campaign.offer(enteredHigh("r" + i, 1));
    }
    Voucher redeemed = campaign.state.vouchers().values().iterator().next();
    assertTrue(campaign.redeem(redeemed.code(), redeemed.userId(), 10).succeeded());
    assertTrue(campaign.purchase(redeemed.userId(), "p-1", T0.plusSeconds(60)));

    assertEquals(campaign.state, campaign.recovered());
  }
}

package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.T0;
import static io.pulse.engine.domain.promotion.Promotions.loyalty;
import static io.pulse.engine.domain.promotion.Promotions.on;
import static io.pulse.engine.domain.promotion.Promotions.withDates;
import static io.pulse.engine.domain.promotion.Promotions.withLimit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.audience.EventMatch;
import io.pulse.engine.domain.promotion.Promotions.Given;
import io.pulse.engine.domain.watch.DateWatch;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A campaign's decisions on the occasions of audience, event and date triggers: the same rules as
 * for bands, a redelivery recognised by its journal offset, and vouchers restricted to an audience.
 */
class OccasionDecisionTest {

  private static final Trigger COMPLAINT =
      Trigger.event(new EventMatch("support_contact", List.of()));
  private static final Trigger BIRTHDAY =
      Trigger.date(new DateWatch("birthday", "09:00", "timeZone"));

  private static Occasion occasion(Trigger trigger, String id, String user) {
    return new Occasion(trigger.key(), id, user, T0);
  }

  @Test
  void anOccasionIssuesAVoucherWithoutABandAndARedeliveryIssuesNothing() {
    Given campaign = new Given(on(loyalty(), COMPLAINT, null));
    Occasion first = occasion(COMPLAINT, "ann:event:e-1", "ann");

    OccasionConsidered considered = campaign.offer(first, 7);

    assertEquals(Outcome.ISSUED, considered.outcome());
    Voucher voucher = campaign.onlyVoucherOf("ann");
    assertNull(voucher.band());
    assertEquals("ann:event:e-1", voucher.transitionId());
    assertEquals(considered.voucher().code(), voucher.code());
    assertNull(campaign.offer(first, 7), "the same offset again is a redelivery");
    assertNull(campaign.offer(first, 3), "so is an earlier one");
    assertEquals(voucher, campaign.state.voucherFor(first).orElseThrow());
    assertEquals(1, campaign.state.stats().issued());
    assertEquals(campaign.state, campaign.recovered());
  }

  @Test
  void everyLaterOccasionIsDecidedUnderTheSameRules() {
    Given campaign = new Given(withLimit(on(loyalty(), COMPLAINT, null), 2));

    assertEquals(
        Outcome.ISSUED, campaign.offer(occasion(COMPLAINT, "ann:event:e-1", "ann"), 7).outcome());
    assertEquals(
        Outcome.ISSUED, campaign.offer(occasion(COMPLAINT, "ann:event:e-2", "ann"), 9).outcome());
    assertEquals(
        Outcome.USER_LIMIT,
        campaign.offer(occasion(COMPLAINT, "ann:event:e-3", "ann"), 12).outcome());
    assertEquals(
        Outcome.ISSUED,
        campaign.offer(occasion(COMPLAINT, "bob:event:e-1", "bob"), 8).outcome(),
        "offsets are each user's own order");
    assertEquals(3L, campaign.state.stats().outcomes().get(Outcome.ISSUED));
    assertEquals(1L, campaign.state.stats().outcomes().get(Outcome.USER_LIMIT));
  }

  @Test
  void anOccasionBeforeTheCampaignStartedDoesNotCount() {
    Given campaign =
        new Given(withDates(on(loyalty(), BIRTHDAY, null), T0.plus(Duration.ofHours(1)), null));

    assertEquals(
        Outcome.NOT_STARTED,
        campaign.offer(occasion(BIRTHDAY, "ann:date:x:2026", "ann"), 4).outcome());
  }

  @Test
  void aVoucherRestrictedToAnAudienceIsRedeemedByAMemberOnlyAndARefusalChangesNothing() {
    Given campaign = new Given(on(loyalty(), COMPLAINT, "vip"));
    campaign.offer(occasion(COMPLAINT, "ann:event:e-1", "ann"), 7);
    String code = campaign.onlyVoucherOf("ann").code();
    CampaignState before = campaign.state;

    RedemptionAttempt outside = campaign.redeem(code, "ann", 100, List.of("carts"));
    RedemptionAttempt unknown = campaign.redeem(code, "ann", 100);

    assertEquals(RedemptionRefusal.NOT_ELIGIBLE, outside.refusal());
    assertEquals(RedemptionRefusal.NOT_ELIGIBLE, unknown.refusal());
    assertEquals(before, campaign.state);
    assertEquals(
        RedemptionRefusal.NOT_OWNER,
        campaign.redeem(code, "bob", 100, List.of("vip")).refusal(),
        "who may redeem is checked first");
    assertTrue(campaign.redeem(code, "ann", 100, List.of("carts", "vip")).succeeded());
  }

  @Test
  void aCampaignThatNamesNoAudienceIsRedeemedByItsOwnerWhereverTheyAre() {
    Given campaign = new Given(on(loyalty(), COMPLAINT, null));
    campaign.offer(occasion(COMPLAINT, "ann:event:e-1", "ann"), 7);

    assertTrue(
        campaign.redeem(campaign.onlyVoucherOf("ann").code(), "ann", 100, List.of()).succeeded());
  }
}

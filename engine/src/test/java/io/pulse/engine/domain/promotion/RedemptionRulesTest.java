package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.T0;
import static io.pulse.engine.domain.promotion.Promotions.enteredHigh;
import static io.pulse.engine.domain.promotion.Promotions.loyalty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.promotion.Promotions.Given;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedemptionRulesTest {

  private static Given campaignWithVoucherFor(Campaign definition, String user) {
    Given campaign = new Given(definition);
    campaign.offer(enteredHigh(user, 1));
    return campaign;
  }

  @Test
  void theOwnerRedeemsOnceAndGetsTheOffersDiscount() {
    Given campaign = campaignWithVoucherFor(loyalty(), "ann");
    String code = campaign.onlyVoucherOf("ann").code();
    campaign.later(Duration.ofDays(2));

    RedemptionAttempt first = campaign.redeem(code, "ann", 120);

    assertTrue(first.succeeded());
    assertEquals(
        new Redemption(T0.plus(Duration.ofDays(2)), 120, 12.0), first.redeemed().redemption());
    assertEquals(VoucherStatus.REDEEMED, campaign.onlyVoucherOf("ann").statusAt(campaign.now));
    assertEquals(RedemptionRefusal.ALREADY_REDEEMED, campaign.redeem(code, "ann", 120).refusal());
    CampaignStats stats = campaign.state.stats();
    assertEquals(1, stats.redeemed());
    assertEquals(1.0, stats.redemptionRate());
    assertEquals(12.0, stats.discountGiven());
  }

  @Test
  void anUnknownCodeIsRefused() {
    Given campaign = campaignWithVoucherFor(loyalty(), "ann");

    assertEquals(
        RedemptionRefusal.UNKNOWN_CODE, campaign.redeem("VIP-NOPE00", "ann", 50).refusal());
  }

  @Test
  void someoneElsesCodeIsRefusedEvenOnceUsed() {
    Given campaign = campaignWithVoucherFor(loyalty(), "ann");
    String code = campaign.onlyVoucherOf("ann").code();

    assertEquals(RedemptionRefusal.NOT_OWNER, campaign.redeem(code, "bob", 50).refusal());
    campaign.redeem(code, "ann", 50);
    assertEquals(RedemptionRefusal.NOT_OWNER, campaign.redeem(code, "bob", 50).refusal());
  }

  @Test
  void aVoucherExpiresAfterItsValidityDays() {
    Given campaign = campaignWithVoucherFor(loyalty(), "ann");
    String code = campaign.onlyVoucherOf("ann").code();

    campaign.later(Duration.ofDays(30).minusSeconds(1));
    assertEquals(VoucherStatus.ACTIVE, campaign.onlyVoucherOf("ann").statusAt(campaign.now));
    campaign.later(Duration.ofSeconds(1));
    assertEquals(VoucherStatus.EXPIRED, campaign.onlyVoucherOf("ann").statusAt(campaign.now));
    assertEquals(RedemptionRefusal.EXPIRED, campaign.redeem(code, "ann", 50).refusal());
  }

  @Test
  void aSwitchedOffCampaignRefusesRedemptionsUntilSwitchedOnAgain() {
    Given campaign = campaignWithVoucherFor(loyalty(), "ann");
    String code = campaign.onlyVoucherOf("ann").code();

    campaign.redefine(loyalty().withActive(false));
    assertEquals(RedemptionRefusal.CAMPAIGN_INACTIVE, campaign.redeem(code, "ann", 50).refusal());

    campaign.redefine(loyalty());
    assertTrue(campaign.redeem(code, "ann", 50).succeeded());
  }

  @Test
  void anOrderBelowTheMinimumIsRefusedAndTheMinimumItselfIsEnough() {
    Given campaign = campaignWithVoucherFor(Promotions.withMinimumOrder(loyalty(), 40), "ann");
    String code = campaign.onlyVoucherOf("ann").code();

    assertEquals(
        RedemptionRefusal.BELOW_MINIMUM_ORDER, campaign.redeem(code, "ann", 39.99).refusal());
    assertTrue(campaign.redeem(code, "ann", 40).succeeded());
  }

  @Test
  void theMinimumIsTheOnePromisedAtIssueNotALaterOne() {
    Given campaign = campaignWithVoucherFor(loyalty(), "ann");
    String code = campaign.onlyVoucherOf("ann").code();

    campaign.redefine(Promotions.withMinimumOrder(loyalty(), 100));
    assertTrue(campaign.redeem(code, "ann", 10).succeeded());
  }

  @Test
  void aUsedCodeIsUsedBeforeItIsExpired() {
    Given campaign = campaignWithVoucherFor(loyalty(), "ann");
    String code = campaign.onlyVoucherOf("ann").code();
    campaign.redeem(code, "ann", 10);

    campaign.later(Duration.ofDays(40));
    assertEquals(RedemptionRefusal.ALREADY_REDEEMED, campaign.redeem(code, "ann", 10).refusal());
    assertNull(campaign.redeem(code, "ann", 10).redeemed());
  }

  @Test
  void discountsFollowTheOffer() {
    assertEquals(12.0, Offer.percent(10, null).discountFor(120));
    assertEquals(15.0, Offer.percent(30, 15.0).discountFor(120));
    assertEquals(3.33, Offer.percent(10, null).discountFor(33.33));
    assertEquals(10.0, Offer.fixedAmount(10).discountFor(120));
    assertEquals(7.5, Offer.fixedAmount(10).discountFor(7.5), "never more than the order");
    assertEquals(4.95, Offer.freeShipping(4.95).discountFor(120));
    assertEquals(0.0, Offer.freeShipping(0).discountFor(120));

    Campaign fixed =
        Promotions.withOffers(loyalty(), loyalty().trigger(), Offer.fixedAmount(10), Map.of());
    Given campaign = campaignWithVoucherFor(fixed, "ann");
    String code = campaign.onlyVoucherOf("ann").code();
    assertEquals(10.0, campaign.redeem(code, "ann", 80).redeemed().redemption().discount());
  }
}

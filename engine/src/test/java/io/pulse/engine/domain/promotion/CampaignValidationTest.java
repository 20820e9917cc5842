package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.T0;
import static io.pulse.engine.domain.promotion.Promotions.loyalty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.InputLimits;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.audience.EventMatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignValidationTest {

  @Test
  void theLoyaltyCampaignIsValid() {
    assertEquals(List.of(), loyalty().problems(InputLimits.DEFAULTS));
  }

  @Test
  void everyProblemNamesItsField() {
    Campaign broken =
        new Campaign(
            "bad id!",
            "x".repeat(201),
            new Trigger(" ", TriggerDirection.ENTERED, List.of()),
            new Offer(OfferType.PERCENT, 120, -1.0),
            Map.of("gold", Offer.fixedAmount(0)),
            new CodePattern("vip-##"),
            0,
            new Budget(-1, Double.NaN),
            0,
            T0,
            T0,
            -5,
            101,
            true);

    List<String> problems = broken.problems(InputLimits.DEFAULTS);

    List<String> fields =
        List.of(
            "id ",
            "name ",
            "trigger.model ",
            "trigger.entered ",
            "offer.value ",
            "offer.maxDiscount ",
            "tiers.gold.value ",
            "tiers.gold can never apply",
            "codePattern may hold only",
            "codePattern needs at least 6",
            "perUserLimit ",
            "budget.maxVouchers ",
            "budget.maxDiscount ",
            "validityDays ",
            "endsAt ",
            "minimumOrderAmount ",
            "controlGroupPercent ");
    for (String field : fields) {
      assertTrue(
          problems.stream().anyMatch(problem -> problem.startsWith(field)),
          () -> "no problem starting with '" + field + "' in " + problems);
    }
  }

  @Test
  void aCampaignNeedsATriggerAndAnOffer() {
    Campaign empty =
        new Campaign("c", null, null, null, null, null, 1, null, 30, null, null, 0, 0, true);

    assertEquals(
        List.of("trigger is required", "offer is required unless tiers give an offer per band"),
        empty.problems(InputLimits.DEFAULTS));
  }

  @Test
  void aDiscountBudgetNeedsEveryPercentOfferCapped() {
    Campaign uncapped =
        Promotions.withOffers(
            Promotions.with(loyalty(), new Budget(null, 1000.0)),
            Trigger.exited("engagement", "low"),
            Offer.percent(10, null),
            Map.of("high", Offer.percent(20, null), "medium", Offer.percent(5, 10.0)));

    assertEquals(
        List.of(
            "offer.maxDiscount is required for a percent offer when budget.maxDiscount is set",
            "tiers.high.maxDiscount is required for a percent offer when budget.maxDiscount is"
                + " set"),
        uncapped.problems(InputLimits.DEFAULTS));
  }

  @Test
  void tiersMustBeReachableByTheTrigger() {
    Campaign entered =
        Promotions.withOffers(
            loyalty(),
            Trigger.entered("engagement", "high", "medium"),
            null,
            Map.of("high", Offer.percent(20, null), "medium", Offer.percent(10, null)));
    assertEquals(List.of(), entered.problems(InputLimits.DEFAULTS));

    Campaign exited =
        Promotions.withOffers(
            loyalty(),
            Trigger.exited("engagement", "high"),
            null,
            Map.of("high", Offer.percent(20, null)));
    assertEquals(
        List.of("tiers.high can never apply: a user exited [high] never enters 'high'"),
        exited.problems(InputLimits.DEFAULTS));
  }

  @Test
  void datesAreOptionalButOrdered() {
    assertEquals(
        List.of(), Promotions.withDates(loyalty(), T0, null).problems(InputLimits.DEFAULTS));
    assertEquals(
        List.of(), Promotions.withDates(loyalty(), null, T0).problems(InputLimits.DEFAULTS));
    assertEquals(
        List.of(),
        Promotions.withDates(loyalty(), T0, T0.plus(Duration.ofSeconds(1)))
            .problems(InputLimits.DEFAULTS));
  }

  @Test
  void offersOfEachType() {
    assertEquals(List.of(), Offer.percent(100, 5.0).problems("offer"));
    assertEquals(List.of(), Offer.fixedAmount(0.01).problems("offer"));
    assertEquals(List.of(), Offer.freeShipping(0).problems("offer"));
    assertEquals(
        List.of("offer.value must be an amount above 0"), Offer.fixedAmount(-3).problems("offer"));
    assertEquals(
        List.of("offer.maxDiscount applies to percent offers only"),
        new Offer(OfferType.FIXED_AMOUNT, 5, 3.0).problems("offer"));
    assertEquals(
        List.of("offer.value must be a finite number"),
        Offer.percent(Double.NaN, null).problems("offer"));
  }

  @Test
  void amountsBeyondTheLargestAmountAreProblems() {
    Campaign campaign = loyalty();
    Campaign beyond =
        Promotions.withMinimumOrder(
            Promotions.with(
                Promotions.withOffers(
                    campaign,
                    campaign.trigger(),
                    Offer.percent(10, 1e308),
                    Map.of("high", Offer.freeShipping(2e9))),
                new Budget(null, 1e12)),
            1e10);

    assertEquals(
        List.of(
            "offer.maxDiscount must be a number from 0 to 1000000000",
            "tiers.high.value must be a number from 0 to 1000000000",
            "budget.maxDiscount must be a number from 0 to 1000000000",
            "minimumOrderAmount must be a number from 0 to 1000000000"),
        beyond.problems(InputLimits.DEFAULTS));
    assertEquals(
        List.of(),
        Promotions.withMinimumOrder(
                Promotions.withOffers(
                    campaign, campaign.trigger(), Offer.fixedAmount(1e9), Map.of()),
                1e9)
            .problems(InputLimits.DEFAULTS));
  }

  @Test
  void tiersNeedABandTriggerAndAnEligibleAudienceMustBeAnAudiencesId() {
    Campaign onComplaints =
        Promotions.on(
            Promotions.withOffers(
                loyalty(),
                loyalty().trigger(),
                Offer.percent(10, null),
                Map.of("high", Offer.fixedAmount(5))),
            Trigger.event(new EventMatch("support_contact", List.of())),
            "not an id!");

    assertEquals(
        List.of(
            "tiers give an offer per band: they apply to a band trigger only",
            "eligibleAudience must be an audience's id"),
        onComplaints.problems(InputLimits.DEFAULTS));
    assertEquals(
        List.of(),
        Promotions.on(loyalty(), loyalty().trigger(), "vip").problems(InputLimits.DEFAULTS));
    assertEquals(
        List.of(),
        Promotions.on(loyalty(), Trigger.audience("cart-abandoners", TriggerDirection.EXITED), null)
            .problemsAgainst(ScoringModels.of()),
        "an audience trigger names no model");
  }
}

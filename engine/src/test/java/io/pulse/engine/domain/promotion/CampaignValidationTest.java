package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.T0;
import static io.pulse.engine.domain.promotion.Promotions.loyalty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignValidationTest {

  @Test
  void theLoyaltyCampaignIsValid() {
    assertEquals(List.of(), loyalty().problems());
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

    List<String> problems = broken.problems();

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
        empty.problems());
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
        uncapped.problems());
  }

  @Test
  void tiersMustBeReachableByTheTrigger() {
    Campaign entered =
        Promotions.withOffers(
            loyalty(),
            Trigger.entered("engagement", "high", "medium"),
            null,
            Map.of("high", Offer.percent(20, null), "medium", Offer.percent(10, null)));
    assertEquals(List.of(), entered.problems());

    Campaign exited =
        Promotions.withOffers(
            loyalty(),
            Trigger.exited("engagement", "high"),
            null,
            Map.of("high", Offer.percent(20, null)));
    assertEquals(
        List.of("tiers.high can never apply: a user exited [high] never enters 'high'"),
        exited.problems());
  }

  @Test
  void datesAreOptionalButOrdered() {
    assertEquals(List.of(), Promotions.withDates(loyalty(), T0, null).problems());
    assertEquals(List.of(), Promotions.withDates(loyalty(), null, T0).problems());
    assertEquals(
        List.of(), Promotions.withDates(loyalty(), T0, T0.plus(Duration.ofSeconds(1))).problems());
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
}

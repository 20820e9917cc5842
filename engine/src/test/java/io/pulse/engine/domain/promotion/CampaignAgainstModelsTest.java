package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.loyalty;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A campaign names a model and bands of it: checked against the models in force. */
class CampaignAgainstModelsTest {

  private static final ScoringModels ENGAGEMENT =
      ScoringModels.of(ScoringModel.defaultEngagement());

  private static Campaign triggeredBy(Trigger trigger, Map<String, Offer> tiers) {
    Campaign c = loyalty();
    return new Campaign(
        c.id(),
        c.name(),
        trigger,
        c.offer(),
        tiers,
        c.codePattern(),
        c.perUserLimit(),
        c.budget(),
        c.validityDays(),
        c.startsAt(),
        c.endsAt(),
        c.minimumOrderAmount(),
        c.controlGroupPercent(),
        c.active());
  }

  @Test
  void aCampaignOnAnExistingModelAndBandFits() {
    assertEquals(List.of(), loyalty().problemsAgainst(ENGAGEMENT));
  }

  @Test
  void theInactiveSegmentCountsAsABandOfEveryModel() {
    Campaign winBack = triggeredBy(Trigger.entered("engagement", "inactive"), Map.of());

    assertEquals(List.of(), winBack.problemsAgainst(ENGAGEMENT));
  }

  @Test
  void anUnknownModelIsNamed() {
    Campaign campaign = triggeredBy(Trigger.entered("loyalty-score", "high"), Map.of());

    assertEquals(
        List.of("trigger.model 'loyalty-score' is not a scoring model"),
        campaign.problemsAgainst(ENGAGEMENT));
  }

  @Test
  void everyUnknownBandOfTheTriggerAndTheTiersIsNamedWithTheBandsThereAre() {
    Campaign campaign =
        triggeredBy(
            Trigger.exited("engagement", "platinum"),
            Map.of("gold", Offer.percent(5, null), "low", Offer.percent(5, null)));

    List<String> problems = campaign.problemsAgainst(ENGAGEMENT);

    String known = "a band of model 'engagement' (low, medium, high, inactive)";
    assertEquals(
        List.of("trigger.exited 'platinum' is not " + known, "tiers.gold is not " + known),
        problems);
  }

  @Test
  void aTriggerWithoutAModelIsLeftToTheCampaignsOwnChecks() {
    Campaign campaign =
        triggeredBy(new Trigger(" ", TriggerDirection.ENTERED, List.of()), Map.of());

    assertEquals(List.of(), campaign.problemsAgainst(ENGAGEMENT));
  }
}

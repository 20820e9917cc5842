package io.pulse.engine.domain.promotion;

import java.util.EnumMap;
import java.util.Map;

/**
 * A campaign's running totals. {@code discountCommitted} is what the discount budget has spent: the
 * most each unredeemed voucher can cost, plus the actual discount of each redeemed one.
 */
public record CampaignCounts(
    Map<Outcome, Long> outcomes,
    long redeemed,
    double discountGiven,
    double discountCommitted,
    long treatmentUsers,
    long controlUsers,
    long treatmentConversions,
    long controlConversions) {

  public static final CampaignCounts NONE = new CampaignCounts(Map.of(), 0, 0, 0, 0, 0, 0, 0);

  public CampaignCounts {
    EnumMap<Outcome, Long> copy = new EnumMap<>(Outcome.class);
    if (outcomes != null) {
      copy.putAll(outcomes);
    }
    outcomes = Map.copyOf(copy);
  }

  public long count(Outcome outcome) {
    return outcomes.getOrDefault(outcome, 0L);
  }

  public long issued() {
    return count(Outcome.ISSUED);
  }

  CampaignCounts withOutcome(Outcome outcome) {
    EnumMap<Outcome, Long> counted = new EnumMap<>(Outcome.class);
    counted.putAll(outcomes);
    counted.merge(outcome, 1L, Long::sum);
    return new CampaignCounts(
        counted,
        redeemed,
        discountGiven,
        discountCommitted,
        treatmentUsers,
        controlUsers,
        treatmentConversions,
        controlConversions);
  }

  CampaignCounts withCommitted(double change) {
    return new CampaignCounts(
        outcomes,
        redeemed,
        discountGiven,
        Offer.roundToCents(discountCommitted + change),
        treatmentUsers,
        controlUsers,
        treatmentConversions,
        controlConversions);
  }

  CampaignCounts withNewUserIn(CampaignGroup group) {
    return new CampaignCounts(
        outcomes,
        redeemed,
        discountGiven,
        discountCommitted,
        treatmentUsers + (group == CampaignGroup.TREATMENT ? 1 : 0),
        controlUsers + (group == CampaignGroup.CONTROL ? 1 : 0),
        treatmentConversions,
        controlConversions);
  }

  CampaignCounts withRedemption(double discount) {
    return new CampaignCounts(
        outcomes,
        redeemed + 1,
        Offer.roundToCents(discountGiven + discount),
        discountCommitted,
        treatmentUsers,
        controlUsers,
        treatmentConversions,
        controlConversions);
  }

  CampaignCounts withConversionIn(CampaignGroup group) {
    return new CampaignCounts(
        outcomes,
        redeemed,
        discountGiven,
        discountCommitted,
        treatmentUsers,
        controlUsers,
        treatmentConversions + (group == CampaignGroup.TREATMENT ? 1 : 0),
        controlConversions + (group == CampaignGroup.CONTROL ? 1 : 0));
  }
}

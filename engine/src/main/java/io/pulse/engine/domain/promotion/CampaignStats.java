package io.pulse.engine.domain.promotion;

import io.pulse.engine.CborSerializable;
import java.util.Map;

/**
 * A campaign's results: vouchers issued and redeemed, discount given, what is left of the budget
 * ({@code null} where there is no limit), treatment against control conversion, and how many
 * matching transitions ended in each {@link Outcome}.
 */
public record CampaignStats(
    String campaignId,
    boolean active,
    long issued,
    long redeemed,
    double redemptionRate,
    double discountGiven,
    double discountCommitted,
    Integer maxVouchers,
    Long vouchersLeft,
    Double maxDiscount,
    Double discountLeft,
    GroupStats treatment,
    GroupStats control,
    Map<Outcome, Long> outcomes)
    implements CborSerializable {

  public CampaignStats {
    outcomes = outcomes == null ? Map.of() : Map.copyOf(outcomes);
  }
}

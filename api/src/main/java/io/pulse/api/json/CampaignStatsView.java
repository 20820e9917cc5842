package io.pulse.api.json;

import io.pulse.engine.domain.promotion.CampaignStats;
import io.pulse.engine.domain.promotion.GroupStats;
import io.pulse.engine.domain.promotion.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /v1/campaigns/{id}/stats}: a campaign's results, every outcome counted. */
public record CampaignStatsView(
    String campaignId,
    boolean active,
    long issued,
    long redeemed,
    double redemptionRate,
    double discountGiven,
    BudgetView budget,
    GroupView treatment,
    GroupView control,
    Map<String, Long> outcomes) {

  /** What the budget allows and what is left of it; {@code null} where there is no limit. */
  public record BudgetView(
      Integer maxVouchers,
      Long vouchersLeft,
      Double maxDiscount,
      double discountCommitted,
      Double discountLeft) {}

  /** One arm of the campaign's experiment. */
  public record GroupView(long users, long conversions, double conversionRate) {

    static GroupView of(GroupStats group) {
      return new GroupView(group.users(), group.conversions(), group.conversionRate());
    }
  }

  public static CampaignStatsView of(CampaignStats stats) {
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (Outcome outcome : Outcome.values()) {
      outcomes.put(outcome.wireName(), stats.outcomes().getOrDefault(outcome, 0L));
    }
    return new CampaignStatsView(
        stats.campaignId(),
        stats.active(),
        stats.issued(),
        stats.redeemed(),
        stats.redemptionRate(),
        stats.discountGiven(),
        new BudgetView(
            stats.maxVouchers(),
            stats.vouchersLeft(),
            stats.maxDiscount(),
            stats.discountCommitted(),
            stats.discountLeft()),
        GroupView.of(stats.treatment()),
        GroupView.of(stats.control()),
        outcomes);
  }
}

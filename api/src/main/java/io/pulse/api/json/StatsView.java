package io.pulse.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulse.persistence.stats.EngagementStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The aggregates as {@code GET /v1/stats} shows them. Ratios whose denominator is zero are left
 * out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatsView(
    String asOf,
    long users,
    Map<String, Map<String, Long>> segments,
    Map<String, Long> audiences,
    List<HourView> transitionsPerHour,
    long transitionsLast24Hours,
    long transitions,
    long customers,
    long repeatCustomers,
    Double repeatPurchaseRate,
    long orders,
    double revenue,
    Double averageOrderValue,
    long ordersLast365Days,
    long customersLast365Days,
    Double purchaseFrequency,
    Map<String, ReadPositionView> readSide,
    boolean caughtUp) {

  /** Transitions dated in one UTC hour, named by its start. */
  public record HourView(String hour, long count) {}

  /** The journal offset one tag is counted up to, and the offset of its newest journal event. */
  public record ReadPositionView(long offset, long newest) {}

  public static StatsView of(EngagementStats stats) {
    Map<String, ReadPositionView> readSide = new LinkedHashMap<>();
    for (EngagementStats.ReadPosition position : stats.readSide()) {
      readSide.put(position.tag(), new ReadPositionView(position.offset(), position.newest()));
    }
    OptionalDouble averageOrderValue = stats.averageOrderValue();
    return new StatsView(
        stats.asOf().toString(),
        stats.users(),
        stats.segments(),
        stats.audiences(),
        stats.transitionsPerHour().stream()
            .map(hour -> new HourView(hour.hour().toString(), hour.count()))
            .toList(),
        stats.transitionsInHours(),
        stats.transitions(),
        stats.customers(),
        stats.repeatCustomers(),
        boxed(stats.repeatPurchaseRate()),
        stats.orders(),
        UserView.money(stats.revenue()),
        averageOrderValue.isPresent() ? UserView.money(averageOrderValue.getAsDouble()) : null,
        stats.ordersInYear(),
        stats.customersInYear(),
        boxed(stats.purchaseFrequency()),
        readSide,
        stats.caughtUp());
  }

  private static Double boxed(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }
}

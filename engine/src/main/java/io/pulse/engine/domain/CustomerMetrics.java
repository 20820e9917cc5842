package io.pulse.engine.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Counts and order figures of one user. Purchase times of the last 365 days are kept so that
 * purchase frequency can be read at any moment.
 */
public record CustomerMetrics(
    long events,
    long orders,
    double revenue,
    Instant firstSeen,
    Instant lastSeen,
    Instant lastPurchaseAt,
    List<Instant> recentPurchases) {

  static final Duration FREQUENCY_WINDOW = Duration.ofDays(365);

  public CustomerMetrics {
    recentPurchases = recentPurchases == null ? List.of() : List.copyOf(recentPurchases);
  }

  public static CustomerMetrics none() {
    return new CustomerMetrics(0, 0, 0, null, null, null, List.of());
  }

  public OptionalDouble averageOrderValue() {
    return orders == 0 ? OptionalDouble.empty() : OptionalDouble.of(revenue / orders);
  }

  /** Orders in the 365 days before {@code now}. */
  public long purchaseFrequency(Instant now) {
    Instant since = now.minus(FREQUENCY_WINDOW);
    return recentPurchases.stream().filter(at -> at.isAfter(since) && !at.isAfter(now)).count();
  }

  public boolean repeatPurchaser() {
    return orders > 1;
  }

  CustomerMetrics record(BehaviouralEvent event) {
    Instant at = event.timestamp();
    Instant first = firstSeen == null || at.isBefore(firstSeen) ? at : firstSeen;
    Instant last = lastSeen == null || at.isAfter(lastSeen) ? at : lastSeen;
    OptionalDouble amount = event.orderAmount();
    if (amount.isEmpty()) {
      return new CustomerMetrics(
          events + 1, orders, revenue, first, last, lastPurchaseAt, recentPurchases);
    }
    Instant lastPurchase =
        lastPurchaseAt == null || at.isAfter(lastPurchaseAt) ? at : lastPurchaseAt;
    Instant keepSince = lastPurchase.minus(FREQUENCY_WINDOW);
    List<Instant> purchases = new ArrayList<>(recentPurchases.size() + 1);
    for (Instant purchase : recentPurchases) {
      if (purchase.isAfter(keepSince)) {
        purchases.add(purchase);
      }
    }
    if (at.isAfter(keepSince)) {
      purchases.add(at);
    }
    return new CustomerMetrics(
        events + 1,
        orders + 1,
        Saturating.add(revenue, amount.getAsDouble()),
        first,
        last,
        lastPurchase,
        purchases);
  }
}

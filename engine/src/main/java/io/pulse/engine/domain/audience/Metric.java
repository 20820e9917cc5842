package io.pulse.engine.domain.audience;

import io.pulse.engine.domain.CustomerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;

/** A figure of a user's behaviour an audience may test. */
public enum Metric {
  EVENTS("events"),
  ORDERS("orders"),
  REVENUE("revenue"),
  AVERAGE_ORDER_VALUE("averageOrderValue"),
  DAYS_SINCE_LAST_PURCHASE("daysSinceLastPurchase"),
  DAYS_SINCE_LAST_SEEN("daysSinceLastSeen");

  private final String wireName;

  Metric(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Metric> fromWireName(String name) {
    return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
  }

  public static String wireNames() {
    return String.join(", ", Arrays.stream(values()).map(Metric::wireName).toList());
  }

  /** The figure at {@code now}; empty where there is none (no order yet for an average). */
  public OptionalDouble of(CustomerMetrics metrics, Instant now) {
    return switch (this) {
      case EVENTS -> OptionalDouble.of(metrics.events());
      case ORDERS -> OptionalDouble.of(metrics.orders());
      case REVENUE -> OptionalDouble.of(metrics.revenue());
      case AVERAGE_ORDER_VALUE -> metrics.averageOrderValue();
      case DAYS_SINCE_LAST_PURCHASE -> daysSince(metrics.lastPurchaseAt(), now);
      case DAYS_SINCE_LAST_SEEN -> daysSince(metrics.lastSeen(), now);
    };
  }

  /** For a figure of whole days since a moment, that moment; empty for the others. */
  Optional<Instant> daysSince(CustomerMetrics metrics) {
    return Optional.ofNullable(
        switch (this) {
          case DAYS_SINCE_LAST_PURCHASE -> metrics.lastPurchaseAt();
          case DAYS_SINCE_LAST_SEEN -> metrics.lastSeen();
          default -> null;
        });
  }

  private static OptionalDouble daysSince(Instant since, Instant now) {
    if (since == null) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Math.max(0, Duration.between(since, now).toDays()));
  }
}

package io.pulse.persistence.stats;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The aggregates the read side keeps, as read at {@code asOf}: totals, segment sizes, transitions
 * by hour and the 365-day purchase figures, with how far the read side has read the journal.
 *
 * @param segments users per segment of each model; empty segments are left out
 * @param audiences users per audience; empty audiences are left out
 * @param transitionsPerHour the {@value #HOURS} UTC hours up to the one holding {@code asOf},
 *     oldest first, empty hours included
 * @param transitions every transition ever counted
 * @param ordersInYear orders dated on the {@value #FREQUENCY_DAYS} UTC days up to {@code asOf}'s
 * @param customersInYear customers whose latest purchase falls on those days
 */
public record EngagementStats(
    Instant asOf,
    long users,
    long customers,
    long repeatCustomers,
    long orders,
    double revenue,
    Map<String, Map<String, Long>> segments,
    Map<String, Long> audiences,
    List<HourlyCount> transitionsPerHour,
    long transitions,
    long ordersInYear,
    long customersInYear,
    List<ReadPosition> readSide) {

  /** Hours in {@link #transitionsPerHour()}. */
  public static final int HOURS = 24;

  /** Days of the purchase frequency window. */
  public static final int FREQUENCY_DAYS = 365;

  /** Transitions dated in one UTC hour. */
  public record HourlyCount(Instant hour, long count) {}

  /**
   * How far the aggregates of one journal tag have read: {@code offset}, against the offset of the
   * newest journal event with that tag.
   */
  public record ReadPosition(String tag, long offset, long newest) {
    public boolean caughtUp() {
      return offset >= newest;
    }
  }

  public EngagementStats {
    Map<String, Map<String, Long>> sorted = new TreeMap<>();
    segments.forEach(
        (model, sizes) -> sorted.put(model, Collections.unmodifiableMap(new TreeMap<>(sizes))));
    segments = Collections.unmodifiableMap(sorted);
    audiences =
        audiences == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(audiences));
    transitionsPerHour = List.copyOf(transitionsPerHour);
    readSide = List.copyOf(readSide);
  }

  /** Transitions in the hours of {@link #transitionsPerHour()}. */
  public long transitionsInHours() {
    return transitionsPerHour.stream().mapToLong(HourlyCount::count).sum();
  }

  /** Customers with more than one order ÷ customers. */
  public OptionalDouble repeatPurchaseRate() {
    return ratio(repeatCustomers, customers);
  }

  /** Revenue ÷ orders. */
  public OptionalDouble averageOrderValue() {
    return orders == 0 ? OptionalDouble.empty() : OptionalDouble.of(revenue / orders);
  }

  /** Orders ÷ unique customers, both over the {@value #FREQUENCY_DAYS} days up to now. */
  public OptionalDouble purchaseFrequency() {
    return ratio(ordersInYear, customersInYear);
  }

  /** Whether every tag has been read up to its newest journal event. */
  public boolean caughtUp() {
    return readSide.stream().allMatch(ReadPosition::caughtUp);
  }

  private static OptionalDouble ratio(long numerator, long denominator) {
    return denominator <= 0
        ? OptionalDouble.empty()
        : OptionalDouble.of((double) numerator / denominator);
  }
}

package io.pulse.persistence.stats;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.Saturating;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.SegmentTransition;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What a batch of journal events adds to the aggregate tables, summed in memory so that the batch
 * is written as one small transaction. Not thread-safe: one per batch.
 */
final class StatsDelta {

  /** A segment of a model: a band name or {@code inactive}. */
  record Segment(String model, String segment) {}

  static final String USERS = "users";
  static final String ORDERS = "orders";
  static final String CUSTOMERS = "customers";
  static final String REPEAT_CUSTOMERS = "repeat-customers";
  static final String TRANSITIONS = "transitions";

  private static final long SECONDS_PER_HOUR = 3600;
  private static final long SECONDS_PER_DAY = 86_400;

  long users;
  long orders;
  double revenue;
  long customers;
  long repeatCustomers;
  long transitions;
  final Map<Segment, Long> segments = new HashMap<>();
  final Map<String, Long> audiences = new HashMap<>();
  final Map<Long, Long> transitionsByHour = new TreeMap<>();
  final Map<Long, Long> ordersByDay = new TreeMap<>();
  final Map<Long, Long> latestPurchasesByDay = new TreeMap<>();

  /** Adds a journaled change; anything but accepted events and transitions changes nothing. */
  StatsDelta add(Object change) {
    if (change instanceof ScoredEvent scored) {
      add(scored);
    } else if (change instanceof SegmentTransition transition) {
      add(transition);
    } else if (change instanceof AudienceTransition transition) {
      add(transition);
    }
    return this;
  }

  private void add(ScoredEvent scored) {
    if (scored.firstEvent()) {
      users++;
    }
    OptionalDouble amount = scored.event().orderAmount();
    if (amount.isEmpty()) {
      return;
    }
    Instant at = scored.event().timestamp();
    orders++;
    revenue = Saturating.add(revenue, amount.getAsDouble());
    ordersByDay.merge(utcDay(at), 1L, Long::sum);
    if (scored.ordersAfter() < 1) {
      // Journaled before purchases carried the user's order count: nothing to say about customers.
      return;
    }
    if (scored.ordersAfter() == 1) {
      customers++;
    } else if (scored.ordersAfter() == 2) {
      repeatCustomers++;
    }
    // The customer's latest purchase moves from the previous one's day to the later of the two:
    // a late purchase, dated before the previous one, leaves it where it was.
    Instant previous = scored.previousPurchaseAt();
    Instant latest = previous == null || at.isAfter(previous) ? at : previous;
    if (previous != null) {
      latestPurchasesByDay.merge(utcDay(previous), -1L, Long::sum);
    }
    latestPurchasesByDay.merge(utcDay(latest), 1L, Long::sum);
  }

  private void add(SegmentTransition transition) {
    transitions++;
    transitionsByHour.merge(utcHour(transition.at()), 1L, Long::sum);
    if (transition.from() != null) {
      segments.merge(new Segment(transition.model(), transition.from()), -1L, Long::sum);
    }
    if (transition.to() != null) {
      segments.merge(new Segment(transition.model(), transition.to()), 1L, Long::sum);
    }
  }

  private void add(AudienceTransition transition) {
    transitions++;
    transitionsByHour.merge(utcHour(transition.at()), 1L, Long::sum);
    audiences.merge(transition.audience(), transition.entered() ? 1L : -1L, Long::sum);
  }

  /** Days since the epoch of the UTC day {@code at} falls on. */
  static long utcDay(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), SECONDS_PER_DAY);
  }

  /** Hours since the epoch of the UTC hour {@code at} falls in. */
  static long utcHour(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), SECONDS_PER_HOUR);
  }

  static Instant startOfHour(long utcHour) {
    return Instant.ofEpochSecond(utcHour * SECONDS_PER_HOUR);
  }
}

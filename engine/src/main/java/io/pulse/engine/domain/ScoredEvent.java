package io.pulse.engine.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An accepted behavioural event with the points it earned in each model it matched. For the read
 * side's aggregates it also says whether it was the user's first event and, for a purchase, the
 * user's order count after it and the previous purchase's time.
 */
public record ScoredEvent(
    BehaviouralEvent event,
    List<ModelAward> awards,
    boolean firstEvent,
    long ordersAfter,
    Instant previousPurchaseAt)
    implements EngagementChange {

  public ScoredEvent {
    Objects.requireNonNull(event, "event");
    awards = awards == null ? List.of() : List.copyOf(awards);
  }

  /** An event without the facts for aggregates. */
  public ScoredEvent(BehaviouralEvent event, List<ModelAward> awards) {
    this(event, awards, false, 0, null);
  }
}

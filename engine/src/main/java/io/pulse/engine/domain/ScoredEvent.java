package io.pulse.engine.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulse.engine.domain.audience.AudienceHit;
import io.pulse.engine.domain.watch.WatchHit;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An accepted behavioural event with the points it earned in each model it matched. For the read
 * side's aggregates it also says whether it was the user's first event and, for a purchase, the
 * user's order count after it and the previous purchase's time. It also records which behaviour
 * conditions of audiences counted it, and when it was recorded (the moment its audiences were
 * decided at; null in events journaled before audiences existed), and the campaign watches it meets
 * ({@code watchHits}), which make it part of the promotion feed; none is written for an event that
 * meets none, so that tenants without such campaigns journal what they did before.
 */
public record ScoredEvent(
    BehaviouralEvent event,
    List<ModelAward> awards,
    boolean firstEvent,
    long ordersAfter,
    Instant previousPurchaseAt,
    List<AudienceHit> audienceHits,
    Instant recordedAt,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<WatchHit> watchHits)
    implements EngagementChange {

  public ScoredEvent {
    Objects.requireNonNull(event, "event");
    awards = awards == null ? List.of() : List.copyOf(awards);
    audienceHits = audienceHits == null ? List.of() : List.copyOf(audienceHits);
    watchHits = watchHits == null ? List.of() : List.copyOf(watchHits);
  }

  /** An event that meets no campaign watch. */
  public ScoredEvent(
      BehaviouralEvent event,
      List<ModelAward> awards,
      boolean firstEvent,
      long ordersAfter,
      Instant previousPurchaseAt,
      List<AudienceHit> audienceHits,
      Instant recordedAt) {
    this(
        event, awards, firstEvent, ordersAfter, previousPurchaseAt, audienceHits, recordedAt, null);
  }

  /** An event counted by no audience, as journaled before audiences existed. */
  public ScoredEvent(
      BehaviouralEvent event,
      List<ModelAward> awards,
      boolean firstEvent,
      long ordersAfter,
      Instant previousPurchaseAt) {
    this(event, awards, firstEvent, ordersAfter, previousPurchaseAt, List.of(), null);
  }

  /** An event without the facts for aggregates. */
  public ScoredEvent(BehaviouralEvent event, List<ModelAward> awards) {
    this(event, awards, false, 0, null);
  }
}

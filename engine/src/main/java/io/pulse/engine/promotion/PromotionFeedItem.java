package io.pulse.engine.promotion;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.SegmentTransition;
import java.util.Objects;

/**
 * One entry of the promotion feed: a change of a tenant's user that campaigns react to (a
 * transition, an accepted event, a date reached), with its journal offset.
 */
public record PromotionFeedItem(String tenant, long offset, EngagementChange change) {

  public PromotionFeedItem {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(change, "change");
  }

  public static PromotionFeedItem transition(
      String tenant, long offset, SegmentTransition transition) {
    return new PromotionFeedItem(tenant, offset, transition);
  }

  public static PromotionFeedItem purchase(String tenant, long offset, BehaviouralEvent purchase) {
    return new PromotionFeedItem(tenant, offset, new ScoredEvent(purchase, null));
  }

  /** The purchase this item is, for conversions; null for anything else. */
  public BehaviouralEvent purchase() {
    return change instanceof ScoredEvent scored && scored.event().purchase()
        ? scored.event()
        : null;
  }
}

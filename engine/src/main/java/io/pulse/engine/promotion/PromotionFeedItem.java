package io.pulse.engine.promotion;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.SegmentTransition;
import java.util.Objects;

/**
 * One entry of the promotion feed: a transition or a purchase of a tenant's user, with its journal
 * offset.
 */
public record PromotionFeedItem(
    String tenant, long offset, SegmentTransition transition, BehaviouralEvent purchase) {

  public PromotionFeedItem {
    Objects.requireNonNull(tenant, "tenant");
    if ((transition == null) == (purchase == null)) {
      throw new IllegalArgumentException("a feed item is a transition or a purchase");
    }
  }

  public static PromotionFeedItem transition(
      String tenant, long offset, SegmentTransition transition) {
    return new PromotionFeedItem(tenant, offset, transition, null);
  }

  public static PromotionFeedItem purchase(String tenant, long offset, BehaviouralEvent purchase) {
    return new PromotionFeedItem(tenant, offset, null, purchase);
  }
}

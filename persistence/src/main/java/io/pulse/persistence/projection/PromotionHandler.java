package io.pulse.persistence.projection;

import io.pulse.engine.domain.DateReached;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.Transition;
import io.pulse.engine.promotion.PromotionDelivery;
import io.pulse.engine.promotion.PromotionFeedItem;
import io.pulse.persistence.TaggedEventFeed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Hands each stretch of the promotion feed to the campaigns: transitions, watched events and dates
 * reached for vouchers, purchases for conversions. At least once: after a restart the envelopes
 * since the stored offset come again, and the campaigns recognise them.
 */
public final class PromotionHandler extends Handler<List<EventEnvelope<EngagementChange>>> {

  private final PromotionDelivery delivery;

  public PromotionHandler(PromotionDelivery delivery) {
    this.delivery = delivery;
  }

  @Override
  public CompletionStage<Done> process(List<EventEnvelope<EngagementChange>> envelopes) {
    List<PromotionFeedItem> items = new ArrayList<>(envelopes.size());
    for (EventEnvelope<EngagementChange> envelope : envelopes) {
      long offset = offsetOf(envelope);
      String tenant = PromotionDelivery.tenantOfUser(envelope.persistenceId());
      EngagementChange change = envelope.event();
      if (change instanceof Transition
          || change instanceof DateReached
          || (change instanceof ScoredEvent scored
              && (scored.event().purchase() || !scored.watchHits().isEmpty()))) {
        items.add(new PromotionFeedItem(tenant, offset, change));
      }
    }
    return delivery.deliver(items);
  }

  /** The journal ordering of an envelope, as {@link TaggedEventFeed} numbers offsets. */
  static long offsetOf(EventEnvelope<?> envelope) {
    if (envelope.offset() instanceof Sequence sequence) {
      return sequence.value();
    }
    throw new IllegalArgumentException("not a JDBC journal offset: " + envelope.offset());
  }
}

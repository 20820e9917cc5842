package io.pulse.persistence.projection;

import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.promotion.PromotionDelivery;
import io.pulse.persistence.TaggedEventFeed;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Hands each envelope of the promotion feed to the campaigns: transitions for vouchers, purchases
 * for conversions. At least once: after a restart the envelopes since the stored offset come again,
 * and the campaigns recognise them.
 */
public final class PromotionHandler extends Handler<EventEnvelope<EngagementChange>> {

  private final PromotionDelivery delivery;

  public PromotionHandler(PromotionDelivery delivery) {
    this.delivery = delivery;
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<EngagementChange> envelope) {
    long offset = offsetOf(envelope);
    String tenant = PromotionDelivery.tenantOfUser(envelope.persistenceId());
    EngagementChange change = envelope.event();
    if (change instanceof SegmentTransition transition) {
      return delivery.transition(tenant, transition, offset);
    }
    if (change instanceof ScoredEvent scored && scored.event().purchase()) {
      return delivery.purchase(tenant, scored.event(), offset);
    }
    return CompletableFuture.completedFuture(Done.done());
  }

  /** The journal ordering of an envelope, as {@link TaggedEventFeed} numbers offsets. */
  static long offsetOf(EventEnvelope<?> envelope) {
    if (envelope.offset() instanceof Sequence sequence) {
      return sequence.value();
    }
    throw new IllegalArgumentException("not a JDBC journal offset: " + envelope.offset());
  }
}

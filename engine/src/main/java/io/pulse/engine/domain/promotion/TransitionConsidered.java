package io.pulse.engine.domain.promotion;

import io.pulse.engine.domain.SegmentTransition;
import java.time.Instant;
import java.util.Objects;

/**
 * A matching transition, found at journal {@code offset}, was considered at {@code at} with this
 * outcome; {@code voucher} is the voucher issued, for {@link Outcome#ISSUED} only.
 */
public record TransitionConsidered(
    SegmentTransition transition, long offset, Outcome outcome, Voucher voucher, Instant at)
    implements CampaignEvent {

  public TransitionConsidered {
    Objects.requireNonNull(transition, "transition");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(at, "at");
    if ((outcome == Outcome.ISSUED) != (voucher != null)) {
      throw new IllegalArgumentException("a voucher goes with an issued outcome, and only then");
    }
  }
}

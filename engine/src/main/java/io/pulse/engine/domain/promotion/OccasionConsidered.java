package io.pulse.engine.domain.promotion;

import java.time.Instant;
import java.util.Objects;

/**
 * An occasion that fires the trigger, found at journal {@code offset}, was considered at {@code at}
 * with this outcome; {@code voucher} is the voucher issued, for {@link Outcome#ISSUED} only.
 */
public record OccasionConsidered(
    Occasion occasion, long offset, Outcome outcome, Voucher voucher, Instant at)
    implements CampaignEvent {

  public OccasionConsidered {
    Objects.requireNonNull(occasion, "occasion");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(at, "at");
    if ((outcome == Outcome.ISSUED) != (voucher != null)) {
      throw new IllegalArgumentException("a voucher goes with an issued outcome, and only then");
    }
  }
}

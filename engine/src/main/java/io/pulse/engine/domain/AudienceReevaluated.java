package io.pulse.engine.domain;

import io.pulse.engine.domain.audience.AudienceStanding;
import java.time.Instant;
import java.util.Objects;

/**
 * A user's standing in an audience rebuilt from its history under a new definition; the membership
 * it held is kept, and a transition that follows says if the new definition changes it.
 */
public record AudienceReevaluated(AudienceStanding standing, Instant at)
    implements EngagementChange {

  public AudienceReevaluated {
    Objects.requireNonNull(standing, "standing");
    Objects.requireNonNull(at, "at");
  }
}

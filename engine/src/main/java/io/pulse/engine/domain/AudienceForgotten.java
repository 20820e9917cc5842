package io.pulse.engine.domain;

import java.time.Instant;
import java.util.Objects;

/** A deleted audience's standing removed from a user, after the user left it. */
public record AudienceForgotten(String audience, Instant at) implements EngagementChange {

  public AudienceForgotten {
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(at, "at");
  }
}

package io.pulse.engine.domain;

import java.util.List;
import java.util.Objects;

/** An accepted behavioural event with the points it earned in each model it matched. */
public record ScoredEvent(BehaviouralEvent event, List<ModelAward> awards)
    implements EngagementChange {

  public ScoredEvent {
    Objects.requireNonNull(event, "event");
    awards = awards == null ? List.of() : List.copyOf(awards);
  }
}

package io.pulse.engine.domain;

import java.util.Objects;

/** A model's standing recomputed by replaying the user's history under a new model version. */
public record ModelRescored(ModelScore score) implements EngagementChange {

  public ModelRescored {
    Objects.requireNonNull(score, "score");
  }
}

package io.pulse.engine.domain;

import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.watch.Watches;
import java.util.Objects;

/**
 * What a tenant's users are evaluated against: its scoring models, its audiences, and what its
 * campaigns ask users to mark.
 */
public record Definitions(ScoringModels models, Audiences audiences, Watches watches) {

  public Definitions {
    Objects.requireNonNull(models, "models");
    audiences = audiences == null ? Audiences.NONE : audiences;
    watches = watches == null ? Watches.NONE : watches;
  }

  /** Models and audiences, and no campaign that watches users. */
  public Definitions(ScoringModels models, Audiences audiences) {
    this(models, audiences, Watches.NONE);
  }

  /** The models alone, with no audience. */
  public static Definitions of(ScoringModels models) {
    return new Definitions(models, Audiences.NONE);
  }
}

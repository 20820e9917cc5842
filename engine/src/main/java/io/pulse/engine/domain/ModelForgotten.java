package io.pulse.engine.domain;

import java.util.Objects;

/** A deleted model's points and segments were removed from the user. */
public record ModelForgotten(String model) implements EngagementChange {

  public ModelForgotten {
    Objects.requireNonNull(model, "model");
  }
}

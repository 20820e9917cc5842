package io.pulse.engine.domain;

import java.util.Objects;

/** A named score range {@code [from, to)}; the model's last band also includes its {@code to}. */
public record Band(String name, double from, double to) {

  public Band {
    Objects.requireNonNull(name, "name");
  }
}

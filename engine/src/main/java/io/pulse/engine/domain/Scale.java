package io.pulse.engine.domain;

/** The range a score lives in, 1 to 10 by default. */
public record Scale(double min, double max) {

  public static final Scale DEFAULT = new Scale(1, 10);

  public double span() {
    return max - min;
  }
}

package io.pulse.engine.domain;

import java.time.Instant;
import java.util.List;

/**
 * What one event did to one model's points. It carries the resulting decayed points, so that
 * recovery reproduces the recorded state exactly even if the model has changed since.
 */
public record ModelAward(
    String model,
    long modelVersion,
    double points,
    List<Integer> countedRules,
    String day,
    double pointsAfter,
    Instant asOfAfter) {

  public ModelAward {
    countedRules = List.copyOf(countedRules);
  }
}

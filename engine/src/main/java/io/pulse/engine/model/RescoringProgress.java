package io.pulse.engine.model;

import io.pulse.engine.CborSerializable;

/**
 * How far re-scoring after a model change has come: {@code done} of {@code total} users (total is
 * -1 until counted). {@code forget} marks the removal of a deleted model's standings.
 */
public record RescoringProgress(
    String model, long version, boolean forget, long done, long total, boolean finished)
    implements CborSerializable {

  static RescoringProgress started(String model, long version, boolean forget) {
    return new RescoringProgress(model, version, forget, 0, -1, false);
  }
}

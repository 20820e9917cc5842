package io.pulse.api.json;

import io.pulse.engine.domain.SegmentTransition;

/** A transition on the wire, with its position in the journal as {@code offset}. */
public record TransitionView(
    String id,
    long offset,
    String userId,
    String model,
    String from,
    String to,
    double score,
    String at,
    String cause) {

  public static TransitionView of(SegmentTransition transition, long offset) {
    return new TransitionView(
        transition.id(),
        offset,
        transition.userId(),
        transition.model(),
        transition.from(),
        transition.to(),
        transition.score(),
        transition.at().toString(),
        transition.cause().wireName());
  }
}

package io.pulse.api.json;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.Transition;

/** A model's transition on the wire, with its position in the journal as {@code offset}. */
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

  /** The wire form of any transition: a model's as this view, an audience's as its own. */
  public static Object ofAny(Transition transition, long offset) {
    if (transition instanceof AudienceTransition membership) {
      return AudienceTransitionView.of(membership, offset);
    }
    return of((SegmentTransition) transition, offset);
  }

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

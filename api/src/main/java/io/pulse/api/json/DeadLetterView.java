package io.pulse.api.json;

import io.pulse.engine.domain.subscription.DeadLetter;

/** A dead letter on the wire: the transition that was not delivered, and why. */
public record DeadLetterView(
    String id,
    long offset,
    String userId,
    int attempts,
    String lastError,
    String failedAt,
    boolean redelivering,
    Object transition) {

  public static DeadLetterView of(DeadLetter letter) {
    return new DeadLetterView(
        letter.transition().id(),
        letter.offset(),
        letter.transition().userId(),
        letter.attempts(),
        letter.lastError(),
        letter.failedAt().toString(),
        letter.redelivering(),
        TransitionView.ofAny(letter.transition(), letter.offset()));
  }
}

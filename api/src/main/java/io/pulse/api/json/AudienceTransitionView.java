package io.pulse.api.json;

import io.pulse.engine.domain.AudienceTransition;

/**
 * An audience's transition on the wire, with its position in the journal as {@code offset}: {@code
 * to} is {@code member} on entering, {@code from} on leaving.
 */
public record AudienceTransitionView(
    String id,
    long offset,
    String userId,
    String audience,
    String from,
    String to,
    String at,
    String cause,
    long audienceVersion) {

  public static AudienceTransitionView of(AudienceTransition transition, long offset) {
    return new AudienceTransitionView(
        transition.id(),
        offset,
        transition.userId(),
        transition.audience(),
        transition.from(),
        transition.to(),
        transition.at().toString(),
        transition.cause().wireName(),
        transition.audienceVersion());
  }
}

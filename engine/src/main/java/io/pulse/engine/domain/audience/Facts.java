package io.pulse.engine.domain.audience;

/**
 * What an audience condition reads about one user at one moment: the user's facts, the memberships
 * already decided in this round, and the behaviour the audience's slots remember.
 */
public interface Facts extends UserFacts {

  /** Whether the user is a member of {@code audience} (already evaluated for this moment). */
  boolean member(String audience);

  /** The behaviour of {@code slot} of the audience being evaluated; null before any. */
  Behaviour behaviour(int slot);
}

package io.pulse.engine.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A user entered an audience ({@code to} is {@value #MEMBER}, {@code from} null) or left it (the
 * other way round). The id is stable: {@code <userId>:audience:<audience>:<n>}.
 */
public record AudienceTransition(
    String id,
    String userId,
    String audience,
    String from,
    String to,
    Instant at,
    TransitionCause cause,
    long audienceVersion)
    implements Transition {

  /** What a member of an audience is, in {@code from} and {@code to}. */
  public static final String MEMBER = "member";

  public AudienceTransition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(cause, "cause");
  }

  /** Whether this transition makes the user a member. */
  public boolean entered() {
    return MEMBER.equals(to);
  }

  public static String idFor(String userId, String audience, long sequence) {
    return userId + ":audience:" + audience + ":" + sequence;
  }
}

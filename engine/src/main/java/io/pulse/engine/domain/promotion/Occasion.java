package io.pulse.engine.domain.promotion;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a user and that a campaign's trigger fires on, other than a band's
 * transition: an audience entered or left, a watched event, a yearly date reached. {@code trigger}
 * is the {@link Trigger#key() key} of the trigger it was found for; {@code id} is stable in every
 * replay; {@code at} is when it happened, which the campaign's dates are checked against.
 */
public record Occasion(String trigger, String id, String userId, Instant at) {

  public Occasion {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(at, "at");
  }

  /** The id of the occasion an accepted event gives: its user's and its own id. */
  public static String eventId(String userId, String eventId) {
    return userId + ":event:" + eventId;
  }
}

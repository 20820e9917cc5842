package io.pulse.engine.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * The user asks to be woken at {@code dueAt}, when decay or inactivity would next change a segment
 * with no event arriving. Journaled with the change that made it necessary, so a crash cannot
 * separate the two; the wake-up scheduler reads it from the journal.
 */
public record WakeUpScheduled(String userId, Instant dueAt) implements EngagementChange {

  public WakeUpScheduled {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(dueAt, "dueAt");
  }
}

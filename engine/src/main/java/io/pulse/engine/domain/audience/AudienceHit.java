package io.pulse.engine.domain.audience;

import java.util.Objects;

/**
 * An accepted event counted by a behaviour condition of an audience: it is kept in a window
 * (keeping the {@code keep} most recent), starts a wait, or follows one up. Journaled with the
 * event, so that recovering the user needs no audience definition.
 */
public record AudienceHit(String audience, long version, int slot, Kind kind, int keep) {

  /** What the event does to the slot's behaviour. */
  public enum Kind {
    WINDOW,
    START,
    FOLLOW
  }

  public AudienceHit {
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(kind, "kind");
  }
}

package io.pulse.engine.journal;

import java.time.Instant;

/**
 * What this node last found out about its journal database: whether it answers, since when that has
 * been so, why not (empty while it answers), and when it was last checked.
 */
public record JournalStatus(boolean available, Instant since, String reason, Instant checkedAt) {

  /** Available since {@code at}, as a node assumes until a check says otherwise. */
  public static JournalStatus availableSince(Instant at) {
    return new JournalStatus(true, at, "", at);
  }

  /** The same status, checked again at {@code at}. */
  JournalStatus checkedAt(Instant at) {
    return new JournalStatus(available, since, reason, at);
  }
}

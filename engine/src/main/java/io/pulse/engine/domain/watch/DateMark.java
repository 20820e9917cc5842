package io.pulse.engine.domain.watch;

import io.pulse.engine.domain.TraitsChanged;
import java.time.Instant;
import java.util.Objects;

/**
 * How far one user has come in one date watch: moments up to {@code upTo} are decided, and none
 * falls again in a local year up to {@code lastYear} (0 before the first). The watch's trait and
 * time-zone trait are kept so that a change of either, which moves the user's moments, is known
 * from the journal alone.
 */
public record DateMark(String trait, String timeZoneTrait, Instant upTo, int lastYear) {

  public DateMark {
    Objects.requireNonNull(trait, "trait");
    Objects.requireNonNull(upTo, "upTo");
  }

  /** A user who comes under {@code watch} at {@code at}: no earlier moment is theirs. */
  static DateMark startingAt(DateWatch watch, Instant at) {
    return new DateMark(watch.trait(), watch.timeZoneTrait(), at, 0);
  }

  /** The moment {@code at}, in local year {@code year}, was reached. */
  DateMark reached(Instant at, int year) {
    return new DateMark(trait, timeZoneTrait, at, Math.max(lastYear, year));
  }

  /**
   * After {@code change}: a moment of a changed date or zone counts only from the change on, so a
   * date set to a day already past this year waits for next year, and one set to later today still
   * falls today.
   */
  DateMark after(TraitsChanged change) {
    boolean moved =
        touches(change, trait) || (timeZoneTrait != null && touches(change, timeZoneTrait));
    if (!moved || !change.at().isAfter(upTo)) {
      return this;
    }
    return new DateMark(trait, timeZoneTrait, change.at(), lastYear);
  }

  private static boolean touches(TraitsChanged change, String name) {
    return change.set().containsKey(name) || change.removed().contains(name);
  }
}

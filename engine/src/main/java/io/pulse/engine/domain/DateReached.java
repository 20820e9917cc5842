package io.pulse.engine.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A user reached the yearly moment of date watch {@code watch}: the day {@code date} (ISO-8601, in
 * the user's time zone) of trait {@code trait}, at {@code at}. Journaled at that moment, or as soon
 * after it as the user is woken, for the campaigns; its id, {@code <userId>:date:<watch>:<year>},
 * is the same in every replay.
 */
public record DateReached(
    String id, String userId, String watch, String trait, String date, Instant at)
    implements EngagementChange {

  public DateReached {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(watch, "watch");
    Objects.requireNonNull(trait, "trait");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(at, "at");
  }

  /** The local year of the moment. */
  public int year() {
    return LocalDate.parse(date).getYear();
  }

  public static String idFor(String userId, String watch, int year) {
    return userId + ":date:" + watch + ":" + year;
  }
}

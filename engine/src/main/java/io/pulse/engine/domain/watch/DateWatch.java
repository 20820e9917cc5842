package io.pulse.engine.domain.watch;

import io.pulse.engine.domain.profile.Traits;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A yearly moment of each user: the month and day of the date held in trait {@code trait}, at local
 * time {@code at} ({@code HH:mm} or {@code HH:mm:ss}) in the time zone named by trait {@code
 * timeZoneTrait} (an IANA zone such as {@code Europe/Dublin}; UTC when there is no such trait, or
 * it names no zone).
 *
 * <p>A 29 February falls on 28 February in years that have no 29th. A local time that a daylight
 * saving change skips is moved later by the length of the gap (02:30 becomes 03:30 on a spring
 * morning); one that occurs twice is the first of the two.
 */
public record DateWatch(String trait, String at, String timeZoneTrait) {

  /** The local time when none is given. */
  public static final String MIDNIGHT = "00:00";

  /** The longest trait name a date watch may give. */
  public static final int MAX_TRAIT_NAME = 1024;

  private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}(:\\d{2})?");

  public DateWatch {
    Objects.requireNonNull(trait, "trait");
    at = at == null ? MIDNIGHT : at;
  }

  /** The name users' journals give this moment. */
  public String key() {
    return WatchKeys.of(
        "date:",
        WatchKeys.canonical(trait) + WatchKeys.canonical(at) + WatchKeys.canonical(timeZoneTrait));
  }

  /** Every way this watch is unusable, each naming its field under {@code field}. */
  public List<String> problems(String field) {
    List<String> problems = new ArrayList<>();
    if (trait.isBlank() || trait.length() > MAX_TRAIT_NAME) {
      problems.add(field + ".trait must name a trait (1 to " + MAX_TRAIT_NAME + " characters)");
    }
    if (time().isEmpty()) {
      problems.add(
          field + ".at '" + at + "' must be a local time HH:mm or HH:mm:ss, such as 09:00");
    }
    if (timeZoneTrait != null
        && (timeZoneTrait.isBlank() || timeZoneTrait.length() > MAX_TRAIT_NAME)) {
      problems.add(
          field + ".timeZoneTrait must name a trait (1 to " + MAX_TRAIT_NAME + " characters)");
    }
    return problems;
  }

  /** The local time of day; empty when {@code at} is not one. */
  public Optional<LocalTime> time() {
    if (!TIME.matcher(at).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalTime.parse(at));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The user's time zone: the one the time-zone trait names, else UTC. */
  public ZoneId zoneOf(Traits traits) {
    if (timeZoneTrait == null) {
      return ZoneOffset.UTC;
    }
    Optional<Object> named = traits.get(timeZoneTrait);
    if (named.isEmpty() || !(named.get() instanceof String zone)) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException notAZone) {
      return ZoneOffset.UTC;
    }
  }

  /** A moment this watch reaches for one user: when, and the local date it falls on. */
  public record Moment(Instant at, LocalDate date) {}

  /**
   * The first moment later than {@code after} in a local year later than {@code afterYear}; empty
   * when the user's trait holds no date.
   */
  public Optional<Moment> nextAfter(Instant after, int afterYear, Traits traits) {
    Optional<LocalDate> date = traits.dateOf(trait);
    Optional<LocalTime> time = time();
    if (date.isEmpty() || time.isEmpty()) {
      return Optional.empty();
    }
    ZoneId zone = zoneOf(traits);
    // A year before the local year of after is enough: a moment lies within a day of its year.
    int year = Math.max(after.atZone(zone).getYear() - 1, afterYear + 1);
    for (int tries = 0; tries < 4; tries++, year++) {
      Moment moment = momentIn(year, date.get(), time.get(), zone);
      if (moment.at().isAfter(after)) {
        return Optional.of(moment);
      }
    }
    return Optional.empty();
  }

  private static Moment momentIn(int year, LocalDate date, LocalTime time, ZoneId zone) {
    int day = date.getDayOfMonth();
    if (date.getMonth() == Month.FEBRUARY && day == 29 && !Year.isLeap(year)) {
      day = 28;
    }
    LocalDate local = LocalDate.of(year, date.getMonth(), day);
    return new Moment(ZonedDateTime.of(local, time, zone).toInstant(), local);
  }
}

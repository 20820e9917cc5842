package io.pulse.engine.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long without a qualifying event makes a user inactive: any ISO-8601 duration, calendar part
 * ({@code P3M}, {@code P90D}) and time part ({@code PT30S}) alike, counted in UTC.
 */
public record InactivityThreshold(String text, Period period, Duration duration) {

  /** Parses {@code text}, or says why it is not an ISO-8601 duration. */
  public static Parsed parse(String text) {
    if (text == null || !text.startsWith("P")) {
      return Parsed.problem(text);
    }
    int time = text.indexOf('T');
    String datePart = time < 0 ? text : text.substring(0, time);
    String timePart = time < 0 ? null : "P" + text.substring(time);
    try {
      Period period = datePart.equals("P") ? Period.ZERO : Period.parse(datePart);
      Duration duration = timePart == null ? Duration.ZERO : Duration.parse(timePart);
      if (period.isNegative() || duration.isNegative() || (period.isZero() && duration.isZero())) {
        return new Parsed(null, "inactiveAfter '" + text + "' must be a positive duration");
      }
      return new Parsed(new InactivityThreshold(text, period, duration), null);
    } catch (DateTimeParseException e) {
      return Parsed.problem(text);
    }
  }

  /** The moment a user whose last qualifying event was at {@code lastActive} becomes inactive. */
  public Instant inactiveAt(Instant lastActive) {
    return lastActive.atOffset(ZoneOffset.UTC).plus(period).plus(duration).toInstant();
  }

  /** A threshold, or the problem with the text it was parsed from. */
  public record Parsed(InactivityThreshold threshold, String problem) {
    static Parsed problem(String text) {
      return new Parsed(
          null,
          "inactiveAfter '" + text + "' is not an ISO-8601 duration such as P90D, P3M or PT30S");
    }

    public Optional<InactivityThreshold> value() {
      return Optional.ofNullable(threshold);
    }
  }
}

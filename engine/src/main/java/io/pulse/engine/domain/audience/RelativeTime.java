package io.pulse.engine.domain.audience;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A moment relative to now, written as an ISO-8601 duration with an optional sign: {@code -P30D} is
 * thirty days ago, {@code PT2H} two hours ahead. Calendar parts count in UTC. Kept as its text.
 */
public record RelativeTime(@JsonValue String text) {

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public RelativeTime {
    Objects.requireNonNull(text, "text");
    if (Span.parse(unsigned(text)).isEmpty()) {
      throw new IllegalArgumentException("not a signed ISO-8601 duration: " + text);
    }
  }

  /** The time relative to {@code now}. */
  public Instant from(Instant now) {
    Span span = span();
    var at = now.atOffset(ZoneOffset.UTC);
    return past()
        ? at.minus(span.period()).minus(span.duration()).toInstant()
        : at.plus(span.period()).plus(span.duration()).toInstant();
  }

  /** The {@code now} at which this relative time is {@code at}: the inverse of {@link #from}. */
  public Instant nowWhenAt(Instant at) {
    Span span = span();
    var moment = at.atOffset(ZoneOffset.UTC);
    return past()
        ? moment.plus(span.period()).plus(span.duration()).toInstant()
        : moment.minus(span.period()).minus(span.duration()).toInstant();
  }

  private boolean past() {
    return text.startsWith("-");
  }

  private Span span() {
    return Span.parse(unsigned(text)).orElseThrow();
  }

  private static String unsigned(String text) {
    return text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
  }

  /**
   * A positive ISO-8601 duration of days, hours, minutes and seconds ({@code P7D}, {@code PT1H}):
   * the length of a window or a wait, which must not depend on the calendar.
   */
  public static Optional<Duration> fixedSpan(String text) {
    return Span.parse(text)
        .filter(span -> span.period().getYears() == 0 && span.period().getMonths() == 0)
        .map(span -> span.duration().plusDays(span.period().getDays()));
  }

  /** Parses {@code text}; empty when it is not a signed ISO-8601 duration. */
  public static Optional<RelativeTime> parse(String text) {
    if (text == null || Span.parse(unsigned(text)).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RelativeTime(text));
  }

  /** A positive ISO-8601 duration, calendar part and time part. */
  record Span(Period period, Duration duration) {
    static Optional<Span> parse(String text) {
      if (text == null || !text.startsWith("P")) {
        return Optional.empty();
      }
      int time = text.indexOf('T');
      String datePart = time < 0 ? text : text.substring(0, time);
      String timePart = time < 0 ? null : "P" + text.substring(time);
      try {
        Period period = datePart.equals("P") ? Period.ZERO : Period.parse(datePart);
        Duration duration = timePart == null ? Duration.ZERO : Duration.parse(timePart);
        if (period.isNegative()
            || duration.isNegative()
            || (period.isZero() && duration.isZero())) {
          return Optional.empty();
        }
        return Optional.of(new Span(period, duration));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }
}

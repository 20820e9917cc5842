package io.pulse.engine.serialization;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the instants the journal stores, ISO-8601 UTC text such as {@code
 * 2026-03-02T09:00:00.123Z}, without {@code DateTimeFormatter}.
 *
 * <p>Replaying a user, re-scoring and every read-side consumer deserialise several instants per
 * event, and the formatter's general parser was the largest single item of deserialisation in the
 * profile. Anything this parser does not recognise (other years, offsets, leap seconds, numbers)
 * goes to Jackson's own deserializer, so what the journal can hold is unchanged.
 */
final class IsoInstants {

  private IsoInstants() {}

  /** The instant {@code text} denotes, or null if it is not in the plain form parsed here. */
  static Instant parse(String text) {
    int length = text.length();
    if (length < 20
        || length > 30
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(length - 1) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) {
      return null;
    }
    if (minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int nanos = 0;
    if (length > 20) {
      int fractionDigits = length - 21;
      if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
        return null;
      }
      int fraction = digits(text, 20, length - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = fractionDigits; i < 9; i++) {
        nanos *= 10;
      }
    } else if (text.charAt(19) != 'Z') {
      return null;
    }
    if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
      return null;
    }
    long seconds =
        LocalDate.of(year, month, day).toEpochDay() * 86_400
            + hour * 3_600L
            + minute * 60L
            + second;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** The decimal number in {@code text[from, to)}, or -1 if any character is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** Jackson deserializer: the fast path for plain UTC text, Jackson's own for anything else. */
  static final class Deserializer extends StdScalarDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    Deserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (parser.hasToken(JsonToken.VALUE_STRING)) {
        Instant parsed = parse(parser.getText());
        if (parsed != null) {
          return parsed;
        }
      }
      return InstantDeserializer.INSTANT.deserialize(parser, context);
    }
  }
}

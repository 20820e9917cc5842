package io.pulse.engine.serialization;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
public final class IsoInstants {

  /** 9999-12-31T23:59:59Z: beyond it ISO-8601 needs a sign and more year digits. */
  private static final long LAST_PLAIN_SECOND = 253_402_300_799L;

  private IsoInstants() {}

  /**
   * {@code instant} as {@link Instant#toString()} writes it (ISO-8601 UTC, the fraction in groups
   * of three digits, as many as needed), written without {@code DateTimeFormatter}, whose general
   * printer was the largest single item of journal serialization in the profile.
   */
  public static String format(Instant instant) {
    int length = plainLength(instant);
    if (length < 0) {
      return instant.toString();
    }
    byte[] text = new byte[length];
    putPlain(instant, length, text, 0);
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  /**
   * How many characters {@link #format} writes for {@code instant} in its plain form (20, 24, 27 or
   * 30), or -1 when it has none: before 1970 or after 9999, where {@link Instant#toString()} writes
   * it.
   */
  static int plainLength(Instant instant) {
    long epochSecond = instant.getEpochSecond();
    if (epochSecond < 0 || epochSecond > LAST_PLAIN_SECOND) {
      return -1;
    }
    int nanos = instant.getNano();
    return nanos == 0 ? 20 : nanos % 1_000_000 == 0 ? 24 : nanos % 1_000 == 0 ? 27 : 30;
  }

  /**
   * Writes the plain form of {@code instant} as ASCII at {@code out[at]}: {@code length} bytes, as
   * {@link #plainLength} gave them to the writer, which needs them first to write the text's head.
   */
  static void putPlain(Instant instant, int length, byte[] out, int at) {
    long epochSecond = instant.getEpochSecond();
    long days = epochSecond / 86_400;
    int secondOfDay = (int) (epochSecond % 86_400);
    LocalDate date = LocalDate.ofEpochDay(days);
    put(out, at, date.getYear(), 4);
    out[at + 4] = '-';
    put(out, at + 5, date.getMonthValue(), 2);
    out[at + 7] = '-';
    put(out, at + 8, date.getDayOfMonth(), 2);
    out[at + 10] = 'T';
    put(out, at + 11, secondOfDay / 3_600, 2);
    out[at + 13] = ':';
    put(out, at + 14, secondOfDay / 60 % 60, 2);
    out[at + 16] = ':';
    put(out, at + 17, secondOfDay % 60, 2);
    if (length > 20) {
      out[at + 19] = '.';
      int fractionDigits = length - 21;
      put(out, at + 20, instant.getNano() / POWERS_OF_TEN[9 - fractionDigits], fractionDigits);
    }
    out[at + length - 1] = 'Z';
  }

  private static final int[] POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  /** {@code value} as {@code width} decimal digits, zero-padded, at {@code text[from]}. */
  private static void put(byte[] text, int from, int value, int width) {
    for (int i = from + width - 1; i >= from; i--) {
      text[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The instant {@code text} denotes, or null if it is not in the plain form parsed here. */
  public static Instant parse(String text) {
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

  /**
   * Jackson serializer: the same text as Jackson's own (ISO_INSTANT), written by {@link #format}.
   */
  static final class Serializer extends StdSerializer<Instant> {
    private static final long serialVersionUID = 1L;

    Serializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      generator.writeString(format(value));
    }
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

package io.pulse.engine.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

  @Test
  void readsWhatTheJournalWritesExactlyAsTheStandardParserDoes() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 100_000; i++) {
      long seconds = random.nextLong(-2_000_000_000L, 253_402_300_799L); // 1906 to 9999
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      String text = DateTimeFormatter.ISO_INSTANT.format(instant);
      assertEquals(instant, IsoInstants.parse(text), text);
    }
  }

  @Test
  void writesExactlyWhatTheStandardFormatterWrites() throws Exception {
    ObjectMapper jacksons =
        new ObjectMapper(new CBORFactory())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    ObjectMapper ours =
        jacksons
            .copy()
            .registerModule(
                new SimpleModule().addSerializer(Instant.class, new IsoInstants.Serializer()));
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      long seconds = random.nextLong(-2_000_000_000L, 253_402_300_799L + 1_000_000L);
      int nanos =
          switch (i % 5) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            case 3 -> random.nextInt(10) * 100_000_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      assertEquals(DateTimeFormatter.ISO_INSTANT.format(instant), IsoInstants.format(instant));
      if (i % 100 == 0) {
        assertArrayEquals(jacksons.writeValueAsBytes(instant), ours.writeValueAsBytes(instant));
      }
    }
    assertEquals("1970-01-01T00:00:00Z", IsoInstants.format(Instant.EPOCH));
    assertEquals(
        "9999-12-31T23:59:59.999999999Z",
        IsoInstants.format(Instant.parse("9999-12-31T23:59:59.999999999Z")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-03-02T09:00:00Z",
        "2024-02-29T23:59:59.9Z",
        "2026-12-31T00:00:00.12Z",
        "2026-01-01T12:30:45.1234567Z",
        "1970-01-01T00:00:00.000000001Z"
      })
  void everyFractionLengthMatchesTheStandardParser(String text) {
    assertEquals(Instant.parse(text), IsoInstants.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-13-02T09:00:00Z",
        "2026-02-29T09:00:00Z",
        "2026-04-31T09:00:00Z",
        "2026-03-00T09:00:00Z",
        "2026-03-02T24:00:00Z",
        "2026-03-02T09:60:00Z",
        "2026-03-02T23:59:60Z",
        "2026-03-02T09:00:00",
        "2026-03-02 09:00:00Z",
        "2026-03-02T09:00:00+01:00",
        "+12026-03-02T09:00:00Z",
        "2026-03-02T09:00:00.Z",
        "2026-03-02T09:00:00.1234567890Z",
        "2026-03-02T09:0a:00Z",
        "2026-03-02T09:00:00,5Z"
      })
  void leavesEverythingElseToTheStandardParser(String text) {
    assertNull(IsoInstants.parse(text));
  }
}

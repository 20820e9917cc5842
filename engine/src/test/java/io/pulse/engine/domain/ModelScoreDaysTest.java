package io.pulse.engine.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The UTC day of an event, as daily caps count by it, whatever days were asked for before. */
class ModelScoreDaysTest {

  @Test
  void aDayIsTheUtcDateOfTheInstantOnEitherSideOfMidnightAndBefore1970() {
    assertEquals("2026-12-06", ModelScore.utcDay(Instant.parse("2026-12-06T23:59:59.999Z")));
    assertEquals("2026-12-07", ModelScore.utcDay(Instant.parse("2026-12-07T00:00:00Z")));
    assertEquals("1969-12-31", ModelScore.utcDay(Instant.parse("1969-12-31T23:59:59Z")));
    assertEquals("1970-01-01", ModelScore.utcDay(Instant.EPOCH));
  }

  @Test
  void daysThatShareARememberedSlotAreToldApart() {
    Instant day = Instant.parse("2026-12-06T12:00:00Z");
    Instant eightLater = Instant.parse("2026-12-14T12:00:00Z");
    for (int i = 0; i < 3; i++) {
      assertEquals("2026-12-06", ModelScore.utcDay(day));
      assertEquals("2026-12-14", ModelScore.utcDay(eightLater));
    }
  }

  @Test
  void anyInstantInAnyOrderGivesTheDateOfLocalDate() {
    Random random = new Random(7);
    long from = Instant.parse("1960-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 10_000; i++) {
      // Mostly close together, as events are, with jumps far away now and then.
      long second =
          i % 10 == 0
              ? from + (long) (random.nextDouble() * (to - from))
              : 1_796_000_000L + random.nextInt(20 * 86_400);
      Instant at = Instant.ofEpochSecond(second);
      assertEquals(
          LocalDate.ofInstant(at, ZoneOffset.UTC).toString(), ModelScore.utcDay(at), at::toString);
    }
  }

  @Test
  void aCountKeyIsTheDayAndTheRuleWhetherKeptOrBuilt() {
    Random random = new Random(11);
    for (int i = 0; i < 5_000; i++) {
      Instant at = Instant.ofEpochSecond(1_796_000_000L + random.nextInt(40 * 86_400));
      String day = ModelScore.utcDay(at);
      int rule = random.nextInt(40);
      assertEquals(day + "#" + rule, ModelScore.countKey(day, rule));
      // A day's text that did not come from the cache, and one it no longer holds.
      assertEquals(day + "#" + rule, ModelScore.countKey(new String(day), rule));
      assertEquals("1999-01-01#" + rule, ModelScore.countKey("1999-01-01", rule));
    }
  }

  @Test
  void theKeysOfADaysFirstRulesAreMadeOnce() {
    String day = ModelScore.utcDay(Instant.parse("2026-12-06T08:00:00Z"));
    assertSame(ModelScore.countKey(day, 3), ModelScore.countKey(day, 3));
    assertEquals("2026-12-06#40", ModelScore.countKey(day, 40));
  }
}

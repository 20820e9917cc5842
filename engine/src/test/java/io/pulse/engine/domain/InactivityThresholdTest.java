package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.LOW_MEDIUM_HIGH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing {@code inactiveAfter} and counting it from a user's last qualifying event. */
class InactivityThresholdTest {

  private static InactivityThreshold parsed(String text) {
    InactivityThreshold.Parsed parsed = InactivityThreshold.parse(text);
    assertNull(parsed.problem(), () -> text + ": " + parsed.problem());
    assertNotNull(parsed.threshold());
    return parsed.threshold();
  }

  private static String problemOf(String text) {
    InactivityThreshold.Parsed parsed = InactivityThreshold.parse(text);
    assertNull(parsed.threshold(), () -> text + " was accepted as " + parsed.threshold());
    assertEquals(Optional.empty(), parsed.value());
    assertNotNull(parsed.problem(), text);
    return parsed.problem();
  }

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  @Test
  void ninetyDaysIsACalendarPeriod() {
    // when
    InactivityThreshold threshold = parsed("P90D");

    // then
    assertEquals("P90D", threshold.text());
    assertEquals(Period.ofDays(90), threshold.period());
    assertEquals(Duration.ZERO, threshold.duration());
    assertEquals(Optional.of(threshold), InactivityThreshold.parse("P90D").value());
    assertEquals(at("2026-04-01T08:30:00Z"), threshold.inactiveAt(at("2026-01-01T08:30:00Z")));
  }

  @Test
  void threeMonthsIsCountedInCalendarMonths() {
    // when
    InactivityThreshold threshold = parsed("P3M");

    // then
    assertEquals(Period.ofMonths(3), threshold.period());
    assertEquals(Duration.ZERO, threshold.duration());
    assertEquals(at("2026-05-15T12:00:00Z"), threshold.inactiveAt(at("2026-02-15T12:00:00Z")));
    // the month's end is clamped, not overflowing into the next month
    assertEquals(at("2026-04-30T12:00:00Z"), threshold.inactiveAt(at("2026-01-31T12:00:00Z")));
  }

  @Test
  void allPartsTogether() {
    // when
    InactivityThreshold threshold = parsed("P1Y2M3DT4H5M6S");

    // then
    assertEquals(Period.of(1, 2, 3), threshold.period());
    assertEquals(Duration.ofHours(4).plusMinutes(5).plusSeconds(6), threshold.duration());
    // 2026-01-10 + 1 year 2 months = 2027-03-10, + 3 days = 2027-03-13, + 04:05:06
    assertEquals(at("2027-03-13T04:05:06Z"), threshold.inactiveAt(at("2026-01-10T00:00:00Z")));
  }

  @Test
  void thirtySecondsIsATimePeriod() {
    // when
    InactivityThreshold threshold = parsed("PT30S");

    // then
    assertEquals(Period.ZERO, threshold.period());
    assertEquals(Duration.ofSeconds(30), threshold.duration());
    assertEquals(at("2026-11-22T10:00:30Z"), threshold.inactiveAt(at("2026-11-22T10:00:00Z")));
  }

  @Test
  void halfASecondIsHonoured() {
    // when
    InactivityThreshold threshold = parsed("PT0.5S");

    // then
    assertEquals(Duration.ofMillis(500), threshold.duration());
    assertEquals(at("2026-11-22T10:00:00.500Z"), threshold.inactiveAt(at("2026-11-22T10:00:00Z")));
  }

  @Test
  void otherIsoFormsAreAccepted() {
    assertEquals(Period.ofDays(14), parsed("P2W").period());
    assertEquals(Duration.ofHours(36), parsed("PT36H").duration());
    assertEquals(Duration.ofMinutes(90), parsed("PT90M").duration());
    assertEquals(Period.ofDays(1), parsed("P1DT12H").period());
    assertEquals(Duration.ofHours(12), parsed("P1DT12H").duration());
  }

  @Test
  void aMonthAfterTheThirtyFirstOfJanuaryIsTheLastDayOfFebruaryInUtc() {
    // when
    InactivityThreshold month = parsed("P1M");

    // then the day is clamped; in a leap year to the 29th
    assertEquals(at("2026-02-28T10:15:00Z"), month.inactiveAt(at("2026-01-31T10:15:00Z")));
    assertEquals(at("2028-02-29T10:15:00Z"), month.inactiveAt(at("2028-01-31T10:15:00Z")));
    // late evening UTC is still the 31st in UTC, whatever the local day elsewhere
    assertEquals(at("2026-02-28T23:30:00Z"), month.inactiveAt(at("2026-01-31T23:30:00Z")));
    // and early morning UTC of Feb 1 (still Jan 31 in America) counts from Feb 1
    assertEquals(at("2026-03-01T02:00:00Z"), month.inactiveAt(at("2026-02-01T02:00:00Z")));
  }

  @Test
  void aDayIsAlwaysTwentyFourHoursBecauseItIsCountedInUtc() {
    // when a day is added across a European and an American daylight-saving change
    InactivityThreshold day = parsed("P1D");

    // then
    assertEquals(at("2026-03-29T12:00:00Z"), day.inactiveAt(at("2026-03-28T12:00:00Z")));
    assertEquals(at("2026-11-02T06:00:00Z"), day.inactiveAt(at("2026-11-01T06:00:00Z")));
    assertEquals(
        Duration.ofDays(1),
        Duration.between(at("2026-10-25T00:30:00Z"), day.inactiveAt(at("2026-10-25T00:30:00Z"))));
  }

  @Test
  void garbageIsAProblemNamingTheText() {
    for (String text :
        Arrays.asList(
            "ninety days",
            "90D",
            "",
            "P",
            "PT",
            "P1DT",
            "P1X",
            "PT5",
            "P1.5D",
            "P5S",
            "T5S",
            "5 seconds",
            "PT5S ",
            " PT5S",
            null)) {
      String problem = problemOf(text);
      if (text != null) {
        assertTrue(problem.contains("'" + text + "'"), problem);
      }
    }
    assertTrue(problemOf("ninety days").contains("ISO-8601"));
  }

  @Test
  void aNegativeDurationIsAProblem() {
    for (String text : List.of("P-1D", "-P1D", "PT-5S", "P-3M", "P1M-1D", "PT-0.5S")) {
      problemOf(text);
    }
    assertTrue(problemOf("PT-5S").contains("positive"));
  }

  @Test
  void aZeroDurationIsAProblem() {
    for (String text : List.of("P0D", "PT0S", "P0DT0S", "P0Y0M0DT0H0M0S", "PT0.0S")) {
      assertTrue(problemOf(text).contains("positive"), text);
    }
  }

  @Test
  void aModelCarriesItsThresholdThroughVersionsAndItTakesPartInTheDefinition() {
    // given
    ScoringModel without =
        new ScoringModel(
            "m",
            "m",
            1,
            List.of(ScoringRule.of("page_view", null, 1)),
            30.0,
            Scale.DEFAULT,
            LOW_MEDIUM_HIGH,
            ScoringModel.DEFAULT_SATURATION_POINTS);
    ScoringModel with =
        new ScoringModel(
            "m",
            "m",
            1,
            without.rules(),
            30.0,
            Scale.DEFAULT,
            LOW_MEDIUM_HIGH,
            ScoringModel.DEFAULT_SATURATION_POINTS,
            parsed("P90D"));

    // then
    assertNull(without.inactiveAfter());
    assertEquals(parsed("P90D"), with.withVersion(7).inactiveAfter());
    assertEquals(7, with.withVersion(7).version());
    assertFalse(with.sameDefinitionAs(without));
    assertTrue(with.sameDefinitionAs(with.withVersion(2)));
    assertNotEquals(with, without);
    assertTrue(
        with.problems(InputLimits.DEFAULTS).isEmpty(),
        with.problems(InputLimits.DEFAULTS).toString());
  }
}

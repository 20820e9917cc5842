package io.pulse.engine.domain.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.profile.Traits;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The yearly moment of a date trait: the next one after a point in time, in the user's zone. */
class DateWatchTest {

  private static final DateWatch BIRTHDAY = new DateWatch("birthday", "09:00", "timeZone");

  private static Traits traits(Map<String, Object> values) {
    return new Traits(values);
  }

  private static Optional<DateWatch.Moment> next(
      DateWatch watch, Traits traits, String after, int afterYear) {
    return watch.nextAfter(Instant.parse(after), afterYear, traits);
  }

  @Test
  void theNextMomentIsThisYearsWhenItIsStillAheadAndNextYearsOnceItHasPassed() {
    Traits ann = traits(Map.of("birthday", "1990-03-17"));

    assertEquals(
        new DateWatch.Moment(Instant.parse("2026-03-17T09:00:00Z"), LocalDate.of(2026, 3, 17)),
        next(BIRTHDAY, ann, "2026-03-17T08:59:59Z", 0).orElseThrow());
    assertEquals(
        Instant.parse("2027-03-17T09:00:00Z"),
        next(BIRTHDAY, ann, "2026-03-17T09:00:00Z", 0).orElseThrow().at(),
        "a moment equal to 'after' is not later than it");
    assertEquals(
        Instant.parse("2027-03-17T09:00:00Z"),
        next(BIRTHDAY, ann, "2026-01-01T00:00:00Z", 2026).orElseThrow().at(),
        "a year already reached is skipped");
  }

  @Test
  void theLocalTimeIsTheUsersOwnAndAnInvalidOrMissingZoneIsUtc() {
    Traits dublin = traits(Map.of("birthday", "1990-07-01", "timeZone", "Europe/Dublin"));
    Traits tokyo = traits(Map.of("birthday", "1990-07-01", "timeZone", "Asia/Tokyo"));
    Traits nowhere = traits(Map.of("birthday", "1990-07-01", "timeZone", "Mars/Olympus"));
    Traits number = traits(Map.of("birthday", "1990-07-01", "timeZone", 3));
    Traits none = traits(Map.of("birthday", "1990-07-01"));

    assertEquals(
        Instant.parse("2026-07-01T08:00:00Z"),
        next(BIRTHDAY, dublin, "2026-06-01T00:00:00Z", 0).orElseThrow().at(),
        "Irish summer time is UTC+1");
    assertEquals(
        Instant.parse("2026-07-01T00:00:00Z"),
        next(BIRTHDAY, tokyo, "2026-06-01T00:00:00Z", 0).orElseThrow().at());
    for (Traits utc : List.of(nowhere, number, none)) {
      assertEquals(
          Instant.parse("2026-07-01T09:00:00Z"),
          next(BIRTHDAY, utc, "2026-06-01T00:00:00Z", 0).orElseThrow().at());
    }
    assertEquals(
        Instant.parse("2026-07-01T09:00:00Z"),
        next(new DateWatch("birthday", "09:00", null), tokyo, "2026-06-01T00:00:00Z", 0)
            .orElseThrow()
            .at(),
        "without a time-zone trait, UTC");
  }

  @Test
  void aLocalDayThatStartsBeforeUtcIsFoundAcrossTheTurnOfTheYear() {
    Traits samoa = traits(Map.of("birthday", "2000-01-01", "timeZone", "Pacific/Apia")); // UTC+13
    Traits honolulu =
        traits(Map.of("birthday", "2000-12-31", "timeZone", "Pacific/Honolulu")); // UTC-10

    assertEquals(
        new DateWatch.Moment(Instant.parse("2026-12-31T20:00:00Z"), LocalDate.of(2027, 1, 1)),
        next(BIRTHDAY, samoa, "2026-12-31T12:00:00Z", 2026).orElseThrow());
    assertEquals(
        new DateWatch.Moment(Instant.parse("2027-01-01T06:00:00Z"), LocalDate.of(2026, 12, 31)),
        next(new DateWatch("birthday", "20:00", "timeZone"), honolulu, "2027-01-01T01:00:00Z", 0)
            .orElseThrow());
  }

  @Test
  void aTwentyNinthOfFebruaryFallsOnTheTwentyEighthInOtherYears() {
    Traits leapling = traits(Map.of("birthday", "2000-02-29"));

    DateWatch.Moment in2027 = next(BIRTHDAY, leapling, "2027-01-01T00:00:00Z", 0).orElseThrow();
    DateWatch.Moment in2028 = next(BIRTHDAY, leapling, "2028-01-01T00:00:00Z", 0).orElseThrow();

    assertEquals(Instant.parse("2027-02-28T09:00:00Z"), in2027.at());
    assertEquals(LocalDate.of(2027, 2, 28), in2027.date());
    assertEquals(Instant.parse("2028-02-29T09:00:00Z"), in2028.at());
  }

  @Test
  void aTimeThatDaylightSavingSkipsComesAnHourLaterAndARepeatedOneTheFirstTime() {
    Traits newYork =
        traits(Map.of("spring", "2000-03-08", "autumn", "2000-11-01", "tz", "America/New_York"));

    assertEquals(
        Instant.parse("2026-03-08T07:30:00Z"), // 03:30 EDT: 02:30 does not exist that morning
        next(new DateWatch("spring", "02:30", "tz"), newYork, "2026-01-01T00:00:00Z", 0)
            .orElseThrow()
            .at());
    assertEquals(
        Instant.parse("2026-11-01T05:30:00Z"), // 01:30 EDT, the first of the two
        next(new DateWatch("autumn", "01:30", "tz"), newYork, "2026-06-01T00:00:00Z", 0)
            .orElseThrow()
            .at());
  }

  @Test
  void aDateTimeTraitCountsByItsDayAndAnythingElseHasNoMoment() {
    assertEquals(
        Instant.parse("2026-05-04T09:00:00Z"),
        next(
                BIRTHDAY,
                traits(Map.of("birthday", "1999-05-04T23:00:00Z")),
                "2026-01-01T00:00:00Z",
                0)
            .orElseThrow()
            .at());
    assertTrue(next(BIRTHDAY, traits(Map.of()), "2026-01-01T00:00:00Z", 0).isEmpty());
    assertTrue(
        next(BIRTHDAY, traits(Map.of("birthday", "soon")), "2026-01-01T00:00:00Z", 0).isEmpty());
    assertTrue(next(BIRTHDAY, traits(Map.of("birthday", 17)), "2026-01-01T00:00:00Z", 0).isEmpty());
  }

  @Test
  void secondsAreKeptAndBadTimesAreRefusedNamingTheField() {
    assertEquals(
        Instant.parse("2026-03-17T09:00:05Z"),
        next(
                new DateWatch("birthday", "09:00:05", null),
                traits(Map.of("birthday", "1990-03-17")),
                "2026-03-17T09:00:00Z",
                0)
            .orElseThrow()
            .at());
    assertEquals(List.of(), new DateWatch("birthday", null, null).problems("trigger.date"));
    assertEquals("00:00", new DateWatch("birthday", null, null).at());
    for (String bad : List.of("9:00", "25:00", "09:60", "09:00:00.5", "noon", "")) {
      assertEquals(
          List.of(
              "trigger.date.at '"
                  + bad
                  + "' must be a local time HH:mm or HH:mm:ss, such as 09:00"),
          new DateWatch("birthday", bad, null).problems("trigger.date"),
          bad);
    }
    assertEquals(2, new DateWatch(" ", "09:00", "").problems("trigger.date").size());
  }

  @Test
  void aWatchIsKnownByAKeyThatEveryPartOfItChanges() {
    String key = BIRTHDAY.key();

    assertEquals(key, new DateWatch("birthday", "09:00", "timeZone").key());
    assertTrue(key.startsWith("date:"), key);
    assertNotEquals(key, new DateWatch("birthday", "09:01", "timeZone").key());
    assertNotEquals(key, new DateWatch("birthday", "09:00", null).key());
    assertNotEquals(key, new DateWatch("anniversary", "09:00", "timeZone").key());
  }
}

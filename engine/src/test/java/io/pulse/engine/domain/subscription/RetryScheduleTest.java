package io.pulse.engine.domain.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  private static final RetrySchedule SCHEDULE =
      new RetrySchedule(Duration.ofMillis(100), Duration.ofSeconds(1), 5);

  @Test
  void theNominalDelayDoublesFromTheMinimumUpToTheMaximum() {
    assertEquals(Duration.ofMillis(100), SCHEDULE.nominalDelayAfter(1));
    assertEquals(Duration.ofMillis(200), SCHEDULE.nominalDelayAfter(2));
    assertEquals(Duration.ofMillis(400), SCHEDULE.nominalDelayAfter(3));
    assertEquals(Duration.ofMillis(800), SCHEDULE.nominalDelayAfter(4));
    assertEquals(Duration.ofSeconds(1), SCHEDULE.nominalDelayAfter(5));
    assertEquals(Duration.ofSeconds(1), SCHEDULE.nominalDelayAfter(1000));
  }

  @Test
  void jitterKeepsEachDelayBetweenHalfAndAllOfTheNominalDelay() {
    for (int attempt = 1; attempt <= 6; attempt++) {
      Duration nominal = SCHEDULE.nominalDelayAfter(attempt);
      assertEquals(nominal.dividedBy(2), SCHEDULE.delayAfter(attempt, 0.0));
      assertEquals(SCHEDULE.leastDelayAfter(attempt), SCHEDULE.delayAfter(attempt, 0.0));
      Duration almostAll = SCHEDULE.delayAfter(attempt, 0.999_999);
      assertTrue(almostAll.compareTo(nominal) <= 0, almostAll + " > " + nominal);
      assertTrue(
          almostAll.compareTo(nominal.multipliedBy(9).dividedBy(10)) > 0, almostAll.toString());
    }
  }

  @Test
  void attemptsRunOutAtTheMaximum() {
    assertTrue(SCHEDULE.mayRetryAfter(1));
    assertTrue(SCHEDULE.mayRetryAfter(4));
    assertFalse(SCHEDULE.mayRetryAfter(5));
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetrySchedule(Duration.ZERO, Duration.ofSeconds(1), 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetrySchedule(Duration.ofSeconds(2), Duration.ofSeconds(1), 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetrySchedule(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
    assertThrows(IllegalArgumentException.class, () -> SCHEDULE.delayAfter(1, 1.0));
  }
}

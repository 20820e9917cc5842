package io.pulse.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdmissionLimitTest {

  private static final long MS = 1_000_000;
  private static final long TARGET = 2_000 * MS;

  @Test
  void startsSmallAndGrowsByWhatIsAcknowledgedInTime() {
    AdmissionLimit admission = new AdmissionLimit(2_000, 200_000, TARGET);
    assertTrue(admission.admits(1_999, 1_000), "while the window is not full");
    assertFalse(admission.admits(2_000, 1), "the initial limit is full");

    admission.answered(500, 300 * MS, 0);
    assertEquals(2_500, admission.limit());
    // Each acknowledgement in time adds its events: the limit doubles per round trip.
    for (int i = 0; i < 5; i++) {
      admission.answered(500, 300 * MS, 0);
    }
    assertEquals(5_000, admission.limit());
    for (int i = 0; i < 1_000; i++) {
      admission.answered(500, 300 * MS, 0);
    }
    assertEquals(200_000, admission.limit(), "never above the configured maximum");
  }

  @Test
  void aLateAnswerHalvesItOncePerTargetIntervalAndNeverBelowTheStart() {
    AdmissionLimit admission = new AdmissionLimit(2_000, 200_000, TARGET);
    for (int i = 0; i < 60; i++) {
      admission.answered(500, 300 * MS, 0);
    }
    assertEquals(32_000, admission.limit());

    long now = 10_000 * MS;
    admission.answered(500, 2_500 * MS, now);
    assertEquals(16_000, admission.limit());
    // Requests admitted together come back late together: they cost one halving, not one each.
    admission.answered(500, 2_600 * MS, now + 100 * MS);
    admission.answered(500, 2_700 * MS, now + 1_900 * MS);
    assertEquals(16_000, admission.limit());
    admission.answered(500, 2_500 * MS, now + TARGET);
    assertEquals(8_000, admission.limit());
    for (int i = 1; i <= 5; i++) {
      admission.answered(500, 9_000 * MS, now + (i + 1) * TARGET);
    }
    assertEquals(2_000, admission.limit(), "the limit falls no lower than where it started");
  }

  @Test
  void aRequestLargerThanTheLimitGoesWhileTheWindowIsNotFullButNeverBeyondTheMaximum() {
    AdmissionLimit admission = new AdmissionLimit(100, 1_000, TARGET);
    assertTrue(admission.admits(0, 1_000), "a request larger than the limit, alone");
    assertTrue(admission.admits(50, 900), "beside others, not starved by smaller requests");
    assertFalse(admission.admits(100, 1), "a full window");
    assertFalse(admission.admits(0, 1_001), "never beyond the maximum");
    assertFalse(admission.admits(200, 900), "never beyond the maximum");
  }

  @Test
  void refusesLimitsThatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> new AdmissionLimit(0, 10, TARGET));
    assertThrows(IllegalArgumentException.class, () -> new AdmissionLimit(11, 10, TARGET));
    assertThrows(IllegalArgumentException.class, () -> new AdmissionLimit(1, 10, 0));
  }
}

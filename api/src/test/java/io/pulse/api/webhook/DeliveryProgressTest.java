package io.pulse.api.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryProgressTest {

  @Test
  void theWatermarkStopsBelowTheOldestDeliveryStillInFlight() {
    // given a stream after 10 that dispatched 11 and 13, and skipped 12 and 14
    DeliveryProgress progress = new DeliveryProgress(10);
    progress.examined(11, true);
    progress.examined(12, false);
    progress.examined(13, true);
    progress.examined(14, false);

    // then nothing from 11 on is done
    assertEquals(10, progress.watermark());

    // when 13 finishes first, 11 still holds the watermark
    progress.finished(13);
    assertEquals(10, progress.watermark());

    // when 11 finishes, everything examined is done
    progress.finished(11);
    assertEquals(14, progress.watermark());
  }

  @Test
  void answersAreClassifiedIntoDeliveredRetryableAndFinal() {
    assertTrue(DeliveryOutcome.ofStatus(204, Optional.empty()).delivered());
    for (int status : new int[] {408, 425, 429, 500, 502, 503, 504}) {
      DeliveryOutcome outcome =
          DeliveryOutcome.ofStatus(status, Optional.of(Duration.ofSeconds(2)));
      assertFalse(outcome.delivered());
      assertTrue(outcome.retryable(), "HTTP " + status);
    }
    assertEquals(
        Optional.of(Duration.ofSeconds(2)),
        DeliveryOutcome.ofStatus(503, Optional.of(Duration.ofSeconds(2))).retryAfter());
    for (int status : new int[] {301, 400, 401, 404, 410, 422}) {
      DeliveryOutcome outcome = DeliveryOutcome.ofStatus(status, Optional.empty());
      assertFalse(outcome.delivered());
      assertFalse(outcome.retryable(), "HTTP " + status);
      assertEquals("receiver refused the delivery", outcome.error());
    }
    assertEquals(
        "receiver did not accept the delivery",
        DeliveryOutcome.ofStatus(503, Optional.empty()).error());
    assertTrue(DeliveryOutcome.unreachable().retryable());
    assertEquals("receiver unreachable", DeliveryOutcome.unreachable().error());
    assertFalse(DeliveryOutcome.notAllowed().retryable());
    assertEquals("target not allowed", DeliveryOutcome.notAllowed().error());
  }
}

package io.pulse.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {

  @Test
  void theDefaultsAdmitLittleAtStartAndKeepTheTargetWithinTheTimeout() {
    IngestSettings defaults = IngestSettings.fromConfig(ConfigFactory.load());
    assertEquals(500, defaults.initialInFlightEvents());
    assertEquals(Duration.ofSeconds(4), defaults.targetLatency());
    assertEquals(1000, defaults.maxRecoveringUsers());
    assertTrue(defaults.targetLatency().compareTo(defaults.timeout()) <= 0);
  }

  @Test
  void settingsThatCannotWorkAreRefusedNamingTheSetting() {
    Duration timeout = Duration.ofSeconds(10);
    IllegalArgumentException late =
        assertThrows(
            IllegalArgumentException.class,
            () -> new IngestSettings(1000, timeout, 100, Duration.ofSeconds(11), 10));
    assertTrue(late.getMessage().contains("pulse.ingest.target-latency"), late.getMessage());
    IllegalArgumentException initial =
        assertThrows(
            IllegalArgumentException.class,
            () -> new IngestSettings(1000, timeout, 1001, Duration.ofSeconds(4), 10));
    assertTrue(
        initial.getMessage().contains("pulse.ingest.initial-in-flight-events"),
        initial.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new IngestSettings(1000, timeout, 100, Duration.ofSeconds(4), 0));
  }
}

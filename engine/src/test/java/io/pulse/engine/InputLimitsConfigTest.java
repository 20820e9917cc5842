package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.pulse.engine.domain.InputLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InputLimitsConfigTest {

  private static Config with(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference());
  }

  @Test
  void theReferenceSettingsAreTheDefaultBounds() {
    assertEquals(InputLimits.DEFAULTS, InputLimitsConfig.from(ConfigFactory.defaultReference()));
  }

  @Test
  void boundsAreReadAsOperatorsWriteThem() {
    // given: values as environment variables give them, strings
    InputLimits limits =
        InputLimitsConfig.from(
            with(
                "pulse.limits { max-amount = \"5e5\", max-rule-points = \"100\","
                    + " max-rules-per-model = \"20\", max-event-age = P30D, max-clock-skew = 90s }"));

    // then
    assertEquals(
        new InputLimits(5e5, 100, 20, Duration.ofDays(30), Duration.ofSeconds(90)), limits);
    assertEquals(
        Duration.ofDays(7),
        InputLimitsConfig.from(with("pulse.limits.max-event-age = 7d")).maxEventAge());
    assertEquals(
        Duration.ofHours(36),
        InputLimitsConfig.from(with("pulse.limits.max-event-age = P1DT12H")).maxEventAge());
  }

  @Test
  void aBoundOutOfRangeStopsTheStart() {
    for (String wrong :
        new String[] {
          "pulse.limits.max-amount = 0",
          "pulse.limits.max-amount = 1e308",
          "pulse.limits.max-rule-points = -1",
          "pulse.limits.max-rules-per-model = 0",
          "pulse.limits.max-event-age = P0D",
          "pulse.limits.max-event-age = P1Y",
          "pulse.limits.max-clock-skew = -1s"
        }) {
      ConfigException failure =
          assertThrows(ConfigException.class, () -> InputLimitsConfig.from(with(wrong)), wrong);
      assertTrue(
          failure.getMessage().contains("pulse.limits") || failure.getMessage().contains("max-"),
          failure.getMessage());
    }
  }
}

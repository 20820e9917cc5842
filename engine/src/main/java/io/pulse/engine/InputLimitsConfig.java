package io.pulse.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.pulse.engine.domain.InputLimits;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Reads {@link InputLimits} from {@code pulse.limits}; a bound out of range stops the start. */
public final class InputLimitsConfig {

  private InputLimitsConfig() {}

  public static InputLimits from(Config config) {
    Config limits = config.getConfig("pulse.limits");
    try {
      return new InputLimits(
          limits.getDouble("max-amount"),
          limits.getDouble("max-rule-points"),
          limits.getInt("max-rules-per-model"),
          duration(limits, "max-event-age"),
          duration(limits, "max-clock-skew"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue(limits.origin(), "pulse.limits", e.getMessage());
    }
  }

  /** An ISO-8601 duration ({@code P1825D}), as the API writes them, or a HOCON one ({@code 5m}). */
  private static Duration duration(Config limits, String path) {
    String text = limits.getString(path).trim();
    if (text.startsWith("P") || text.startsWith("p")) {
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw new ConfigException.BadValue(
            limits.origin(), path, "'" + text + "' is not an ISO-8601 duration such as P1825D");
      }
    }
    return limits.getDuration(path);
  }
}

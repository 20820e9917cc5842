package io.pulse.engine.promotion;

import com.typesafe.config.Config;
import io.pulse.engine.InputLimitsConfig;
import io.pulse.engine.domain.InputLimits;
import java.time.Duration;

/**
 * Tuning of the promotion entities and their delivery, from {@code pulse.promotions}, and the
 * bounds a campaign's amounts must keep, from {@code pulse.limits}.
 */
public record PromotionSettings(
    int snapshotEvery,
    int keepSnapshots,
    Duration askTimeout,
    int maxCodeAttempts,
    InputLimits limits) {

  /** Settings with the default bounds. */
  public PromotionSettings(
      int snapshotEvery, int keepSnapshots, Duration askTimeout, int maxCodeAttempts) {
    this(snapshotEvery, keepSnapshots, askTimeout, maxCodeAttempts, InputLimits.DEFAULTS);
  }

  public static PromotionSettings fromConfig(Config config) {
    Config promotions = config.getConfig("pulse.promotions");
    return new PromotionSettings(
        promotions.getInt("snapshot-every"),
        promotions.getInt("keep-snapshots"),
        promotions.getDuration("ask-timeout"),
        promotions.getInt("max-code-attempts"),
        InputLimitsConfig.from(config));
  }
}

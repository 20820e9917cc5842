package io.pulse.engine.promotion;

import com.typesafe.config.Config;
import java.time.Duration;

/** Tuning of the promotion entities and their delivery, from {@code pulse.promotions}. */
public record PromotionSettings(
    int snapshotEvery, int keepSnapshots, Duration askTimeout, int maxCodeAttempts) {

  public static PromotionSettings fromConfig(Config config) {
    Config promotions = config.getConfig("pulse.promotions");
    return new PromotionSettings(
        promotions.getInt("snapshot-every"),
        promotions.getInt("keep-snapshots"),
        promotions.getDuration("ask-timeout"),
        promotions.getInt("max-code-attempts"));
  }
}

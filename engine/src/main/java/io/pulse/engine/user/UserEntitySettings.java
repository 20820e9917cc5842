package io.pulse.engine.user;

import com.typesafe.config.Config;

/** Tuning of the user entity, from {@code pulse.user}. */
public record UserEntitySettings(int recentEventIds, int snapshotEvery, int keepSnapshots) {

  public static UserEntitySettings fromConfig(Config config) {
    Config user = config.getConfig("pulse.user");
    return new UserEntitySettings(
        user.getInt("recent-event-ids"),
        user.getInt("snapshot-every"),
        user.getInt("keep-snapshots"));
  }
}

package io.pulse.engine.user;

import com.typesafe.config.Config;

/**
 * Tuning of the user entity, from {@code pulse.user}; {@code readJournal} is the query plugin the
 * entity replays its own history from when a model changes.
 */
public record UserEntitySettings(
    int recentEventIds, int snapshotEvery, int keepSnapshots, String readJournal) {

  /** Settings of an entity that reads history from the JDBC read journal. */
  public UserEntitySettings(int recentEventIds, int snapshotEvery, int keepSnapshots) {
    this(recentEventIds, snapshotEvery, keepSnapshots, "jdbc-read-journal");
  }

  public static UserEntitySettings fromConfig(Config config) {
    Config user = config.getConfig("pulse.user");
    return new UserEntitySettings(
        user.getInt("recent-event-ids"),
        user.getInt("snapshot-every"),
        user.getInt("keep-snapshots"),
        user.getString("read-journal"));
  }
}

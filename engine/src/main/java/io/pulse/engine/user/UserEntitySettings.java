package io.pulse.engine.user;

import com.typesafe.config.Config;
import io.pulse.engine.domain.profile.TraitLimits;

/**
 * Tuning of the user entity, from {@code pulse.user}; {@code readJournal} is the query plugin the
 * entity replays its own history from when a model or an audience changes, and {@code traitLimits}
 * bound what a user's traits may hold.
 */
public record UserEntitySettings(
    int recentEventIds,
    int snapshotEvery,
    int keepSnapshots,
    String readJournal,
    TraitLimits traitLimits) {

  /** Settings of an entity that reads history from the JDBC read journal. */
  public UserEntitySettings(int recentEventIds, int snapshotEvery, int keepSnapshots) {
    this(recentEventIds, snapshotEvery, keepSnapshots, "jdbc-read-journal", TraitLimits.DEFAULTS);
  }

  /** Settings with the default trait limits. */
  public UserEntitySettings(
      int recentEventIds, int snapshotEvery, int keepSnapshots, String readJournal) {
    this(recentEventIds, snapshotEvery, keepSnapshots, readJournal, TraitLimits.DEFAULTS);
  }

  public static UserEntitySettings fromConfig(Config config) {
    Config user = config.getConfig("pulse.user");
    Config traits = user.getConfig("traits");
    return new UserEntitySettings(
        user.getInt("recent-event-ids"),
        user.getInt("snapshot-every"),
        user.getInt("keep-snapshots"),
        user.getString("read-journal"),
        new TraitLimits(
            traits.getInt("max-traits"),
            traits.getInt("max-key-length"),
            (int) traits.getBytes("max-value-size").longValue()));
  }
}

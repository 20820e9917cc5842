package io.pulse.engine.user;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;

/**
 * The active-user limit as Pekko needs it to keep a working set of the configured size in memory.
 *
 * <p>Pekko divides a node's active-entity limit evenly among the shards the node holds, and users
 * are not spread evenly over shards: with the default 1,000 shards and 100,000 users, a shard holds
 * 100 on average but up to about 140 (a binomial spread of about 10 users per shard, and a thousand
 * shards to find the extremes in). Handed the configured limit as it is, every shard above its
 * hundredth user passivates, about 9,000 users a minute, and each one replays its journal when its
 * next event comes. So the limit handed to Pekko makes room for four standard deviations per shard
 * when a node holds every shard: a working set of the configured size fits, while a larger one
 * still passivates (and the node's memory stays bounded by the limit handed to Pekko).
 */
public final class ActiveUsersLimit {

  /** The configured working set: users a node keeps in memory without passivating them. */
  public static final String CONFIGURED = "pulse.user.active-limit";

  static final String PEKKO_LIMIT =
      "pekko.cluster.sharding.passivation.pulse-lru.active-entity-limit";
  static final String SHARDS = "pekko.cluster.sharding.number-of-shards";

  /** Standard deviations of the per-shard spread that the limit makes room for. */
  static final double SPREAD_ALLOWANCE = 4.0;

  private ActiveUsersLimit() {}

  /**
   * The per-node limit for Pekko that keeps {@code workingSet} users over {@code shards} shards.
   */
  public static long forPekko(long workingSet, int shards) {
    if (workingSet <= 0) {
      return workingSet;
    }
    double perShard = (double) workingSet / shards;
    long perShardLimit = (long) Math.ceil(perShard + SPREAD_ALLOWANCE * Math.sqrt(perShard));
    return Math.max(workingSet, perShardLimit * shards);
  }

  /** {@code config} with Pekko's limit derived from {@link #CONFIGURED}. */
  public static Config applyTo(Config config) {
    long pekkoLimit = forPekko(config.getLong(CONFIGURED), config.getInt(SHARDS));
    return config.withValue(PEKKO_LIMIT, ConfigValueFactory.fromAnyRef(pekkoLimit));
  }
}

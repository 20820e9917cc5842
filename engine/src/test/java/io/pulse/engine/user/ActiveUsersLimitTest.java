package io.pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActiveUsersLimitTest {

  @Test
  void aWorkingSetOfTheConfiguredSizeFitsItsShardsAlmostWhole() {
    int shards = 1000;
    int workingSet = 100_000;
    long roomy = ActiveUsersLimit.forPekko(workingSet, shards) / shards;
    long even = workingSet / shards;
    // users hashed to shards as sharding does, over several working sets
    SplittableRandom random = new SplittableRandom(42);
    long overRoomy = 0;
    long overEven = 0;
    int draws = 20;
    for (int draw = 0; draw < draws; draw++) {
      int[] perShard = new int[shards];
      for (int user = 0; user < workingSet; user++) {
        String id = "user-" + random.nextLong();
        perShard[Math.floorMod(id.hashCode(), shards)]++;
      }
      for (int count : perShard) {
        overRoomy += Math.max(0, count - roomy);
        overEven += Math.max(0, count - even);
      }
    }
    // the limit divided evenly passivates about 4% of a working set that fits the node
    assertTrue(overEven > draws * workingSet / 50, "passivated with no room: " + overEven);
    // with the room, at most a user in 100,000 (a shard a little past four deviations)
    assertTrue(
        overRoomy <= (long) draws * workingSet / 100_000,
        "passivated with the room: " + overRoomy + " of " + draws + " x " + workingSet);
  }

  @Test
  void theRoomGrowsWithTheSpreadNotWithTheWorkingSet() {
    assertEquals(140_000, ActiveUsersLimit.forPekko(100_000, 1000));
    // a thousand users a shard: a spread of about 32, so 13% more rather than 40%
    assertEquals(1_127_000, ActiveUsersLimit.forPekko(1_000_000, 1000));
    assertEquals(0, ActiveUsersLimit.forPekko(0, 1000));
  }

  @Test
  void theConfiguredLimitBecomesPekkosWithItsRoom() {
    Config config =
        ConfigFactory.parseMap(
                Map.of(ActiveUsersLimit.CONFIGURED, 50_000, ActiveUsersLimit.SHARDS, 100))
            .withFallback(ConfigFactory.load());
    assertEquals(
        ActiveUsersLimit.forPekko(50_000, 100),
        ActiveUsersLimit.applyTo(config).getLong(ActiveUsersLimit.PEKKO_LIMIT));
  }
}

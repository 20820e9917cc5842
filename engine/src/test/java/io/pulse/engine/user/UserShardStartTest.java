package io.pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.access.TenantId;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.junit.jupiter.api.Test;

class UserShardStartTest {

  @Test
  void oneUserOfTheDefaultTenantFallsInEachShard() {
    for (int numberOfShards : new int[] {1, 10, 1000}) {
      List<String> entityIds = UserShardStart.oneUserPerShard(numberOfShards);
      HashCodeMessageExtractor<UserEntity.Command> extractor =
          new HashCodeMessageExtractor<>(numberOfShards);

      Set<String> shards = entityIds.stream().map(extractor::shardId).collect(Collectors.toSet());

      assertEquals(numberOfShards, entityIds.size());
      assertEquals(numberOfShards, shards.size(), "a shard was read twice or not at all");
      for (String entityId : entityIds) {
        assertEquals(TenantId.DEFAULT.value(), UserEntity.tenantOf(entityId));
        assertTrue(UserEntity.userIdOf(entityId).startsWith(UserShardStart.USER_ID_PREFIX));
      }
    }
  }

  @Test
  void theSameUsersAreReadOnEveryNode() {
    assertEquals(UserShardStart.oneUserPerShard(1000), UserShardStart.oneUserPerShard(1000));
  }
}

package io.pulse.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every cluster configuration the server can be started with (-Dconfig.resource) resolves with the
 * server's own settings, and shuts down gracefully: HTTP drains before the shards hand off, within
 * the phase timeouts of coordinated shutdown.
 */
class ClusterConfigurationTest {

  private static Config load(String resource) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.load(resource);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application.conf",
        "local-cluster.conf",
        "local-cluster-node1.conf",
        "local-cluster-node2.conf",
        "local-cluster-node3.conf",
        "kubernetes.conf"
      })
  void includesTheServerSettingsAndShutsDownGracefully(String resource) throws Exception {
    Config config = load(resource);
    assertEquals("jdbc-journal", config.getString("pekko.persistence.journal.plugin"));
    assertEquals("cluster", config.getString("pekko.actor.provider"));
    assertEquals(
        "keep-majority", config.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertTrue(config.getBoolean("pekko.coordinated-shutdown.exit-jvm"));
    assertTrue(config.getBoolean("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook"));
    assertTrue(config.getBoolean("pekko.cluster.run-coordinated-shutdown-when-down"));

    // Requests in flight get the whole HTTP deadline: the phase that waits for them outlasts it.
    Duration deadline = config.getDuration("pulse.http.shutdown-deadline");
    Duration requestsDone =
        config.getDuration("pekko.coordinated-shutdown.phases.service-requests-done.timeout");
    assertTrue(requestsDone.compareTo(deadline) > 0, requestsDone + " > " + deadline);
    // Shards hand off (and their entities finish writing) before the node leaves the cluster.
    List<String> leaveAfter =
        config.getStringList("pekko.coordinated-shutdown.phases.cluster-leave.depends-on");
    assertTrue(leaveAfter.contains("cluster-sharding-shutdown-region"), leaveAfter.toString());
    List<String> shardsAfter =
        config.getStringList(
            "pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.depends-on");
    assertTrue(shardsAfter.contains("before-cluster-shutdown"), shardsAfter.toString());
    // A node that cannot join gives up and exits, so that a supervisor restarts it.
    assertFalse(
        config
            .getString("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes")
            .equals("off"));

    // Every management readiness check named in the configuration exists; Pulse's is a check.
    for (Object check :
        config
            .getConfig("pekko.management.health-checks.readiness-checks")
            .root()
            .unwrapped()
            .values()) {
      Class.forName((String) check);
    }
    String journalCheck =
        config.getString("pekko.management.health-checks.readiness-checks.pulse-journal");
    assertEquals(JournalReadinessCheck.class.getName(), journalCheck);
    assertTrue(Supplier.class.isAssignableFrom(JournalReadinessCheck.class));
    String userShardsCheck =
        config.getString("pekko.management.health-checks.readiness-checks.pulse-user-shards");
    assertEquals(UserShardsReadinessCheck.class.getName(), userShardsCheck);
    assertTrue(Supplier.class.isAssignableFrom(UserShardsReadinessCheck.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local-cluster.conf", "kubernetes.conf"})
  void clusterNodesNeverJoinThemselves(String resource) {
    Config config = load(resource);
    assertFalse(config.getBoolean("pulse.cluster.join-self"));
    assertTrue(config.getBoolean("pulse.cluster.management"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local-cluster.conf", "kubernetes.conf"})
  void aKilledNodeIsDownedByTheSplitBrainResolver(String resource) {
    Config config = load(resource);
    assertEquals(
        "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
        config.getString("pekko.cluster.downing-provider-class"));
    Duration stableAfter = config.getDuration("pekko.cluster.split-brain-resolver.stable-after");
    assertTrue(stableAfter.compareTo(Duration.ofSeconds(30)) <= 0, stableAfter.toString());
  }
}

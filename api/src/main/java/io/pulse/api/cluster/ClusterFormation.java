package io.pulse.api.cluster;

import com.typesafe.config.Config;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node becomes a cluster member, from {@code pulse.cluster}: Pekko Management's HTTP routes
 * (cluster state and health probes) when {@code management} is on; Cluster Bootstrap, which finds
 * the other nodes through Pekko Discovery (the Kubernetes API in kubernetes.conf), when {@code
 * bootstrap} is on; otherwise the configured seed nodes, or the node itself when {@code join-self}
 * is on (a single node, the default).
 */
public final class ClusterFormation {

  private static final Logger log = LoggerFactory.getLogger(ClusterFormation.class);

  private ClusterFormation() {}

  /** Whether the node forms a cluster with itself alone rather than join or bootstrap one. */
  public static boolean formsClusterOfItsOwn(Config config) {
    Config cluster = config.getConfig("pulse.cluster");
    return !cluster.getBoolean("bootstrap") && cluster.getBoolean("join-self");
  }

  public static void start(ActorSystem<?> system, Config config) {
    Config cluster = config.getConfig("pulse.cluster");
    boolean bootstrap = cluster.getBoolean("bootstrap");
    if (cluster.getBoolean("management") || bootstrap) {
      try {
        Object uri =
            PekkoManagement.get(system)
                .start()
                .toCompletableFuture()
                .get(
                    config.getDuration("pulse.cluster.management-start-timeout").toMillis(),
                    TimeUnit.MILLISECONDS);
        log.info("Pekko Management listening on {}", uri);
      } catch (Exception e) {
        throw new IllegalStateException("Pekko Management did not start: " + e.getMessage(), e);
      }
    }
    if (bootstrap) {
      log.info("Forming the cluster with Cluster Bootstrap");
      ClusterBootstrap.get(system).start();
    } else if (formsClusterOfItsOwn(config)) {
      Cluster self = Cluster.get(system);
      self.manager().tell(Join.create(self.selfMember().address()));
    } else {
      log.info(
          "Joining the seed nodes {}", config.getStringList("pekko.cluster.seed-nodes").toString());
    }
  }
}

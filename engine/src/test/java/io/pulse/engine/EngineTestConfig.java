package io.pulse.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;

/** Configuration of the actor systems the engine tests run on; test-only settings live here. */
public final class EngineTestConfig {

  private EngineTestConfig() {}

  /**
   * The engine's own {@code engine.conf} plus the CBOR binding of {@link CborSerializable} that the
   * persistence module adds in production, and logging through SLF4J.
   */
  public static Config engine() {
    return ConfigFactory.parseString(
            """
            pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
            pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
            pekko.loglevel = WARNING
            pekko.stdout-loglevel = WARNING
            pekko.actor.serialization-bindings {
              "io.pulse.engine.CborSerializable" = jackson-cbor
            }
            """)
        .withFallback(ConfigFactory.parseResources("engine.conf"));
  }

  /**
   * The in-memory journal and snapshot store of the persistence testkit, with its query plugin as
   * the journal users replay their history from.
   */
  public static Config inMemoryPersistence() {
    return ConfigFactory.parseString(
            "pulse.user.read-journal = \"" + PersistenceTestKitReadJournal.Identifier() + "\"")
        .withFallback(PersistenceTestKitPlugin.config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config());
  }

  /**
   * A cluster of one node on a free loopback port, where every message is really serialized, as it
   * would be between nodes.
   */
  public static Config selfJoinedCluster() {
    return ConfigFactory.parseString(
        """
        pekko.actor.provider = cluster
        pekko.actor.serialize-messages = on
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        pekko.coordinated-shutdown.exit-jvm = off
        """);
  }

  /** Resolves {@code config} over the reference configuration of every module on the classpath. */
  public static Config resolve(Config config) {
    return ConfigFactory.load(config.withFallback(SHUTDOWN));
  }

  /**
   * A cluster node leaves before it stops, which on a busy 2-core machine can take longer than the
   * test kit's default 10 s; a slow stop is not what these tests are about.
   */
  private static final Config SHUTDOWN =
      ConfigFactory.parseString("pekko.actor.testkit.typed.system-shutdown-default = 30s");

  /** Makes the node a cluster of its own; sharding does not start delivering before that. */
  public static void joinSelf(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
  }

  public static boolean isUp(ActorSystem<?> system) {
    return Cluster.get(system).selfMember().status() == MemberStatus.up();
  }
}

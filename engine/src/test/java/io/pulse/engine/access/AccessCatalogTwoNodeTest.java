package io.pulse.engine.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.KeyLimits;
import io.pulse.engine.domain.access.KeySecrets;
import io.pulse.engine.domain.access.NewKey;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.access.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/**
 * A key created on one node works on the other, and a key revoked on one node stops working on
 * every node within two seconds.
 */
class AccessCatalogTwoNodeTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private record Node(ActorTestKit testKit, AccessCatalog catalog) {
    ActorSystem<Void> system() {
      return testKit.system();
    }
  }

  private static Node node() {
    ActorTestKit testKit =
        ActorTestKit.create(
            "AccessCatalogTwoNodeTest",
            EngineTestConfig.resolve(
                EngineTestConfig.selfJoinedCluster()
                    .withFallback(EngineTestConfig.engine())
                    .withFallback(EngineTestConfig.inMemoryPersistence())));
    AccessRegistry.init(testKit.system(), Clock.systemUTC());
    AccessCatalog catalog =
        AccessCatalog.follow(
            testKit.system(), Duration.ofSeconds(1), Duration.ofSeconds(30), Clock.systemUTC());
    return new Node(testKit, catalog);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void aRevokedKeyStopsWorkingOnEveryNodeWithinTwoSeconds() throws Exception {
    Node first = node();
    Node second = node();
    try {
      Cluster a = Cluster.get(first.system());
      a.manager().tell(Join.create(a.selfMember().address()));
      Cluster.get(second.system()).manager().tell(Join.create(a.selfMember().address()));
      first
          .testKit()
          .createTestProbe()
          .awaitAssert(
              Duration.ofSeconds(30),
              () -> {
                assertEquals(2, a.state().members().size());
                a.state()
                    .getMembers()
                    .forEach(member -> assertEquals(MemberStatus.up(), member.status()));
                return null;
              });

      String secret = KeySecrets.newSecret();
      StatusReply<ApiKey> created =
          await(
              AccessRegistry.refFor(first.system())
                  .<StatusReply<ApiKey>>ask(
                      replyTo ->
                          new AccessRegistry.CreateKey(
                              new NewKey(
                                  TenantId.DEFAULT,
                                  "app",
                                  Set.of(Scope.EVENTS_WRITE),
                                  KeyLimits.DEFAULTS),
                              KeySecrets.newKeyId(),
                              KeySecrets.hash(secret),
                              KeySecrets.hint(secret),
                              replyTo),
                      WAIT));
      assertTrue(created.isSuccess());
      for (Node node : new Node[] {first, second}) {
        node.testKit()
            .createTestProbe()
            .awaitAssert(
                WAIT,
                () -> {
                  assertTrue(node.catalog().authenticate(secret).isPresent(), "known on the node");
                  return null;
                });
      }

      long revokedAt = System.nanoTime();
      assertTrue(
          await(
                  AccessRegistry.refFor(second.system())
                      .<StatusReply<ApiKey>>ask(
                          replyTo ->
                              new AccessRegistry.RevokeKey(
                                  created.getValue().id(), TenantId.DEFAULT, replyTo),
                          WAIT))
              .isSuccess());
      for (Node node : new Node[] {first, second}) {
        while (node.catalog().authenticate(secret).isPresent()
            && System.nanoTime() - revokedAt < Duration.ofSeconds(5).toNanos()) {
          Thread.sleep(10);
        }
        long tookMillis = Duration.ofNanos(System.nanoTime() - revokedAt).toMillis();
        assertTrue(node.catalog().authenticate(secret).isEmpty(), "revoked on the node");
        assertTrue(tookMillis <= 2000, "revoked everywhere within 2 s; took " + tookMillis + " ms");
      }
    } finally {
      second.testKit().shutdownTestKit();
      first.testKit().shutdownTestKit();
    }
  }
}

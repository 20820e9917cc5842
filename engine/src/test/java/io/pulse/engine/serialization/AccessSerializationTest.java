package io.pulse.engine.serialization;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.domain.access.AccessChange;
import io.pulse.engine.domain.access.AccessState;
import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.KeyLimits;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.access.TenantId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The access registry's events and state survive the journal's serialization. */
class AccessSerializationTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit =
        ActorTestKit.create(
            "AccessSerializationTest", EngineTestConfig.resolve(EngineTestConfig.engine()));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private static ApiKey key(TenantId tenant) {
    return new ApiKey(
        "key-1",
        tenant,
        "admin",
        EnumSet.of(Scope.ADMIN, Scope.EVENTS_WRITE),
        new KeyLimits(10, 100),
        "hash",
        "…hint",
        T0,
        null,
        null);
  }

  @Test
  void everyAccessChangeOfEveryTenantSurvivesTheJournal() {
    for (TenantId tenant : new TenantId[] {TenantId.DEFAULT, new TenantId("acme")}) {
      verify(new AccessChange.TenantCreated(tenant, T0));
      verify(new AccessChange.KeyCreated(key(tenant)));
    }
    verify(new AccessChange.KeyRevoked("key-1", T0));
    verify(new AccessChange.KeysUsed(Map.of("key-1", T0)));
  }

  @Test
  void theAccessStateSurvivesTheJournal() {
    verify(AccessState.initial());
    verify(
        AccessState.initial()
            .apply(new AccessChange.TenantCreated(new TenantId("acme"), T0))
            .apply(new AccessChange.KeyCreated(key(new TenantId("acme")))));
  }

  private static void verify(Object message) {
    testKit.serializationTestKit().verifySerialization(message, true);
  }
}

package io.pulse.engine.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.ConfigFactory;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.subscription.DeadLetter;
import io.pulse.engine.domain.subscription.SecretBox;
import io.pulse.engine.domain.subscription.SubscriptionChange;
import io.pulse.engine.domain.subscription.SubscriptionState;
import io.pulse.engine.domain.subscription.TransitionFilter;
import io.pulse.engine.domain.subscription.WebhookSubscription;
import io.pulse.engine.subscription.SubscriptionEntity;
import io.pulse.engine.subscription.SubscriptionRegistry;
import java.io.NotSerializableException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every subscription message, event and state survives serialization under a stable name. */
class SubscriptionSerializationTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456789Z");

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    testKit =
        ActorTestKit.create(
            "SubscriptionSerializationTest",
            ConfigFactory.load(
                ConfigFactory.parseString(
                        """
                        pekko.loglevel = WARNING
                        pekko.actor.serialization-bindings {
                          "io.pulse.engine.CborSerializable" = jackson-cbor
                        }
                        """)
                    .withFallback(ConfigFactory.parseResources("engine.conf"))));
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private static WebhookSubscription subscription() {
    return new WebhookSubscription(
        "sub-1",
        "https://orchestrator.example/hooks/pulse",
        new TransitionFilter("engagement", "high", "event", null),
        "0123456789abcdef-secret",
        T0);
  }

  private static DeadLetter letter() {
    return new DeadLetter(
        42,
        new SegmentTransition(
            "u-1:engagement:2",
            "u-1",
            "engagement",
            "medium",
            "high",
            7.1,
            T0,
            TransitionCause.EVENT),
        10,
        "HTTP 503",
        T0,
        true);
  }

  private static SubscriptionState state() {
    return new SubscriptionState(subscription(), false, 41, 3, List.of(letter()), 2);
  }

  @Test
  void journaledTypesUseStableManifests() throws Exception {
    Map<Object, String> values =
        Map.ofEntries(
            Map.entry(
                new SubscriptionChange.Created(subscription(), 17), "webhook-subscription-created"),
            Map.entry(new SubscriptionChange.Deleted(T0), "webhook-subscription-deleted"),
            Map.entry(new SubscriptionChange.DeliveredUpTo(99), "webhook-delivered-up-to"),
            Map.entry(new SubscriptionChange.DeadLettered(letter(), 100), "webhook-dead-lettered"),
            Map.entry(
                new SubscriptionChange.DeadLetterDelivered(42), "webhook-dead-letter-delivered"),
            Map.entry(
                new SubscriptionChange.RedeliveryRequested(T0), "webhook-redelivery-requested"),
            Map.entry(new SubscriptionChange.ReplayRequested(7, T0), "webhook-replay-requested"),
            Map.entry(
                new SubscriptionChange.SecretResealed("pulse-sealed:v1:AAAA", T0),
                "webhook-secret-resealed"),
            Map.entry(state(), "webhook-subscription-state"),
            Map.entry(SubscriptionState.EMPTY, "webhook-subscription-state"),
            Map.entry(new SubscriptionRegistry.Registered("sub-1"), "webhook-registered"),
            Map.entry(new SubscriptionRegistry.Unregistered("sub-1"), "webhook-unregistered"),
            Map.entry(
                new SubscriptionRegistry.State(List.of("sub-1", "sub-2")),
                "webhook-registry-state"));
    for (Map.Entry<Object, String> value : values.entrySet()) {
      Serializer serializer = serialization.findSerializerFor(value.getKey());
      SubscriptionJournalSerializer journal =
          assertInstanceOf(
              SubscriptionJournalSerializer.class, serializer, value.getKey().toString());
      assertEquals(value.getValue(), Serializers.manifestFor(serializer, value.getKey()));
      byte[] bytes = serialization.serialize(value.getKey()).get();
      assertEquals(
          value.getKey(),
          serialization.deserialize(bytes, journal.identifier(), value.getValue()).get());
    }
    assertEquals(SubscriptionJournalSerializer.TYPES.size(), values.size() - 1);
  }

  @Test
  void protocolMessagesSurviveSerialization() {
    var states = testKit.<SubscriptionState>createTestProbe().getRef();
    var statusReplies = testKit.<StatusReply<SubscriptionState>>createTestProbe().getRef();
    var acks = testKit.<Done>createTestProbe().getRef();
    List<Object> messages =
        List.of(
            new SubscriptionEntity.Create(subscription(), 5, statusReplies),
            new SubscriptionEntity.Get(states),
            new SubscriptionEntity.Delete(states),
            new SubscriptionEntity.Replay(9, statusReplies),
            new SubscriptionEntity.Redeliver(statusReplies),
            new SubscriptionEntity.Wake(),
            new SubscriptionEntity.ReportDelivered(3, 100, acks),
            new SubscriptionEntity.ReportDeadLetter(3, letter(), acks),
            new SubscriptionEntity.ReportRedelivered(3, 42, acks),
            new SubscriptionEntity.RunStopped(3),
            new SubscriptionRegistry.Register("sub-1", acks),
            new SubscriptionRegistry.Unregister("sub-1", acks),
            new SubscriptionRegistry.ListIds(
                testKit.<SubscriptionRegistry.SubscriptionIds>createTestProbe().getRef()),
            new SubscriptionRegistry.SubscriptionIds(List.of("sub-1")));
    for (Object message : messages) {
      testKit.serializationTestKit().verifySerialization(message, true);
    }
  }

  @Test
  void aSubscriptionJournaledBeforeSecretsWereSealedIsStillRead() throws Exception {
    // The shape of a creation event written before secrets were sealed: a plain secret and no
    // mask.
    Map<String, Object> old = new LinkedHashMap<>();
    old.put("id", "sub-old");
    old.put("url", "https://orchestrator.example/hooks/pulse");
    old.put("filter", Map.of("model", "engagement"));
    old.put("secret", "plain-secret-from-before-1234");
    old.put("createdAt", T0.toString());
    byte[] bytes =
        new ObjectMapper(new CBORFactory())
            .writeValueAsBytes(Map.of("subscription", old, "startAfter", 17));
    SubscriptionJournalSerializer journal =
        assertInstanceOf(
            SubscriptionJournalSerializer.class,
            serialization.findSerializerFor(new SubscriptionChange.DeliveredUpTo(1)));

    SubscriptionChange.Created created =
        assertInstanceOf(
            SubscriptionChange.Created.class,
            journal.fromBinary(bytes, "webhook-subscription-created"));

    WebhookSubscription subscription = created.subscription();
    assertEquals("plain-secret-from-before-1234", subscription.secret());
    assertEquals("****1234", subscription.maskedSecret());
    assertEquals(new TransitionFilter("engagement", null, null, null), subscription.filter());
    assertEquals(17, created.startAfter());
    assertEquals(
        "plain-secret-from-before-1234",
        new SecretBox(new byte[32], Optional.empty()).open("sub-old", subscription.secret()));
  }

  @Test
  void aSealedSecretAndItsMaskAreJournaledAndNothingPlain() throws Exception {
    SecretBox box = new SecretBox(new byte[32], Optional.empty());
    String plain = "0123456789abcdef-secret";
    WebhookSubscription sealed =
        new WebhookSubscription(
            "sub-1",
            "https://orchestrator.example/hooks/pulse",
            null,
            box.seal("sub-1", plain),
            T0,
            WebhookSubscription.mask(plain));
    SubscriptionChange.Created created = new SubscriptionChange.Created(sealed, 3);

    byte[] bytes = serialization.serialize(created).get();

    assertFalse(
        new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("0123456789"));
    Object read =
        serialization
            .deserialize(
                bytes,
                serialization.findSerializerFor(created).identifier(),
                "webhook-subscription-created")
            .get();
    assertEquals(created, read);
    assertEquals("****cret", ((SubscriptionChange.Created) read).subscription().maskedSecret());
  }

  @Test
  void unknownManifestsAreRefused() {
    SubscriptionJournalSerializer serializer =
        assertInstanceOf(
            SubscriptionJournalSerializer.class,
            serialization.findSerializerFor(new SubscriptionChange.DeliveredUpTo(1)));
    assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[] {1}, "x"));
    assertThrows(IllegalArgumentException.class, () -> serializer.manifest("not journaled"));
  }
}

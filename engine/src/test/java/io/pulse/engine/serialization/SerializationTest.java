package io.pulse.engine.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ConditionOperator;
import io.pulse.engine.domain.CustomerMetrics;
import io.pulse.engine.domain.ModelAward;
import io.pulse.engine.domain.ModelScore;
import io.pulse.engine.domain.RecentEventIds;
import io.pulse.engine.domain.Scale;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.ScoringRule;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.model.ModelRegistry;
import io.pulse.engine.user.UserEntity;
import java.io.NotSerializableException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/** Every message, event and state survives serialization with the configured bindings. */
class SerializationTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00.123456789Z");

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    testKit =
        ActorTestKit.create(
            "SerializationTest", EngineTestConfig.resolve(EngineTestConfig.engine()));
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private static <T> void verify(T message) {
    testKit.serializationTestKit().verifySerialization(message, true);
  }

  /** An event whose properties hold every scalar kind a JSON body can carry. */
  private static BehaviouralEvent event() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("amount", 39.98);
    properties.put("currency", "EUR");
    properties.put("firstOrder", false);
    properties.put("quantity", 2);
    properties.put("points", 12_000_000_000L);
    return new BehaviouralEvent("evt-1", "crm|42", "purchase", Channel.WEB, T0, properties);
  }

  /** An event whose properties nest maps and lists, as JSON bodies do. */
  private static BehaviouralEvent nestedEvent() {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("sku", "A-1");
    item.put("quantity", 2);
    item.put("price", 19.99);
    item.put("gift", true);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("amount", 39.98);
    properties.put("items", List.of(item, Map.of("sku", "B-2", "quantity", 1)));
    properties.put("tags", List.of("spring", "sale", 3, 2.5, true));
    properties.put("customer", Map.of("tier", "gold", "address", Map.of("country", "NL")));
    return new BehaviouralEvent("evt-2", "crm|42", "purchase", Channel.WEB, T0, properties);
  }

  private static ScoredEvent scoredEvent(BehaviouralEvent event) {
    return new ScoredEvent(
        event,
        List.of(
            new ModelAward("engagement", 1, 10, List.of(5), "2026-03-02", 13.25, T0),
            new ModelAward("loyalty", 3, 7.5, List.of(0, 2), "2026-03-02", 7.5, T0)));
  }

  private static SegmentTransition firstTransition() {
    return new SegmentTransition(
        "crm|42:engagement:1",
        "crm|42",
        "engagement",
        null,
        "low",
        1.52,
        T0,
        TransitionCause.EVENT);
  }

  private static UserEngagement userEngagement() {
    RecentEventIds recent = RecentEventIds.withCapacity(128);
    for (int i = 0; i < 70; i++) {
      recent = recent.add("evt-" + i);
    }
    return new UserEngagement(
        "crm|42",
        Map.of(
            "engagement",
            new ModelScore(
                "engagement",
                1,
                13.25,
                T0,
                "medium",
                2,
                Map.of("2026-03-02#5", 1, "2026-03-01#0", 3)),
            "loyalty",
            new ModelScore("loyalty", 3, 7.5, T0, null, 0, Map.of())),
        new CustomerMetrics(70, 2, 59.97, T0.minusSeconds(86_400), T0, T0, List.of(T0)),
        recent);
  }

  private static ScoringModel loyaltyModel() {
    return new ScoringModel(
        "loyalty",
        "Loyalty",
        3,
        List.of(
            new ScoringRule(
                "purchase",
                null,
                5,
                List.of(
                    new Condition("properties.amount", ConditionOperator.GTE, 50),
                    new Condition("properties.currency", ConditionOperator.EQ, "EUR"),
                    new Condition("properties.gift", ConditionOperator.EXISTS, true),
                    new Condition("properties.price", ConditionOperator.LT, 99.5)),
                2),
            ScoringRule.of("page_view", Channel.WEB, 1)),
        null,
        new Scale(0, 100),
        List.of(new Band("cold", 0, 40), new Band("warm", 40, 100)),
        20);
  }

  private static ScoringModels models() {
    return ScoringModels.of(ScoringModel.defaultEngagement(), loyaltyModel());
  }

  @Test
  void userEntityProtocol() {
    var replyTo = testKit.<UserEntity.Recorded>createTestProbe().getRef();
    verify(new UserEntity.RecordEvents(17, List.of(event()), replyTo));
    verify(new UserEntity.GetEngagement(testKit.<UserEngagement>createTestProbe().getRef()));
    verify(new UserEntity.Recorded(17, 3, 1));
  }

  @Test
  void modelRegistryProtocol() {
    verify(
        new ModelRegistry.PutModel(
            loyaltyModel(),
            testKit.<StatusReply<ModelRegistry.ModelPut>>createTestProbe().getRef()));
    verify(
        new ModelRegistry.DeleteModel(
            "loyalty", testKit.<ModelRegistry.ModelDeleted>createTestProbe().getRef()));
    verify(new ModelRegistry.GetCatalog(testKit.<ModelCatalogRevision>createTestProbe().getRef()));
    verify(new ModelRegistry.ModelPut(loyaltyModel(), false, true, 4));
    verify(new ModelRegistry.ModelDeleted("loyalty", true));
    verify(new ModelRegistry.ModelStored(loyaltyModel()));
    verify(new ModelRegistry.ModelRemoved("loyalty"));
    verify(new ModelRegistry.State(4, models()));
    verify(new ModelCatalogRevision(4, models()));
  }

  @Test
  void journaledChangesAndState() {
    verify(scoredEvent(event()));
    verify(new ScoredEvent(event(), List.of()));
    verify(firstTransition());
    verify(
        new SegmentTransition(
            "u:engagement:7", "u", "engagement", "high", "medium", 6.9, T0, TransitionCause.DECAY));
    verify(userEngagement());
    verify(UserEngagement.empty("fresh", 1024));
  }

  /**
   * Nested property values and list operands are plain Java maps and lists in the domain, which
   * walks them with {@code instanceof Map} and {@code instanceof List}; they must come back as such
   * from the wire and from the journal.
   */
  @Test
  void nestedPropertiesAndListOperandsComeBackAsJavaCollections() throws Exception {
    ScoringModel withListOperand =
        new ScoringModel(
            "sections",
            "Sections",
            1,
            List.of(
                new ScoringRule(
                    "page_view",
                    null,
                    1,
                    List.of(
                        new Condition(
                            "properties.section", ConditionOperator.IN, List.of("shop", "sale"))),
                    null)),
            null,
            Scale.DEFAULT,
            List.of(new Band("low", 1, 10)),
            20);

    verify(
        new UserEntity.RecordEvents(
            18, List.of(nestedEvent()), testKit.<UserEntity.Recorded>createTestProbe().getRef()));
    verify(scoredEvent(nestedEvent()));
    assertJournalRoundTrip(scoredEvent(nestedEvent()), "event-recorded");
    verify(
        new ModelRegistry.PutModel(
            withListOperand,
            testKit.<StatusReply<ModelRegistry.ModelPut>>createTestProbe().getRef()));
    verify(new ModelCatalogRevision(5, ScoringModels.of(withListOperand)));
    assertJournalRoundTrip(new ModelRegistry.ModelStored(withListOperand), "model-stored");
  }

  @Test
  void protocolMessagesAreBoundToJacksonCbor() {
    String cbor = "org.apache.pekko.serialization.jackson.JacksonCborSerializer";
    assertEquals(cbor, serializerOf(new UserEntity.Recorded(1, 1, 0)).getClass().getName());
    assertEquals(cbor, serializerOf(new ModelCatalogRevision(1, models())).getClass().getName());
    assertEquals(
        cbor, serializerOf(new ModelRegistry.ModelDeleted("x", false)).getClass().getName());
  }

  @Test
  void journalTypesUseStableManifests() throws Exception {
    assertJournalRoundTrip(scoredEvent(event()), "event-recorded");
    assertJournalRoundTrip(firstTransition(), "segment-transition");
    assertJournalRoundTrip(userEngagement(), "user-state");
    assertJournalRoundTrip(new ModelRegistry.ModelStored(loyaltyModel()), "model-stored");
    assertJournalRoundTrip(new ModelRegistry.ModelRemoved("loyalty"), "model-removed");
    assertJournalRoundTrip(new ModelRegistry.State(2, models()), "model-registry-state");
    assertEquals("event-recorded", JournalSerializer.EVENT_RECORDED);
    assertEquals("segment-transition", JournalSerializer.SEGMENT_TRANSITION);
  }

  @Test
  void journalSerializerRefusesUnknownTypes() {
    JournalSerializer serializer =
        assertInstanceOf(JournalSerializer.class, serializerOf(firstTransition()));

    assertThrows(
        NotSerializableException.class, () -> serializer.fromBinary(new byte[] {1}, "nope"));
    assertThrows(
        IllegalArgumentException.class,
        () -> serializer.manifest(new UserEntity.Recorded(1, 1, 0)));
    assertThrows(
        NotSerializableException.class,
        () -> serializer.fromBinary(new byte[] {(byte) 0xff, 0x00}, "event-recorded"));
  }

  private static Serializer serializerOf(Object object) {
    return serialization.findSerializerFor(object);
  }

  private static void assertJournalRoundTrip(Object value, String manifest) throws Exception {
    Serializer serializer = serializerOf(value);
    JournalSerializer journal = assertInstanceOf(JournalSerializer.class, serializer);
    assertEquals(manifest, Serializers.manifestFor(serializer, value));

    byte[] bytes = serialization.serialize(value).get();
    // What the journal stores is found again by serializer id and manifest alone.
    Object read = serialization.deserialize(bytes, journal.identifier(), manifest).get();
    assertEquals(value, read);
    assertEquals(value, journal.fromBinary(bytes, manifest));
  }
}

package io.pulse.engine.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.access.AccessRegistry;
import io.pulse.engine.domain.AudienceForgotten;
import io.pulse.engine.domain.AudienceReevaluated;
import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ConditionOperator;
import io.pulse.engine.domain.CustomerMetrics;
import io.pulse.engine.domain.DateReached;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.EventRefusal;
import io.pulse.engine.domain.ModelAward;
import io.pulse.engine.domain.ModelScore;
import io.pulse.engine.domain.RecentEventIds;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.Scale;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.ScoringRule;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TraitsChanged;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.WatchesAligned;
import io.pulse.engine.domain.access.AccessChange;
import io.pulse.engine.domain.access.AccessState;
import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.KeyLimits;
import io.pulse.engine.domain.access.KeySecrets;
import io.pulse.engine.domain.access.NewKey;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.access.TenantId;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.AudienceCondition;
import io.pulse.engine.domain.audience.AudienceCondition.TraitOperator;
import io.pulse.engine.domain.audience.AudienceStanding;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.audience.Behaviour;
import io.pulse.engine.domain.audience.EventMatch;
import io.pulse.engine.domain.audience.Metric;
import io.pulse.engine.domain.audience.NumberTest;
import io.pulse.engine.domain.audience.RelativeTime;
import io.pulse.engine.domain.profile.TraitLimits;
import io.pulse.engine.domain.profile.Traits;
import io.pulse.engine.domain.watch.CampaignWatch;
import io.pulse.engine.domain.watch.DateMark;
import io.pulse.engine.domain.watch.DateWatch;
import io.pulse.engine.domain.watch.EventWatch;
import io.pulse.engine.domain.watch.UserWatches;
import io.pulse.engine.domain.watch.WatchHit;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.model.ModelRegistry;
import io.pulse.engine.model.RescoringProgress;
import io.pulse.engine.user.UserEntity;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    var replyTo = testKit.<UserEntity.PartsRecorded>createTestProbe().getRef();
    verify(
        new UserEntity.RecordParts(
            "acme|ann",
            List.of(new UserEntity.Part(17, List.of(event()), 1_800_000_000_000L)),
            replyTo));
    verify(new UserEntity.PartsRecorded("acme|ann", List.of(new UserEntity.Recorded(17, 3, 1))));
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
    verify(new ModelCatalogRevision("acme", 4, models()));
  }

  @Test
  void accessRegistryProtocolChangesAndState() {
    TenantId acme = new TenantId("acme");
    ApiKey key =
        new ApiKey(
            "key_0123456789abcdef",
            acme,
            "app",
            Set.of(Scope.EVENTS_WRITE, Scope.USERS_READ),
            new KeyLimits(10, 500),
            KeySecrets.hash("pulse_secret"),
            "cret",
            Instant.parse("2026-12-01T00:00:00Z"),
            null,
            Instant.parse("2026-12-02T00:00:00Z"));
    verify(new AccessChange.TenantCreated(acme, Instant.parse("2026-12-01T00:00:00Z")));
    verify(new AccessChange.KeyCreated(key));
    verify(new AccessChange.KeyRevoked(key.id(), Instant.parse("2026-12-03T00:00:00Z")));
    verify(new AccessChange.KeysUsed(Map.of(key.id(), Instant.parse("2026-12-04T00:00:00Z"))));
    AccessState state =
        AccessState.initial()
            .apply(new AccessChange.TenantCreated(acme, Instant.parse("2026-12-01T00:00:00Z")))
            .apply(new AccessChange.KeyCreated(key));
    verify(state);
    verify(key);
    var stateReply = testKit.<AccessState>createTestProbe().getRef();
    verify(new AccessRegistry.GetAccess(stateReply));
    verify(
        new AccessRegistry.CreateTenant(
            "acme", testKit.<StatusReply<AccessState>>createTestProbe().getRef()));
    verify(
        new AccessRegistry.CreateKey(
            new NewKey(acme, "app", Set.of(Scope.ADMIN), KeyLimits.DEFAULTS),
            "key_0123456789abcdef",
            KeySecrets.hash("pulse_secret"),
            "cret",
            testKit.<StatusReply<ApiKey>>createTestProbe().getRef()));
    verify(
        new AccessRegistry.RevokeKey(
            "key_0123456789abcdef", acme, testKit.<StatusReply<ApiKey>>createTestProbe().getRef()));
    verify(
        new AccessRegistry.RecordUse(
            Map.of("key_0123456789abcdef", Instant.parse("2026-12-04T00:00:00Z")),
            testKit.<Done>createTestProbe().getRef()));
    verify(new AccessRegistry.EnsureKey(key, testKit.<Done>createTestProbe().getRef()));
    verify(new AccessRegistry.BootstrapIfEmpty(key, testKit.<Boolean>createTestProbe().getRef()));
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

  /** An audience with every kind of condition, as a definition would hold it. */
  private static Audience everyKindOfCondition() {
    EventMatch bigPurchase =
        new EventMatch(
            "purchase", List.of(new Condition("properties.amount", ConditionOperator.GTE, 50)));
    return Audience.of(
        "every-kind",
        "Every kind",
        new AudienceCondition.All(
            List.of(
                new AudienceCondition.TraitTest(
                    "birthday", TraitOperator.BEFORE, null, RelativeTime.parse("-P18Y").get()),
                new AudienceCondition.TraitTest(
                    "plan", TraitOperator.IN, List.of("pro", "team"), null),
                new AudienceCondition.Any(
                    List.of(
                        new AudienceCondition.ScoreTest("engagement", "high", null),
                        new AudienceCondition.ScoreTest(
                            "engagement", null, new NumberTest(NumberTest.Comparison.GT, 4)))),
                new AudienceCondition.Not(
                    new AudienceCondition.MetricTest(
                        Metric.ORDERS, new NumberTest(NumberTest.Comparison.GTE, 10))),
                new AudienceCondition.EventWindow(
                    bigPurchase,
                    Duration.ofDays(7),
                    new NumberTest(NumberTest.Comparison.GTE, 2),
                    -1),
                new AudienceCondition.NotFollowedBy(
                    new EventMatch("add_to_cart", List.of()),
                    new EventMatch("purchase", List.of()),
                    Duration.ofHours(1),
                    -1),
                new AudienceCondition.InAudience("pros"))));
  }

  private static Audience pros() {
    return Audience.of(
        "pros", "Pros", new AudienceCondition.TraitTest("plan", TraitOperator.EQ, "pro", null));
  }

  @Test
  void traitsAudiencesAndTheirChanges() throws Exception {
    Audiences audiences = Audiences.of(pros(), everyKindOfCondition());
    Definitions definitions = new Definitions(models(), audiences);
    Map<String, Object> traits = new LinkedHashMap<>();
    traits.put("plan", "pro");
    traits.put("birthday", "1990-03-17");
    traits.put("tags", List.of("vip", "beta"));
    traits.put("age", 36);
    traits.put("optIn", true);
    BehaviouralEvent identify =
        new BehaviouralEvent(
            "id-1", "crm|42", BehaviouralEvent.IDENTIFY, Channel.APP, T0, Map.of(), traits);
    Recording first =
        UserEngagement.empty("crm|42", 1024)
            .record(
                List.of(identify, event(), nestedEvent()),
                definitions,
                T0.plusSeconds(1),
                TraitLimits.DEFAULTS);
    Recording cart =
        first
            .state()
            .record(
                List.of(
                    new BehaviouralEvent(
                        "evt-3", "crm|42", "add_to_cart", Channel.WEB, T0.plusSeconds(5), null)),
                definitions,
                T0.plusSeconds(6),
                TraitLimits.DEFAULTS);
    Recording waited = cart.state().wakeUp(definitions, T0.plus(Duration.ofHours(2)));
    Recording patched =
        waited
            .state()
            .patchTraits(
                java.util.Collections.singletonMap("plan", null),
                TraitLimits.DEFAULTS,
                definitions,
                T0.plus(Duration.ofHours(3)))
            .recording();
    Recording forgotten =
        patched.state().forgetAudience("every-kind", T0.plus(Duration.ofHours(4)));

    List<EngagementChange> changes = new java.util.ArrayList<>();
    for (Recording recording : List.of(first, cart, waited, patched, forgotten)) {
      changes.addAll(recording.changes());
    }
    for (Class<?> kind :
        List.of(
            ScoredEvent.class,
            AudienceTransition.class,
            TraitsChanged.class,
            AudienceForgotten.class)) {
      assertTrue(changes.stream().anyMatch(kind::isInstance), "the changes hold a " + kind);
    }
    for (EngagementChange change : changes) {
      verify(change);
    }
    assertTrue(
        changes.stream()
            .anyMatch(
                change -> change instanceof ScoredEvent scored && !scored.audienceHits().isEmpty()),
        "an event that counts in an audience");
    assertJournalRoundTrip(
        changes.stream().filter(ScoredEvent.class::isInstance).findFirst().orElseThrow(),
        "event-recorded");
    assertJournalRoundTrip(
        changes.stream().filter(AudienceTransition.class::isInstance).findFirst().orElseThrow(),
        "audience-transition");
    assertJournalRoundTrip(
        changes.stream().filter(TraitsChanged.class::isInstance).findFirst().orElseThrow(),
        "traits-changed");
    assertJournalRoundTrip(
        changes.stream().filter(AudienceForgotten.class::isInstance).findFirst().orElseThrow(),
        "audience-forgotten");
    Recording reevaluated =
        cart.state()
            .reevaluate(everyKindOfCondition(), List.of(event()), models(), T0.plusSeconds(9));
    AudienceReevaluated rebuilt =
        reevaluated.changes().stream()
            .filter(AudienceReevaluated.class::isInstance)
            .map(AudienceReevaluated.class::cast)
            .findFirst()
            .orElseThrow();
    assertJournalRoundTrip(rebuilt, "audience-reevaluated");

    // the user's state with traits, standings and remembered behaviour
    assertTrue(!waited.state().traits().isEmpty());
    verify(waited.state());
    assertJournalRoundTrip(waited.state(), "user-state");
    assertJournalRoundTrip(cart.state(), "user-state");
    // and a state read back goes on as the one written: its standings change as a user's do
    UserEngagement readBack =
        (UserEngagement)
            ((JournalSerializer) serializerOf(waited.state()))
                .fromBinary(serialization.serialize(waited.state()).get(), "user-state");
    AudienceTransition leaving =
        new AudienceTransition(
            "u:audience:every-kind:9",
            "u",
            "every-kind",
            "member",
            null,
            T0,
            TransitionCause.TIME,
            1);
    assertEquals(waited.state().audiences().apply(leaving), readBack.audiences().apply(leaving));

    // the registry's journal and protocol
    assertJournalRoundTrip(
        new ModelRegistry.AudienceStored(everyKindOfCondition()), "audience-stored");
    assertJournalRoundTrip(new ModelRegistry.AudienceRemoved("every-kind"), "audience-removed");
    ModelRegistry.State registry =
        new ModelRegistry.State(
            7,
            models(),
            Map.of(
                "engagement",
                new RescoringProgress("engagement", 1, false, 4, 10, false),
                "audience:every-kind",
                new RescoringProgress("every-kind", 1, false, 4, 10, false, true)),
            audiences);
    assertJournalRoundTrip(registry, "model-registry-state");
    verify(new ModelCatalogRevision("acme", 7, models(), registry.rescorings(), audiences));
    verify(
        new ModelRegistry.PutAudience(
            pros(), testKit.<StatusReply<ModelRegistry.AudiencePut>>createTestProbe().getRef()));
    verify(new ModelRegistry.AudiencePut(pros(), true, true));
    verify(
        new ModelRegistry.DeleteAudience(
            "pros", testKit.<StatusReply<Boolean>>createTestProbe().getRef()));

    // the user entity's protocol
    verify(
        new UserEntity.PatchTraits(
            java.util.Collections.singletonMap("plan", null),
            testKit
                .<StatusReply<io.pulse.engine.domain.profile.Traits>>createTestProbe()
                .getRef()));
    verify(
        new UserEntity.Reevaluate(
            "pros", 3, testKit.<StatusReply<Done>>createTestProbe().getRef()));
    verify(new UserEntity.ForgetAudience("pros", testKit.<Done>createTestProbe().getRef()));
    verify(
        StatusReply.success(
            new Traits(Map.of("birthday", "1990-03-17", "age", 36.0, "tags", List.of("vip")))));
    verify(
        new UserEntity.Recorded(
            17, 2, 0, false, List.of(new EventRefusal("id-9", "a user has at most 256 traits"))));
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
        new UserEntity.RecordParts(
            "acme|ann",
            List.of(new UserEntity.Part(18, List.of(nestedEvent()))),
            testKit.<UserEntity.PartsRecorded>createTestProbe().getRef()));
    verify(scoredEvent(nestedEvent()));
    assertJournalRoundTrip(scoredEvent(nestedEvent()), "event-recorded");
    verify(
        new ModelRegistry.PutModel(
            withListOperand,
            testKit.<StatusReply<ModelRegistry.ModelPut>>createTestProbe().getRef()));
    verify(new ModelCatalogRevision("acme", 5, ScoringModels.of(withListOperand)));
    assertJournalRoundTrip(new ModelRegistry.ModelStored(withListOperand), "model-stored");
  }

  @Test
  void protocolMessagesAreBoundToJacksonCbor() {
    String cbor = "org.apache.pekko.serialization.jackson.JacksonCborSerializer";
    assertEquals(cbor, serializerOf(new UserEntity.Recorded(1, 1, 0)).getClass().getName());
    assertEquals(
        cbor, serializerOf(new ModelCatalogRevision("acme", 1, models())).getClass().getName());
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

  // ---- what users mark for the campaigns that watch them, and what the registry keeps

  private static final DateWatch BIRTHDAY = new DateWatch("birthday", "09:00", "timeZone");
  private static final EventMatch BIG_PURCHASE =
      new EventMatch(
          "purchase",
          List.of(
              new Condition("properties.amount", ConditionOperator.GTE, 50),
              new Condition("properties.tags", ConditionOperator.IN, List.of("a", 2, 2.5, true))));

  private static UserWatches userWatches() {
    return new UserWatches(
        Map.of(EventWatch.keyOf(BIG_PURCHASE), 12_000_000_000L, "event:0000000000000000", 0L),
        Map.of(
            BIRTHDAY.key(),
            new DateMark("birthday", "timeZone", T0, 2025),
            "date:0000000000000000",
            new DateMark("anniversary", null, T0, 0)));
  }

  private static ScoredEvent watchedEvent() {
    return new ScoredEvent(
        new BehaviouralEvent(
            "p-3", "crm|42", "purchase", Channel.WEB, T0, Map.of("amount", 60, "tags", List.of())),
        List.of(),
        false,
        3,
        T0.minusSeconds(60),
        List.of(),
        T0,
        List.of(new WatchHit(EventWatch.keyOf(BIG_PURCHASE), 3), new WatchHit("event:x", 0)));
  }

  private static Map<String, CampaignWatch> campaignWatches() {
    return Map.of(
        "third-purchase",
        new CampaignWatch(Map.of(), new EventWatch(BIG_PURCHASE, true), null),
        "birthdays",
        new CampaignWatch(Map.of("eligibleAudience", "vip"), null, BIRTHDAY),
        "carts",
        new CampaignWatch(Map.of("trigger.audience", "cart-abandoners"), null, null));
  }

  @Test
  void whatUsersMarkIsJournaledUnderStableNames() throws Exception {
    DateReached reached =
        new DateReached(
            DateReached.idFor("crm|42", BIRTHDAY.key(), 2026),
            "crm|42",
            BIRTHDAY.key(),
            "birthday",
            "2026-03-17",
            T0);
    UserEngagement watched =
        new UserEngagement(
            "crm|42",
            Map.of(),
            null,
            RecentEventIds.withCapacity(64).add("p-3"),
            T0,
            new Traits(Map.of("birthday", "1990-03-17", "timeZone", "Europe/Dublin")),
            null,
            userWatches());

    assertJournalRoundTrip(reached, "date-reached");
    assertJournalRoundTrip(new WatchesAligned(userWatches(), T0), "watches-aligned");
    assertJournalRoundTrip(new WatchesAligned(UserWatches.NONE, T0), "watches-aligned");
    assertJournalRoundTrip(watchedEvent(), JournalSerializer.EVENT_RECORDED);
    assertJournalRoundTrip(watched, "user-state");
    assertEquals(2026, reached.year());
  }

  @Test
  void aUsersRecentEventIdsAreStoredAsTheirCapacityAndChunksOldestFirst() throws Exception {
    UserEngagement user = userEngagement();

    byte[] bytes = serialization.serialize(user).get();
    com.fasterxml.jackson.databind.JsonNode stored =
        new ObjectMapper(new CBORFactory()).readTree(bytes).get("recentEventIds");

    // The form snapshots have always had: nothing else, so that older snapshots read back and
    // older nodes read newer ones.
    assertEquals(List.of("capacity", "chunks"), fieldNamesOf(stored));
    assertEquals(128, stored.get("capacity").asInt());
    List<Set<String>> chunks = new ArrayList<>();
    stored
        .get("chunks")
        .forEach(
            chunk -> {
              Set<String> ids = new HashSet<>();
              chunk.forEach(id -> ids.add(id.asText()));
              chunks.add(ids);
            });
    assertEquals(List.of(idsFrom(0, 32), idsFrom(32, 64), idsFrom(64, 70)), chunks);
    assertJournalRoundTrip(user, "user-state");
  }

  @Test
  void aWindowsTimesAreStoredAsTheKindAndTheTimesAlone() throws Exception {
    AudienceReevaluated reevaluated =
        new AudienceReevaluated(
            new AudienceStanding(
                "browsers",
                1,
                true,
                1,
                List.of(new Behaviour.Recent(List.of(1_000L, 2_000L, 2_000L)))),
            T0);

    byte[] bytes = serialization.serialize(reevaluated).get();
    com.fasterxml.jackson.databind.JsonNode window =
        new ObjectMapper(new CBORFactory())
            .readTree(bytes)
            .get("standing")
            .get("behaviours")
            .get(0);

    // The form windows have always been stored in, which older nodes read.
    assertEquals(List.of("kind", "millis"), fieldNamesOf(window));
    assertEquals("recent", window.get("kind").asText());
    List<Long> millis = new ArrayList<>();
    window.get("millis").forEach(time -> millis.add(time.asLong()));
    assertEquals(List.of(1_000L, 2_000L, 2_000L), millis);
    assertJournalRoundTrip(reevaluated, "audience-reevaluated");
  }

  @Test
  void aWaitIsStoredAsTheKindAndItsTwoMoments() throws Exception {
    AudienceReevaluated reevaluated =
        new AudienceReevaluated(
            new AudienceStanding(
                "carts",
                1,
                false,
                0,
                List.of(new Behaviour.Wait(5_000L, 3_000L), new Behaviour.Wait(7_000L, null))),
            T0);

    byte[] bytes = serialization.serialize(reevaluated).get();
    com.fasterxml.jackson.databind.JsonNode behaviours =
        new ObjectMapper(new CBORFactory()).readTree(bytes).get("standing").get("behaviours");

    // The form waits have always been stored in, which older nodes read: a follow-up not seen yet
    // is a null.
    com.fasterxml.jackson.databind.JsonNode followed = behaviours.get(0);
    assertEquals(List.of("kind", "started", "followed"), fieldNamesOf(followed));
    assertEquals("wait", followed.get("kind").asText());
    assertEquals(5_000L, followed.get("started").asLong());
    assertEquals(3_000L, followed.get("followed").asLong());
    com.fasterxml.jackson.databind.JsonNode waiting = behaviours.get(1);
    assertEquals(List.of("kind", "started", "followed"), fieldNamesOf(waiting));
    assertTrue(waiting.get("followed").isNull());
    assertJournalRoundTrip(reevaluated, "audience-reevaluated");
  }

  private static Set<String> idsFrom(int first, int end) {
    Set<String> ids = new HashSet<>();
    for (int i = first; i < end; i++) {
      ids.add("evt-" + i);
    }
    return ids;
  }

  private static List<String> fieldNamesOf(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void anEventThatMeetsNoWatchIsWrittenWithoutAWordAboutWatches() throws Exception {
    ScoredEvent plain =
        new ScoredEvent(
            new BehaviouralEvent("e-1", "crm|42", "page_view", Channel.WEB, T0, Map.of()),
            List.of());

    byte[] bytes = serialization.serialize(plain).get();
    byte[] marked = serialization.serialize(watchedEvent()).get();

    assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("watchHits"));
    assertTrue(new String(marked, StandardCharsets.ISO_8859_1).contains("watchHits"));
    assertJournalRoundTrip(plain, JournalSerializer.EVENT_RECORDED);
  }

  @Test
  void whatTheRegistryKeepsOfCampaignsIsJournaledAndAnnounced() throws Exception {
    ModelRegistry.State state =
        new ModelRegistry.State(
            9,
            ScoringModels.of(ScoringModel.defaultEngagement()),
            Map.of(
                "watches:dates",
                new RescoringProgress(
                    RescoringProgress.DATES, 9, false, 3, 10, false, false, true)),
            Audiences.NONE,
            campaignWatches());

    assertJournalRoundTrip(
        new ModelRegistry.CampaignWatched("birthdays", campaignWatches().get("birthdays")),
        "campaign-watched");
    assertJournalRoundTrip(
        new ModelRegistry.CampaignWatched("gone", CampaignWatch.NONE), "campaign-watched");
    assertJournalRoundTrip(
        new ModelRegistry.CampaignWatched("birthdays", campaignWatches().get("birthdays"), 3),
        "campaign-watched");
    // Journaled before the registry kept the version a watch belongs to: read as version 0.
    byte[] earlier =
        new ObjectMapper(new CBORFactory())
            .writeValueAsBytes(
                Map.of(
                    "campaignId",
                    "gone",
                    "watch",
                    Map.of("audiences", Map.of("trigger.audience", "vip"))));
    JournalSerializer journal =
        assertInstanceOf(
            JournalSerializer.class,
            serializerOf(new ModelRegistry.CampaignWatched("gone", CampaignWatch.NONE)));
    assertEquals(
        new ModelRegistry.CampaignWatched(
            "gone", new CampaignWatch(Map.of("trigger.audience", "vip"), null, null), 0),
        journal.fromBinary(earlier, "campaign-watched"));
    assertJournalRoundTrip(
        new ModelRegistry.State(
            10,
            state.models(),
            state.rescorings(),
            Audiences.NONE,
            campaignWatches(),
            Map.of("birthdays", 3L)),
        "model-registry-state");
    assertJournalRoundTrip(state, "model-registry-state");
    verify(
        new ModelCatalogRevision(
            "acme", 9, state.models(), state.rescorings(), Audiences.NONE, campaignWatches()));
    verify(
        new ModelRegistry.WatchCampaign(
            "birthdays",
            campaignWatches().get("birthdays"),
            testKit.<StatusReply<ModelCatalogRevision>>createTestProbe().getRef()));
  }

  @Test
  void theUserEntityProtocolOfWatchesAndMemberships() {
    verify(new UserEntity.AlignWatches(9, testKit.<StatusReply<Done>>createTestProbe().getRef()));
    verify(
        new UserEntity.GetMemberships(testKit.<UserEntity.Memberships>createTestProbe().getRef()));
    verify(new UserEntity.Memberships(List.of("cart-abandoners", "vip")));
  }
}

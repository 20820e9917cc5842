package io.pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.TestClock;
import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.DateReached;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.WakeUpScheduled;
import io.pulse.engine.domain.WatchesAligned;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.AudienceCondition;
import io.pulse.engine.domain.audience.AudienceCondition.TraitOperator;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.audience.RelativeTime;
import io.pulse.engine.domain.profile.Traits;
import io.pulse.engine.domain.watch.CampaignWatch;
import io.pulse.engine.domain.watch.DateWatch;
import io.pulse.engine.domain.watch.UserWatches;
import io.pulse.engine.domain.watch.WatchHit;
import io.pulse.engine.domain.watch.Watches;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserEntityTest {

  private static final String TENANT = "default";
  private static final String USER = "alice";
  private static final String ENTITY_ID = UserEntity.entityId(TENANT, USER);
  private static final ScoringModels MODELS = ScoringModels.of(ScoringModel.defaultEngagement());
  private static final UserEntitySettings SETTINGS = new UserEntitySettings(1024, 5, 2);
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private static ActorTestKit testKit;
  private static EventSourcedBehaviorTestKit<UserEntity.Command, EngagementChange, UserEngagement>
      entity;

  @BeforeAll
  static void startSystem() {
    testKit =
        ActorTestKit.create(
            "UserEntityTest",
            EngineTestConfig.resolve(
                EngineTestConfig.engine().withFallback(EventSourcedBehaviorTestKit.config())));
    entity = entityKit(ENTITY_ID);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clearJournal() {
    entity.clear();
  }

  private static EventSourcedBehaviorTestKit<UserEntity.Command, EngagementChange, UserEngagement>
      entityKit(String entityId) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        UserEntity.create(entityId, () -> MODELS, SETTINGS),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  /** A user scored under {@code definitions}, on {@code clock}. */
  private static EventSourcedBehaviorTestKit<UserEntity.Command, EngagementChange, UserEngagement>
      entityKit(String entityId, Definitions definitions, Clock clock) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        UserEntity.create(
            entityId,
            TenantModels.fixed(() -> definitions),
            SETTINGS,
            UserEntityObserver.NONE,
            clock),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  private static BehaviouralEvent event(String eventId, String type, Channel channel, int minute) {
    return event(USER, eventId, type, channel, minute, Map.of());
  }

  private static BehaviouralEvent event(
      String userId,
      String eventId,
      String type,
      Channel channel,
      int minute,
      Map<String, Object> properties) {
    return new BehaviouralEvent(
        eventId, userId, type, channel, T0.plusSeconds(60L * minute), properties);
  }

  private static BehaviouralEvent purchase(String eventId, double amount, int minute) {
    return event(USER, eventId, "purchase", Channel.WEB, minute, Map.of("amount", amount));
  }

  /** What recording one request's part wrote: the part's reply, the events and the state after. */
  private record Written(
      UserEntity.Recorded reply, List<EngagementChange> events, UserEngagement state) {
    boolean hasNoEvents() {
      return events.isEmpty();
    }
  }

  /** One part of one request, as the ingesting node sends it. */
  private static Written record(
      EventSourcedBehaviorTestKit<UserEntity.Command, EngagementChange, UserEngagement> kit,
      long correlationId,
      List<BehaviouralEvent> events) {
    CommandResultWithReply<
            UserEntity.Command, EngagementChange, UserEngagement, UserEntity.PartsRecorded>
        written =
            kit.runCommand(
                replyTo ->
                    new UserEntity.RecordParts(
                        "user", List.of(new UserEntity.Part(correlationId, events)), replyTo));
    assertEquals(1, written.reply().parts().size());
    return new Written(written.reply().parts().get(0), written.events(), written.state());
  }

  private static Written record(long correlationId, List<BehaviouralEvent> events) {
    return record(entity, correlationId, events);
  }

  @Test
  void aGroupIsPersistedInOneCommandWithItsTransitionsInOrder() {
    List<BehaviouralEvent> group =
        List.of(
            event("e-1", "email_open", Channel.EMAIL, 0),
            purchase("e-2", 20.0, 1),
            purchase("e-3", 5.0, 2));

    var result = record(41, group);

    assertEquals(new UserEntity.Recorded(41, 3, 0), result.reply());
    List<EngagementChange> changes = result.events();
    assertEquals(6, changes.size(), () -> "changes: " + changes);
    // The last change asks for a wake-up when decay would take the user out of medium.
    WakeUpScheduled wakeUp = assertInstanceOf(WakeUpScheduled.class, changes.get(5));
    assertEquals(result.state().nextSegmentChange(MODELS).orElseThrow(), wakeUp.dueAt());
    assertEquals("e-1", assertInstanceOf(ScoredEvent.class, changes.get(0)).event().eventId());
    SegmentTransition entered = assertInstanceOf(SegmentTransition.class, changes.get(1));
    assertEquals("e-2", assertInstanceOf(ScoredEvent.class, changes.get(2)).event().eventId());
    assertEquals("e-3", assertInstanceOf(ScoredEvent.class, changes.get(3)).event().eventId());
    SegmentTransition promoted = assertInstanceOf(SegmentTransition.class, changes.get(4));
    assertNull(entered.from());
    assertEquals("low", entered.to());
    assertEquals("alice:engagement:1", entered.id());
    assertEquals("low", promoted.from());
    assertEquals("medium", promoted.to());
    assertEquals("alice:engagement:2", promoted.id());
    assertEquals(TransitionCause.EVENT, promoted.cause());
    assertEquals(USER, promoted.userId());

    // The entity journals exactly what the pure domain decides, and holds the same state.
    var expected = UserEngagement.empty(USER, SETTINGS.recentEventIds()).record(group, MODELS);
    assertEquals(expected.changes(), changes.subList(0, 5));
    assertEquals(expected.state().apply(changes.get(5)), result.state());
    assertEquals(result.state(), entity.getState());
    assertEquals(3, result.state().metrics().events());
    assertEquals(2, result.state().metrics().orders());
    assertEquals(25.0, result.state().metrics().revenue());
    assertEquals("medium", result.state().scoreIn("engagement").band());
  }

  @Test
  void duplicatesInAGroupAreCountedAndNotPersisted() {
    record(
        1,
        List.of(
            event("d-1", "page_view", Channel.WEB, 0), event("d-2", "page_view", Channel.WEB, 1)));

    var result =
        record(
            2,
            List.of(
                event("d-2", "page_view", Channel.WEB, 2),
                event("d-3", "email_open", Channel.EMAIL, 3),
                event("d-1", "page_view", Channel.WEB, 4),
                event("d-4", "push_click", Channel.PUSH, 5),
                event("d-4", "push_click", Channel.PUSH, 5)));

    assertEquals(new UserEntity.Recorded(2, 2, 3), result.reply());
    List<String> persistedIds =
        result.events().stream()
            .filter(ScoredEvent.class::isInstance)
            .map(change -> ((ScoredEvent) change).event().eventId())
            .toList();
    assertEquals(List.of("d-3", "d-4"), persistedIds);
    assertEquals(4, result.state().metrics().events());
  }

  @Test
  void aGroupOfOnlyDuplicatesPersistsNothing() {
    List<BehaviouralEvent> group =
        List.of(
            event("r-1", "page_view", Channel.WEB, 0), event("r-2", "app_session", Channel.APP, 1));
    UserEngagement before = record(1, group).state();

    var retry = record(2, group);

    assertEquals(new UserEntity.Recorded(2, 0, 2), retry.reply());
    assertTrue(retry.hasNoEvents(), () -> "persisted " + retry.events());
    assertEquals(before, retry.state());
  }

  @Test
  void getEngagementRepliesTheStateWithoutPersisting() {
    UserEngagement recorded = record(1, List.of(purchase("g-1", 12.5, 0))).state();

    var result = entity.<UserEngagement>runCommand(UserEntity.GetEngagement::new);

    assertTrue(result.hasNoEvents());
    assertEquals(recorded, result.reply());
  }

  @Test
  void restartRecoversTheSameStateAndStillRecognisesRetries() {
    record(1, List.of(event("s-1", "email_open", Channel.EMAIL, 0), purchase("s-2", 40.0, 1)));
    record(2, List.of(event("s-3", "email_click", Channel.EMAIL, 2)));
    UserEngagement before = entity.getState();

    UserEngagement recovered = entity.restart().state();

    assertEquals(before, recovered);
    var retry = record(3, List.of(event("s-1", "email_open", Channel.EMAIL, 0)));
    assertEquals(new UserEntity.Recorded(3, 0, 1), retry.reply());
    assertTrue(retry.hasNoEvents());
  }

  @Test
  void recoversFromASnapshotAlone() {
    SnapshotTestKit snapshots = entity.snapshotTestKit().orElseThrow();
    String persistenceId = UserEntity.persistenceIdOf(ENTITY_ID).id();
    // Four page views and the first band: five changes, which is when a snapshot is due.
    var result =
        record(
            1,
            List.of(
                event("p-1", "page_view", Channel.WEB, 0),
                event("p-2", "page_view", Channel.WEB, 1),
                event("p-3", "page_view", Channel.WEB, 2),
                event("p-4", "page_view", Channel.WEB, 3)));
    assertEquals(5, result.events().size());
    UserEngagement state = result.state();
    snapshots.expectNextPersisted(persistenceId, state);

    // Without any journaled event left, only the snapshot can give the state back.
    entity.persistenceTestKit().clearByIdPreservingSeqNumbers(persistenceId);
    UserEngagement recovered = entity.restart().state();

    assertEquals(state, recovered);
    var retry = record(2, List.of(event("p-2", "page_view", Channel.WEB, 1)));
    assertEquals(new UserEntity.Recorded(2, 0, 1), retry.reply());
    var next = record(3, List.of(event("p-5", "page_view", Channel.WEB, 4)));
    assertEquals(new UserEntity.Recorded(3, 1, 0), next.reply());
    assertEquals(5, next.state().metrics().events());
  }

  @Test
  void transitionsAndWakeUpRequestsAreTaggedForTheirReaders() {
    var recording =
        UserEngagement.empty(USER, SETTINGS.recentEventIds())
            .record(
                List.of(
                    event("t-1", "page_view", Channel.WEB, 0),
                    event("t-2", "page_view", Channel.WEB, 1),
                    event("t-3", "purchase", Channel.APP, 2)),
                MODELS);
    List<ScoredEvent> scored =
        recording.changes().stream()
            .filter(ScoredEvent.class::isInstance)
            .map(ScoredEvent.class::cast)
            .toList();
    SegmentTransition transition = recording.transitions().get(0);

    JournalTags tags = JournalTags.of("acme");
    // the first event and purchases feed the customer aggregates; other events carry no tag
    assertEquals(Set.of(JournalTags.CUSTOMER), tags.tagsOf(scored.get(0)));
    assertEquals(Set.of(), tags.tagsOf(scored.get(1)));
    // purchases and transitions also feed the promotions, in one stream
    assertEquals(Set.of(JournalTags.CUSTOMER, JournalTags.PROMOTION), tags.tagsOf(scored.get(2)));
    // a transition feeds every tenant's live feed, and its own tenant's polling feed
    assertEquals(
        Set.of(JournalTags.TRANSITION, JournalTags.PROMOTION, "transition:acme"),
        tags.tagsOf(transition));
    assertEquals(
        Set.of(JournalTags.WAKE_UP),
        tags.tagsOf(new WakeUpScheduled(USER, transition.at().plusSeconds(60))));
    // the default tenant's transitions keep the shared tags they had before tenants existed
    assertEquals(
        Set.of(JournalTags.TRANSITION, JournalTags.PROMOTION),
        JournalTags.of("default").tagsOf(transition));
    assertEquals(JournalTags.TRANSITION, JournalTags.transitionsOf("default"));
    // stored in journals: never renamed
    assertEquals("transition", JournalTags.TRANSITION);
    assertEquals("promotion", JournalTags.PROMOTION);
    assertEquals("customer", JournalTags.CUSTOMER);
    assertEquals("wake-up", JournalTags.WAKE_UP);
  }

  @Test
  void anAudiencesTransitionsFeedThePromotionsOnlyWhileACampaignIsTriggeredByIt() {
    AudienceTransition entered =
        new AudienceTransition(
            AudienceTransition.idFor(USER, "cart-abandoners", 1),
            USER,
            "cart-abandoners",
            null,
            AudienceTransition.MEMBER,
            Instant.parse("2026-03-01T10:00:00Z"),
            TransitionCause.TIME,
            1);
    Watches triggered =
        Watches.of(
            3,
            List.of(
                new CampaignWatch(
                    Map.of(CampaignWatch.TRIGGER_AUDIENCE, "cart-abandoners"), null, null)));
    Watches eligibleOnly =
        Watches.of(
            3,
            List.of(new CampaignWatch(Map.of("eligibleAudience", "cart-abandoners"), null, null)));

    JournalTags acme = JournalTags.of("acme");
    assertEquals(
        Set.of(JournalTags.TRANSITION, JournalTags.PROMOTION, "transition:acme"),
        acme.tagsOf(entered, triggered));
    // no campaign is triggered by it: the feeds and the statistics still follow it
    assertEquals(Set.of(JournalTags.TRANSITION, "transition:acme"), acme.tagsOf(entered));
    // membership at redemption is asked of the user, not followed from the feed
    assertEquals(
        Set.of(JournalTags.TRANSITION, "transition:acme"), acme.tagsOf(entered, eligibleOnly));
    assertEquals(
        Set.of(JournalTags.TRANSITION, JournalTags.PROMOTION),
        JournalTags.of("default").tagsOf(entered, triggered));
    assertEquals(Set.of(JournalTags.TRANSITION), JournalTags.of("default").tagsOf(entered));
  }

  @Test
  void watchedEventsAndDatesReachedFeedThePromotionsAndOtherEventsStayAsTheyWere() {
    BehaviouralEvent view = event("w-1", "page_view", Channel.WEB, 0);
    BehaviouralEvent complaint = event("w-2", "support_contact", Channel.WEB, 1);
    ScoredEvent first = new ScoredEvent(view, List.of(), true, 0, null, List.of(), null);
    ScoredEvent watchedFirst =
        new ScoredEvent(
            view, List.of(), true, 0, null, List.of(), null, List.of(new WatchHit("event:a", 0)));
    ScoredEvent plain = new ScoredEvent(complaint, List.of());
    ScoredEvent watched =
        new ScoredEvent(
            complaint,
            List.of(),
            false,
            0,
            null,
            List.of(),
            null,
            List.of(new WatchHit("event:b", 2)));
    JournalTags tags = JournalTags.of("acme");

    assertEquals(Set.of(JournalTags.CUSTOMER), tags.tagsOf(first));
    assertEquals(Set.of(JournalTags.CUSTOMER, JournalTags.PROMOTION), tags.tagsOf(watchedFirst));
    assertEquals(Set.of(), tags.tagsOf(plain));
    assertEquals(Set.of(JournalTags.PROMOTION), tags.tagsOf(watched));
    assertEquals(
        Set.of(JournalTags.PROMOTION),
        tags.tagsOf(new DateReached("alice:date:d:2026", USER, "d", "birthday", "2026-03-02", T0)));
    assertEquals(
        Set.of(), tags.tagsOf(new WatchesAligned(UserWatches.NONE, T0)), "kept by the user alone");
  }

  @Test
  void aDueWakeUpReachesItsDateEvenWhenThisNodesClockIsALittleBehindTheSchedulers() {
    DateWatch birthday = new DateWatch("birthday", "09:00:00", null);
    Definitions birthdays =
        new Definitions(
            MODELS,
            Audiences.NONE,
            Watches.of(1, List.of(new CampaignWatch(Map.of(), null, birthday))));
    Instant moment = Instant.parse("2026-03-02T09:00:00Z");
    Clock behind = Clock.fixed(moment.minusMillis(40), ZoneOffset.UTC);
    EventSourcedBehaviorTestKit<UserEntity.Command, EngagementChange, UserEngagement> kit =
        entityKit(UserEntity.entityId(TENANT, "skewed"), birthdays, behind);
    kit.<StatusReply<Traits>>runCommand(
        replyTo -> new UserEntity.PatchTraits(Map.of("birthday", "1990-03-02"), replyTo));
    assertEquals(moment, kit.getState().scheduledWakeUp());

    var woken =
        kit.<StatusReply<Done>>runCommand(replyTo -> new UserEntity.WakeUp(moment, replyTo));

    assertTrue(woken.reply().isSuccess());
    DateReached reached = assertInstanceOf(DateReached.class, woken.events().get(0));
    assertEquals(moment, reached.at());
    assertEquals(
        Instant.parse("2027-03-02T09:00:00Z"),
        assertInstanceOf(WakeUpScheduled.class, woken.events().get(1)).dueAt(),
        "next year's, asked for at once");
  }

  @Test
  void aMomentThatAChangeOfTraitsBroughtIsReachedByTheNextWriteOfEvents() {
    // given a user whose first event leaves no moment for time alone in its one audience: users
    // whose trial ended more than a second ago
    Definitions trials =
        new Definitions(
            MODELS,
            Audiences.of(
                Audience.of(
                    "trial-ended",
                    "Trial ended",
                    new AudienceCondition.TraitTest(
                        "trialEnds",
                        TraitOperator.BEFORE,
                        null,
                        RelativeTime.parse("-PT1S").orElseThrow()))));
    TestClock clock = new TestClock(T0);
    EventSourcedBehaviorTestKit<UserEntity.Command, EngagementChange, UserEngagement> kit =
        entityKit(UserEntity.entityId(TENANT, "trial"), trials, clock);
    record(kit, 1, List.of(pageViewAt("t-1", T0)));

    // when a change of traits brings one, two seconds ahead, and an event comes after it
    clock.set(T0.plusSeconds(1));
    kit.<StatusReply<Traits>>runCommand(
        replyTo ->
            new UserEntity.PatchTraits(Map.of("trialEnds", T0.plusSeconds(2).toString()), replyTo));
    clock.set(T0.plusSeconds(10));
    List<EngagementChange> written =
        record(kit, 2, List.of(pageViewAt("t-2", T0.plusSeconds(10)))).events();

    // then the user entered when the moment came, by time, not at the event: the write did not
    // start from the moment the first write found for the user before its traits changed
    List<AudienceTransition> entered =
        written.stream()
            .filter(AudienceTransition.class::isInstance)
            .map(AudienceTransition.class::cast)
            .toList();
    assertEquals(1, entered.size(), written.toString());
    assertEquals(TransitionCause.TIME, entered.get(0).cause());
    assertEquals(T0.plusSeconds(3).plusMillis(1), entered.get(0).at());
  }

  private static BehaviouralEvent pageViewAt(String eventId, Instant at) {
    return new BehaviouralEvent(eventId, "trial", "page_view", Channel.WEB, at, Map.of());
  }

  @Test
  void entityIdsCarryTheTenantAndKeepUserIdsWithSeparators() {
    assertEquals("default|alice", UserEntity.entityId("default", "alice"));
    assertEquals("alice", UserEntity.userIdOf("default|alice"));
    assertEquals("a|b", UserEntity.userIdOf(UserEntity.entityId("default", "a|b")));
    assertEquals("no-tenant", UserEntity.userIdOf("no-tenant"));
    assertEquals("user|default|a|b", UserEntity.persistenceIdOf("default|a|b").id());
  }

  @Test
  void aUserIdContainingTheSeparatorIsRecordedAndRecovered() {
    String userId = "crm|42";
    var kit = entityKit(UserEntity.entityId("acme", userId));
    kit.clear();

    var result =
        record(
            kit,
            9,
            List.of(
                event(userId, "x-1", "email_open", Channel.EMAIL, 0, Map.of("campaign", "c7"))));

    assertEquals(new UserEntity.Recorded(9, 1, 0), result.reply());
    assertEquals(userId, result.state().userId());
    SegmentTransition transition =
        assertInstanceOf(SegmentTransition.class, result.events().get(1));
    assertEquals("crm|42:engagement:1", transition.id());
    assertEquals(result.state(), kit.restart().state());
  }

  @Test
  void aPartPastItsDeadlineIsAnsweredExpiredAndNotWrittenWhileALivePartIs() {
    long now = System.currentTimeMillis();
    UserEntity.Part late =
        new UserEntity.Part(
            7, List.of(event("late-1", "email_open", Channel.EMAIL, 0)), now - 1_000);
    UserEntity.Part live =
        new UserEntity.Part(
            8, List.of(event("live-1", "email_open", Channel.EMAIL, 1)), now + 60_000);

    var result =
        entity.<UserEntity.PartsRecorded>runCommand(
            replyTo -> new UserEntity.RecordParts(USER, List.of(late, live), replyTo));

    assertEquals(
        new UserEntity.PartsRecorded(
            USER,
            List.of(new UserEntity.Recorded(7, 0, 0, true), new UserEntity.Recorded(8, 1, 0))),
        result.reply());
    List<String> written =
        result.events().stream()
            .filter(ScoredEvent.class::isInstance)
            .map(change -> ((ScoredEvent) change).event().eventId())
            .toList();
    assertEquals(List.of("live-1"), written);
    assertEquals(1, result.state().metrics().events());
  }

  @Test
  void onlyExpiredPartsWriteNothing() {
    UserEntity.Part late =
        new UserEntity.Part(
            7,
            List.of(event("late-1", "email_open", Channel.EMAIL, 0)),
            System.currentTimeMillis() - 1_000);

    var result =
        entity.<UserEntity.PartsRecorded>runCommand(
            replyTo -> new UserEntity.RecordParts(USER, List.of(late), replyTo));

    assertEquals(List.of(new UserEntity.Recorded(7, 0, 0, true)), result.reply().parts());
    assertEquals(List.of(), result.events());
  }
}

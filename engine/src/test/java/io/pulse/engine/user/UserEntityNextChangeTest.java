package io.pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.TestClock;
import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.AudienceCondition;
import io.pulse.engine.domain.audience.AudienceCondition.TraitOperator;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.audience.RelativeTime;
import io.pulse.engine.domain.profile.Traits;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A write of events starts from the next change the write before found only while the user is the
 * state that write left: any other change of the user in between is searched again.
 */
class UserEntityNextChangeTest {

  private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
  private static final String ENTITY_ID = UserEntity.entityId("default", "ann");

  /** Users whose trial ended more than a second ago: a moment a trait alone brings. */
  private static final Definitions DEFINITIONS =
      new Definitions(
          ScoringModels.of(ScoringModel.defaultEngagement()),
          Audiences.of(
              Audience.of(
                  "trial-ended",
                  "Trial ended",
                  new AudienceCondition.TraitTest(
                      "trialEnds",
                      TraitOperator.BEFORE,
                      null,
                      RelativeTime.parse("-PT1S").orElseThrow()))));

  private static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit =
        ActorTestKit.create(
            "UserEntityNextChangeTest",
            EngineTestConfig.resolve(
                EngineTestConfig.engine().withFallback(EventSourcedBehaviorTestKit.config())));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @Test
  void aMomentThatAChangeOfTraitsBroughtIsReachedByTheNextWriteOfEvents() {
    // given a user whose first event leaves no moment for time alone in the audience
    TestClock clock = new TestClock(T0);
    EventSourcedBehaviorTestKit<UserEntity.Command, EngagementChange, UserEngagement> entity =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            UserEntity.create(
                ENTITY_ID,
                TenantModels.fixed(() -> DEFINITIONS),
                new UserEntitySettings(1024, 5, 2),
                UserEntityObserver.NONE,
                clock));
    record(entity, "e-1", T0);

    // when a change of traits brings one, two seconds ahead, and an event comes after it
    clock.set(T0.plusSeconds(1));
    entity.<StatusReply<Traits>>runCommand(
        replyTo ->
            new UserEntity.PatchTraits(Map.of("trialEnds", T0.plusSeconds(2).toString()), replyTo));
    clock.set(T0.plusSeconds(10));
    List<EngagementChange> written = record(entity, "e-2", T0.plusSeconds(10));

    // then the user entered when the moment came, by time, not at the event
    List<AudienceTransition> entered =
        written.stream()
            .filter(AudienceTransition.class::isInstance)
            .map(AudienceTransition.class::cast)
            .toList();
    assertEquals(1, entered.size(), written.toString());
    assertEquals(TransitionCause.TIME, entered.get(0).cause());
    assertEquals(T0.plusSeconds(3).plusMillis(1), entered.get(0).at());
  }

  private static List<EngagementChange> record(
      EventSourcedBehaviorTestKit<UserEntity.Command, EngagementChange, UserEngagement> entity,
      String eventId,
      Instant at) {
    BehaviouralEvent event =
        new BehaviouralEvent(eventId, "ann", "page_view", Channel.WEB, at, Map.of());
    return entity
        .<UserEntity.PartsRecorded>runCommand(
            replyTo ->
                new UserEntity.RecordParts(
                    "user", List.of(new UserEntity.Part(1, List.of(event))), replyTo))
        .events();
  }
}

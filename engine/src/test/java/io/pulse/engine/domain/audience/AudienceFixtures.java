package io.pulse.engine.domain.audience;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.UserEngagement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builders for the audience tests: events of one user, conditions, and definitions. */
final class AudienceFixtures {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final String USER = "ann";
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private AudienceFixtures() {}

  static BehaviouralEvent event(String type, Instant at) {
    return event(type, at, Map.of());
  }

  static BehaviouralEvent event(String type, Instant at, Map<String, Object> properties) {
    return new BehaviouralEvent(
        "a-" + SEQUENCE.incrementAndGet(), USER, type, Channel.WEB, at, properties);
  }

  static BehaviouralEvent emailOpen(Instant at) {
    return new BehaviouralEvent(
        "a-" + SEQUENCE.incrementAndGet(), USER, "email_open", Channel.EMAIL, at, Map.of());
  }

  static EventMatch type(String type) {
    return new EventMatch(type, List.of());
  }

  static NumberTest gte(double threshold) {
    return new NumberTest(NumberTest.Comparison.GTE, threshold);
  }

  static AudienceCondition window(String type, Duration within, NumberTest count) {
    return new AudienceCondition.EventWindow(type(type), within, count, -1);
  }

  static AudienceCondition cartAbandoned(Duration within) {
    return new AudienceCondition.NotFollowedBy(type("add_to_cart"), type("purchase"), within, -1);
  }

  static Definitions definitions(Audience... audiences) {
    return new Definitions(
        ScoringModels.of(ScoringModel.defaultEngagement()), Audiences.of(audiences));
  }

  static UserEngagement user() {
    return UserEngagement.empty(USER, 1000);
  }
}

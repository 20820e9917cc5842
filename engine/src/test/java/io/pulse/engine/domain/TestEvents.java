package io.pulse.engine.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builders shared by the domain tests; every event gets its own id unless one is given. */
final class TestEvents {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final String USER = "u-42";
  static final int WINDOW = 1_000;
  static final List<Band> LOW_MEDIUM_HIGH =
      List.of(new Band("low", 1, 4), new Band("medium", 4, 7), new Band("high", 7, 10));

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private TestEvents() {}

  static String nextId() {
    return "e-" + SEQUENCE.incrementAndGet();
  }

  static BehaviouralEvent event(String type, Channel channel, Instant at) {
    return new BehaviouralEvent(nextId(), USER, type, channel, at, Map.of());
  }

  static BehaviouralEvent event(
      String type, Channel channel, Instant at, Map<String, Object> properties) {
    return new BehaviouralEvent(nextId(), USER, type, channel, at, properties);
  }

  static BehaviouralEvent withId(String eventId, String type, Instant at) {
    return new BehaviouralEvent(eventId, USER, type, Channel.OTHER, at, Map.of());
  }

  static BehaviouralEvent emailOpen(Instant at) {
    return event("email_open", Channel.EMAIL, at);
  }

  static BehaviouralEvent emailClick(Instant at) {
    return event("email_click", Channel.EMAIL, at);
  }

  static BehaviouralEvent purchase(Instant at, Number amount) {
    return event("purchase", Channel.WEB, at, Map.of("amount", amount));
  }

  static BehaviouralEvent withProperties(Map<String, Object> properties) {
    return event("checkout", Channel.WEB, T0, properties);
  }

  static UserEngagement newUser() {
    return UserEngagement.empty(USER, WINDOW);
  }

  /** A model on the default scale and bands with the given half-life (null: no decay). */
  static ScoringModel model(String id, Double halfLifeDays, ScoringRule... rules) {
    return new ScoringModel(
        id,
        id,
        1,
        Arrays.asList(rules),
        halfLifeDays,
        Scale.DEFAULT,
        LOW_MEDIUM_HIGH,
        ScoringModel.DEFAULT_SATURATION_POINTS);
  }

  static ScoringModel modelWithBands(List<Band> bands) {
    return new ScoringModel(
        "banded",
        "banded",
        1,
        List.of(ScoringRule.of("page_view", null, 1)),
        30.0,
        Scale.DEFAULT,
        bands,
        ScoringModel.DEFAULT_SATURATION_POINTS);
  }

  static ScoringRule capped(String event, double points, int dailyCap) {
    return new ScoringRule(event, null, points, List.of(), dailyCap);
  }

  static ScoringRule where(String event, double points, Condition... conditions) {
    return new ScoringRule(event, null, points, List.of(conditions), null);
  }

  /** Records each event in its own group, as separate requests would. */
  static UserEngagement recordEach(
      UserEngagement state, ScoringModels models, List<BehaviouralEvent> events) {
    UserEngagement current = state;
    for (BehaviouralEvent event : events) {
      current = current.record(List.of(event), models).state();
    }
    return current;
  }

  /** Replays journaled changes from a starting state, as recovery does. */
  static UserEngagement replay(UserEngagement from, List<EngagementChange> changes) {
    UserEngagement state = from;
    for (EngagementChange change : changes) {
      state = state.apply(change);
    }
    return state;
  }

  static Instant daysBefore(Instant at, double days) {
    return at.minus(Duration.ofMillis(Math.round(days * 86_400_000)));
  }
}

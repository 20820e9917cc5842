package io.pulse.persistence.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.user.JournalTags;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.LiveTagFeed;
import io.pulse.persistence.stats.EngagementStats.HourlyCount;
import io.pulse.persistence.testing.ScriptedUser;
import io.pulse.persistence.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stats projection over the real journal: a scripted history of users, purchases (late ones and
 * repeats among them) and transitions (inactivity and a deleted model among them), across days and
 * hours, gives the hand-computed figures; a restarted projection resumes without counting anything
 * twice.
 */
class StatsProjectionTest {

  static final Instant NOW = Instant.parse("2026-11-22T12:30:00Z");
  static final Duration CATCH_UP = Duration.ofSeconds(20);

  /** Journals each user's scripted changes through a {@link ScriptedUser}. */
  private static final class Journal {
    private final ActorTestKit testKit;
    private final TestProbe<Done> durable;
    private final Map<String, ActorRef<ScriptedUser.Journal>> users = new LinkedHashMap<>();

    Journal(ActorTestKit testKit) {
      this.testKit = testKit;
      this.durable = testKit.createTestProbe();
    }

    void write(String userId, EngagementChange... changes) {
      users
          .computeIfAbsent(userId, id -> testKit.spawn(ScriptedUser.create(id)))
          .tell(new ScriptedUser.Journal(List.of(changes), durable.getRef()));
      durable.expectMessage(Duration.ofSeconds(10), Done.getInstance());
    }
  }

  private static final AtomicInteger EVENT_IDS = new AtomicInteger();

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aScriptedHistoryGivesTheHandComputedFiguresAndARestartCountsNothingTwice(DatabaseKind kind)
      throws Exception {
    try (TestDatabase database = TestDatabase.create(kind)) {
      ActorTestKit testKit = testKit("stats", database);
      try (StatsStore store = new StatsStore(database.settings(), "stats-test", 1)) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Journal journal = new Journal(testKit);
        String a = "a-" + run;
        String b = "b-" + run;
        String c = "c-" + run;
        String d = "d-" + run;
        String e = "e-" + run;
        String f = "f-" + run;
        String h = "h-" + run;

        // a: a browser who buys three times, in and out of the 365-day window; inactive in
        // "buyers" for a while; up to medium and back down by decay in "engagement".
        journal.write(
            a,
            first(a, "2025-10-01T00:00:00Z"),
            transition(a, "engagement", null, "low", "2025-10-01T00:00:00Z"),
            view(a, "2025-10-02T00:00:00Z"),
            purchase(a, "2025-11-01T10:00:00Z", 20.0, false, 1, null),
            transition(a, "buyers", null, "cold", "2025-11-01T10:00:00Z"),
            purchase(a, "2026-05-10T08:00:00Z", 30.0, false, 2, "2025-11-01T10:00:00Z"),
            inactivity(a, "buyers", "2026-08-10T10:00:00Z"),
            purchase(a, "2026-11-22T09:00:00Z", 50.0, false, 3, "2026-05-10T08:00:00Z"),
            transition(a, "buyers", "inactive", null, "2026-11-22T09:00:00Z"),
            transition(a, "buyers", "cold", "hot", "2026-11-22T09:00:00Z"),
            transition(a, "engagement", "low", "medium", "2026-11-22T09:00:00Z"),
            decay(a, "engagement", "medium", "low", "2026-11-22T11:15:00Z"));
        // b: first event a purchase, then a late one dated two days before it.
        journal.write(
            b,
            purchase(b, "2026-11-20T23:30:00Z", 100.0, true, 1, null),
            transition(b, "engagement", null, "low", "2026-11-20T23:30:00Z"),
            purchase(b, "2026-11-18T12:00:00Z", 40.0, false, 2, "2026-11-20T23:30:00Z"),
            transition(b, "engagement", "low", "medium", "2026-11-22T10:20:00Z"));
        // c: never buys; in a model that is deleted later.
        journal.write(
            c,
            first(c, "2026-11-21T13:00:00Z"),
            transition(c, "engagement", null, "low", "2026-11-21T13:00:00Z"),
            transition(c, "legacy", null, "low", "2026-11-21T13:00:00Z"));
        journal.write(
            c,
            new SegmentTransition(
                c + ":legacy:2",
                c,
                "legacy",
                "low",
                null,
                0,
                Instant.parse("2026-11-22T11:40:00Z"),
                TransitionCause.MODEL_CHANGE));
        // d: one purchase long ago, then inactive.
        journal.write(
            d,
            purchase(d, "2025-06-01T00:00:00Z", 10.0, true, 1, null),
            transition(d, "engagement", null, "low", "2025-06-01T00:00:00Z"),
            transition(d, "buyers", null, "cold", "2025-06-01T00:00:00Z"));
        journal.write(d, inactivity(d, "buyers", "2026-11-22T10:05:00Z"));
        // e: a purchase without an amount counts as an order of 0.
        journal.write(
            e,
            purchase(e, "2026-11-22T12:00:00Z", null, true, 1, null),
            transition(e, "engagement", null, "low", "2026-11-22T12:00:00Z"));
        // f: a late purchase dated a year before the first one, outside the window.
        journal.write(
            f,
            purchase(f, "2026-01-01T00:00:00Z", 15.0, true, 1, null),
            transition(f, "engagement", null, "low", "2026-01-01T00:00:00Z"),
            purchase(f, "2025-01-01T00:00:00Z", 5.0, false, 2, "2026-01-01T00:00:00Z"),
            transition(f, "engagement", "low", "medium", "2026-11-21T12:59:59Z"));
        // h: one purchase the last second before the window, one on its first day.
        journal.write(
            h,
            purchase(h, "2025-11-22T23:59:59Z", 1.0, true, 1, null),
            purchase(h, "2025-11-23T00:00:00Z", 2.0, false, 2, "2025-11-22T23:59:59Z"));

        LiveTagFeed transitions = liveTransitions(testKit);
        ActorRef<Void> projection =
            testKit.spawn(StatsProjection.create(database.settings(), transitions));
        EngagementStats stats = caughtUp(store);

        // Users a, b, c, d, e, f, h; orders 3 + 2 + 1 + 1 + 2 + 2.
        assertEquals(NOW, stats.asOf());
        assertEquals(7, stats.users());
        assertEquals(11, stats.orders());
        assertEquals(20 + 30 + 50 + 100 + 40 + 10 + 0 + 15 + 5 + 1 + 2, stats.revenue(), 1e-9);
        assertEquals(273.0 / 11, stats.averageOrderValue().getAsDouble(), 1e-9);
        // Customers a, b, d, e, f, h; more than one order: a, b, f, h.
        assertEquals(6, stats.customers());
        assertEquals(4, stats.repeatCustomers());
        assertEquals(4.0 / 6, stats.repeatPurchaseRate().getAsDouble(), 1e-9);
        // From 2025-11-23 to 2026-11-22: a 2 (May, Nov), b 2, e 1, f 1 (the late one is out),
        // h 1 (23:59:59 the day before is out); customers with a purchase then: a, b, e, f, h.
        assertEquals(7, stats.ordersInYear());
        assertEquals(5, stats.customersInYear());
        assertEquals(7.0 / 5, stats.purchaseFrequency().getAsDouble(), 1e-9);
        // legacy: c entered and left it, so it is left out.
        assertEquals(
            Map.of(
                "engagement", Map.of("low", 4L, "medium", 2L),
                "buyers", Map.of("cold", 1L, "hot", 1L, "inactive", 1L)),
            stats.segments());
        assertEquals(18, stats.transitions());
        assertEquals(
            hours(
                Map.of(
                    "2026-11-21T13:00:00Z", 2L,
                    "2026-11-22T09:00:00Z", 3L,
                    "2026-11-22T10:00:00Z", 2L,
                    "2026-11-22T11:00:00Z", 2L,
                    "2026-11-22T12:00:00Z", 1L)),
            stats.transitionsPerHour());
        assertEquals(10, stats.transitionsInHours());

        // Stopped, the projection counts nothing, and the read side says it is behind.
        testKit.stop(projection);
        String g = "g-" + run;
        journal.write(
            g,
            purchase(g, "2026-11-22T12:10:00Z", 25.0, true, 1, null),
            transition(g, "engagement", null, "low", "2026-11-22T12:10:00Z"));
        journal.write(
            a, purchase(a, "2026-11-21T08:00:00Z", 5.0, false, 4, "2026-11-22T09:00:00Z"));
        EngagementStats stopped = store.read("default", NOW);
        assertFalse(stopped.caughtUp(), stopped.readSide().toString());
        assertEquals(7, stopped.users());

        // A new projection resumes from the stored offsets: only the new events are added.
        testKit.spawn(StatsProjection.create(database.settings(), transitions));
        EngagementStats resumed = caughtUp(store);
        assertEquals(8, resumed.users());
        assertEquals(13, resumed.orders());
        assertEquals(303.0, resumed.revenue(), 1e-9);
        assertEquals(7, resumed.customers());
        assertEquals(4, resumed.repeatCustomers());
        // a's late purchase is in the window, and a's latest purchase stays on 2026-11-22.
        assertEquals(9, resumed.ordersInYear());
        assertEquals(6, resumed.customersInYear());
        assertEquals(1.5, resumed.purchaseFrequency().getAsDouble(), 1e-9);
        assertEquals(19, resumed.transitions());
        assertEquals(5L, resumed.segments().get("engagement").get("low"));
        assertEquals(2L, resumed.transitionsPerHour().get(EngagementStats.HOURS - 1).count());

        // A writer that is not where the offset says (a second projection) changes nothing.
        long customerOffset = resumed.readSide().get(0).offset();
        StatsDelta stale = new StatsDelta();
        stale.users = 1;
        assertThrows(
            SQLException.class,
            () ->
                store.record(
                    Map.of("default", stale),
                    StatsStore.CUSTOMERS.reader(),
                    OptionalLong.of(customerOffset - 1),
                    customerOffset + 1));
        assertThrows(
            SQLException.class,
            () ->
                store.record(
                    Map.of("default", stale),
                    StatsStore.CUSTOMERS.reader(),
                    OptionalLong.empty(),
                    1));
        assertEquals(8, store.read("default", NOW).users());
        assertEquals(customerOffset, store.read("default", NOW).readSide().get(0).offset());
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void countingThatFallsBehindTheLiveReadStartsOverFromItsOffsetAndCountsEachTransitionOnce(
      DatabaseKind kind) throws Exception {
    try (TestDatabase database = TestDatabase.create(kind)) {
      ActorTestKit testKit = testKit("stats-behind", database);
      try (StatsStore store = new StatsStore(database.settings(), "stats-test", 1)) {
        LiveTagFeed live = liveTransitions(testKit);
        AtomicInteger starts = new AtomicInteger();
        // One transition of room behind the live read: a burst that arrives while a batch is
        // being stored overflows it, and the counting starts over from its stored offset.
        testKit.spawn(
            StatsProjection.create(
                database.settings(),
                after -> {
                  starts.incrementAndGet();
                  return live.after(after, 1);
                }));
        Journal journal = new Journal(testKit);
        String run = UUID.randomUUID().toString().substring(0, 8);
        int users = 4;
        int perUser = 600;
        for (int user = 0; user < users; user++) {
          String userId = "u" + user + "-" + run;
          EngagementChange[] changes = new EngagementChange[perUser];
          for (int i = 0; i < perUser; i++) {
            // low, medium, low, ... : each user ends in medium (an even count of changes).
            changes[i] =
                i == 0
                    ? transition(userId, "engagement", null, "low", "2026-11-22T12:00:00Z")
                    : i % 2 == 1
                        ? transition(userId, "engagement", "low", "medium", "2026-11-22T12:00:00Z")
                        : transition(userId, "engagement", "medium", "low", "2026-11-22T12:00:00Z");
          }
          journal.write(userId, changes);
        }

        EngagementStats stats = caughtUp(store);
        assertEquals((long) users * perUser, stats.transitions());
        assertEquals(Map.of("engagement", Map.of("medium", (long) users)), stats.segments());
        assertTrue(starts.get() > 1, "the counting never fell behind: " + starts.get());
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  /** A node journaling to {@code database} whose read side polls every 50 ms. */
  private static ActorTestKit testKit(String name, TestDatabase database) {
    return ActorTestKit.create(
        name,
        database.config(
            ConfigFactory.parseString("pulse.read-journal.refresh-interval = 50ms")
                .withFallback(ConfigFactory.parseResources("engine.conf"))));
  }

  /** A live read of the transitions on {@code testKit}'s node, as the server starts one. */
  private static LiveTagFeed liveTransitions(ActorTestKit testKit) {
    return LiveTagFeed.start(
        testKit.system(),
        JournalTags.TRANSITION,
        new LiveTagFeed.Settings(
            Duration.ofMillis(50), 16, Duration.ofMillis(100), Duration.ofSeconds(1)));
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void anEmptyReadSideHasNoRatios(DatabaseKind kind) throws Exception {
    try (TestDatabase database = TestDatabase.create(kind);
        StatsStore store = new StatsStore(database.settings(), "stats-test", 1)) {
      EngagementStats stats = store.read("default", NOW);
      assertEquals(0, stats.users());
      assertTrue(stats.repeatPurchaseRate().isEmpty());
      assertTrue(stats.averageOrderValue().isEmpty());
      assertTrue(stats.purchaseFrequency().isEmpty());
      assertEquals(EngagementStats.HOURS, stats.transitionsPerHour().size());
      assertEquals(Map.of(), stats.segments());
      assertTrue(stats.caughtUp());
    }
  }

  /** Polls until both tags are read up to the journal's newest event. */
  private static EngagementStats caughtUp(StatsStore store) throws Exception {
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    EngagementStats stats = store.read("default", NOW);
    while (!stats.caughtUp() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      stats = store.read("default", NOW);
    }
    assertTrue(stats.caughtUp(), "the read side did not catch up: " + stats.readSide());
    return stats;
  }

  /** The 24 hours up to {@link #NOW}'s, with the given counts and 0 elsewhere. */
  private static List<HourlyCount> hours(Map<String, Long> counts) {
    List<HourlyCount> hours = new ArrayList<>();
    Instant first = Instant.parse("2026-11-21T13:00:00Z");
    for (int i = 0; i < EngagementStats.HOURS; i++) {
      Instant hour = first.plus(Duration.ofHours(i));
      hours.add(new HourlyCount(hour, counts.getOrDefault(hour.toString(), 0L)));
    }
    assertEquals(Instant.parse("2026-11-22T12:00:00Z"), hours.get(hours.size() - 1).hour());
    return hours;
  }

  private static ScoredEvent first(String userId, String at) {
    return new ScoredEvent(event(userId, "page_view", at, Map.of()), List.of(), true, 0, null);
  }

  /** A later event that is neither a first event nor a purchase: not tagged for the aggregates. */
  private static ScoredEvent view(String userId, String at) {
    return new ScoredEvent(event(userId, "page_view", at, Map.of()), List.of(), false, 0, null);
  }

  private static ScoredEvent purchase(
      String userId,
      String at,
      Double amount,
      boolean firstEvent,
      long ordersAfter,
      String previousPurchaseAt) {
    return new ScoredEvent(
        event(userId, "purchase", at, amount == null ? Map.of() : Map.of("amount", amount)),
        List.of(),
        firstEvent,
        ordersAfter,
        previousPurchaseAt == null ? null : Instant.parse(previousPurchaseAt));
  }

  private static BehaviouralEvent event(
      String userId, String type, String at, Map<String, Object> properties) {
    return new BehaviouralEvent(
        "e-" + EVENT_IDS.incrementAndGet(),
        userId,
        type,
        Channel.WEB,
        Instant.parse(at),
        properties);
  }

  private static SegmentTransition transition(
      String userId, String model, String from, String to, String at) {
    return segmentTransition(userId, model, from, to, at, TransitionCause.EVENT);
  }

  private static SegmentTransition decay(
      String userId, String model, String from, String to, String at) {
    return segmentTransition(userId, model, from, to, at, TransitionCause.DECAY);
  }

  private static SegmentTransition inactivity(String userId, String model, String at) {
    return segmentTransition(
        userId, model, null, SegmentTransition.INACTIVE, at, TransitionCause.INACTIVITY);
  }

  private static SegmentTransition segmentTransition(
      String userId, String model, String from, String to, String at, TransitionCause cause) {
    return new SegmentTransition(
        userId + ":" + model + ":" + EVENT_IDS.incrementAndGet(),
        userId,
        model,
        from,
        to,
        0,
        Instant.parse(at),
        cause);
  }
}

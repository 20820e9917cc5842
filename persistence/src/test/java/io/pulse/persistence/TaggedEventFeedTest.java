package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaggedEventFeedTest {

  private static final String TRANSITIONS = "transition";
  private static final String OTHER = "other";
  private static final Duration LIVE_TIMEOUT = Duration.ofSeconds(10);

  /** Persists through real tallies, one per id, each answering once its event is journaled. */
  private static final class Tallies {
    private final ActorTestKit testKit;
    private final TestProbe<Tally.State> replies;
    private final TestProbe<Tally.Observation> observer;
    private final Map<String, ActorRef<Tally.Command>> byId = new HashMap<>();

    Tallies(ActorTestKit testKit) {
      this.testKit = testKit;
      this.replies = testKit.createTestProbe();
      this.observer = testKit.createTestProbe();
    }

    void add(String id, String tag, long amount) {
      byId.computeIfAbsent(id, key -> testKit.spawn(Tally.create(key, tag, observer.getRef())))
          .tell(new Tally.Add(amount, replies.getRef()));
      replies.receiveMessage();
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void pagesReturnTaggedEventsInOffsetOrderAfterAnExclusiveOffset(DatabaseKind kind)
      throws Exception {
    try (TestDatabase database = TestDatabase.create(kind)) {
      ActorTestKit testKit = ActorTestKit.create("feed", database.config());
      try {
        TaggedEventFeed feed = new TaggedEventFeed(testKit.system());
        Tallies tallies = new Tallies(testKit);
        tallies.add("a", TRANSITIONS, 1);
        tallies.add("c", OTHER, 10);
        tallies.add("b", TRANSITIONS, 2);
        tallies.add("a", TRANSITIONS, 3);
        tallies.add("b", TRANSITIONS, 4);

        List<EventEnvelope> all = page(feed, TRANSITIONS, 0, 100);
        assertEquals(List.of(1L, 2L, 3L, 4L), amounts(all));
        assertEquals(
            List.of("Tally|a", "Tally|b", "Tally|a", "Tally|b"),
            all.stream().map(EventEnvelope::persistenceId).toList());
        List<Long> offsets = all.stream().map(TaggedEventFeed::offsetOf).toList();
        for (int i = 1; i < offsets.size(); i++) {
          assertTrue(offsets.get(i - 1) < offsets.get(i), "offsets ascend: " + offsets);
        }

        assertEquals(List.of(3L, 4L), amounts(page(feed, TRANSITIONS, offsets.get(1), 100)));
        assertEquals(List.of(1L, 2L), amounts(page(feed, TRANSITIONS, 0, 2)));
        assertEquals(List.of(3L), amounts(page(feed, TRANSITIONS, offsets.get(1), 1)));
        assertEquals(List.of(), page(feed, TRANSITIONS, offsets.get(3), 100));

        List<EventEnvelope> other = page(feed, OTHER, 0, 100);
        assertEquals(List.of(10L), amounts(other));
        // Offsets are global journal positions, so an offset from another tag resumes correctly.
        assertEquals(
            List.of(2L, 3L, 4L),
            amounts(page(feed, TRANSITIONS, TaggedEventFeed.offsetOf(other.get(0)), 100)));

        assertThrows(IllegalArgumentException.class, () -> feed.page(TRANSITIONS, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> feed.page(TRANSITIONS, -1, 10));
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void liveDeliversStoredEventsThenEventsPersistedAfterItStarted(DatabaseKind kind) {
    try (TestDatabase database = TestDatabase.create(kind)) {
      ActorTestKit testKit = ActorTestKit.create("live", database.config());
      try {
        TaggedEventFeed feed = new TaggedEventFeed(testKit.system());
        Tallies tallies = new Tallies(testKit);
        tallies.add("a", TRANSITIONS, 1);
        TestProbe<EventEnvelope> received = testKit.createTestProbe();
        UniqueKillSwitch subscription =
            feed.live(TRANSITIONS, 0)
                .viaMat(KillSwitches.single(), Keep.right())
                .toMat(Sink.foreach(envelope -> received.getRef().tell(envelope)), Keep.left())
                .run(testKit.system());
        try {
          EventEnvelope stored = received.expectMessageClass(EventEnvelope.class, LIVE_TIMEOUT);
          assertEquals(new Tally.Added(1), stored.event());

          tallies.add("c", OTHER, 10);
          tallies.add("b", TRANSITIONS, 2);

          EventEnvelope persistedLater =
              received.expectMessageClass(EventEnvelope.class, LIVE_TIMEOUT);
          assertEquals(new Tally.Added(2), persistedLater.event());
          assertEquals("Tally|b", persistedLater.persistenceId());
          assertTrue(
              TaggedEventFeed.offsetOf(persistedLater) > TaggedEventFeed.offsetOf(stored),
              "offsets ascend");
        } finally {
          subscription.shutdown();
        }
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  private static List<EventEnvelope> page(
      TaggedEventFeed feed, String tag, long afterOffset, int limit) throws Exception {
    return feed.page(tag, afterOffset, limit).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static List<Long> amounts(List<EventEnvelope> envelopes) {
    return envelopes.stream().map(envelope -> ((Tally.Added) envelope.event()).amount()).toList();
  }
}

package io.pulse.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.user.JournalTags;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.TaggedEventBacklog;
import io.pulse.persistence.TaggedEventFeed;
import io.pulse.persistence.testing.ScriptedUser;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * The lag of this node's live read of transitions is what is stored after the offset up to which
 * that read has published, measured without a read of its own.
 */
class ReadSideLagTest {

  @Test
  void theLiveReadsLagIsWhatIsStoredAfterTheOffsetItHasPublishedUpTo() throws Exception {
    try (TestDatabase database = TestDatabase.create(DatabaseKind.H2)) {
      ActorTestKit testKit =
          ActorTestKit.create(
              "read-side-lag",
              database.config(ConfigFactory.parseString("pekko.fail-mixed-versions = off")));
      try (TaggedEventBacklog backlog = new TaggedEventBacklog(database.settings())) {
        TestProbe<Done> durable = testKit.createTestProbe();
        ActorRef<ScriptedUser.Journal> writer = testKit.spawn(ScriptedUser.create("lagging"));
        writer.tell(
            new ScriptedUser.Journal(
                List.of(transition(1), transition(2), transition(3)), durable.getRef()));
        durable.expectMessage(Duration.ofSeconds(10), Done.getInstance());
        List<Long> offsets =
            new TaggedEventFeed(testKit.system())
                    .page(JournalTags.TRANSITION, 0, 10)
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .stream()
                    .map(TaggedEventFeed::offsetOf)
                    .toList();
        assertEquals(3, offsets.size());

        AtomicLong published = new AtomicLong(-1);
        MeterRegistry registry = new SimpleMeterRegistry();
        ReadSideLag lag = new ReadSideLag(testKit.system(), published::get, backlog, registry);

        // Not started yet: what is stored after the journal's end at the first measurement is late.
        lag.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(0, liveLag(registry));
        writer.tell(new ScriptedUser.Journal(List.of(transition(4)), durable.getRef()));
        durable.expectMessage(Duration.ofSeconds(10), Done.getInstance());
        lag.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, liveLag(registry));

        published.set(0);
        lag.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(4, liveLag(registry));
        assertEquals(4, registry.get("pulse.read.side.lag.transitions").gauge().value());
        assertTrue(liveLagSeconds(registry) >= 0);

        published.set(offsets.get(1));
        lag.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(2, liveLag(registry));

        published.set(Long.MAX_VALUE / 2);
        lag.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(0, liveLag(registry));
        assertEquals(0, liveLagSeconds(registry));
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  private static double liveLag(MeterRegistry registry) {
    return liveGauge(registry, "pulse.read.side.lag.events");
  }

  private static double liveLagSeconds(MeterRegistry registry) {
    return liveGauge(registry, "pulse.read.side.lag");
  }

  private static double liveGauge(MeterRegistry registry, String name) {
    return registry
        .get(name)
        .tags("reader", ReadSideLag.LIVE_FEED, "tag", JournalTags.TRANSITION)
        .gauge()
        .value();
  }

  private static SegmentTransition transition(int count) {
    return new SegmentTransition(
        "lagging:engagement:" + count,
        "lagging",
        "engagement",
        count == 1 ? null : "low",
        "low",
        0,
        Instant.parse("2026-12-06T12:00:00Z"),
        TransitionCause.EVENT);
  }
}

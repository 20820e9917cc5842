package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Consumers of the shared live feed get every event after their offset once and in order, however
 * their start interleaves with writes, and a consumer that does not keep up is cut off with the
 * offset to resume from instead of holding the others back.
 */
class LiveTagFeedTest {

  private static final String TAG = "transition";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private TestDatabase database;
  private ActorTestKit testKit;
  private TestProbe<Tally.State> replies;
  private final List<UniqueKillSwitch> streams = new ArrayList<>();

  @BeforeEach
  void start() {
    database = TestDatabase.create(DatabaseKind.H2);
    testKit =
        ActorTestKit.create(
            "LiveTagFeedTest",
            database.config(
                ConfigFactory.parseMap(Map.of("pulse.read-journal.refresh-interval", "50ms"))));
    replies = testKit.createTestProbe();
  }

  @AfterEach
  void stop() {
    streams.forEach(UniqueKillSwitch::shutdown);
    testKit.shutdownTestKit();
    database.close();
  }

  private LiveTagFeed feed(int hubBuffer) {
    return LiveTagFeed.start(
        testKit.system(),
        TAG,
        new LiveTagFeed.Settings(
            Duration.ofMillis(50), hubBuffer, Duration.ofMillis(100), Duration.ofSeconds(1)));
  }

  /** Persists amounts 1..n through one tally, each acknowledged once journaled. */
  private void write(ActorRef<Tally.Command> tally, int from, int to) {
    for (int amount = from; amount <= to; amount++) {
      tally.tell(new Tally.Add(amount, replies.getRef()));
      replies.receiveMessage(WAIT);
    }
  }

  private ActorRef<Tally.Command> tally(String id) {
    return testKit.spawn(
        Tally.create(id, TAG, testKit.<Tally.Observation>createTestProbe().getRef()));
  }

  private CopyOnWriteArrayList<EventEnvelope> consume(LiveTagFeed feed, long after, int buffer) {
    CopyOnWriteArrayList<EventEnvelope> received = new CopyOnWriteArrayList<>();
    streams.add(
        feed.after(after, buffer)
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.foreach(received::add), Keep.left())
            .run(testKit.system()));
    return received;
  }

  private static List<Long> amounts(List<EventEnvelope> envelopes) {
    return envelopes.stream().map(envelope -> ((Tally.Added) envelope.event()).amount()).toList();
  }

  private static List<Long> range(long from, long to) {
    List<Long> values = new ArrayList<>();
    for (long value = from; value <= to; value++) {
      values.add(value);
    }
    return values;
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void everyConsumerGetsEveryEventAfterItsOffsetOnceAndInOrderWhileEventsKeepComing()
      throws Exception {
    // given history before the feed starts
    ActorRef<Tally.Command> tally = tally("a");
    write(tally, 1, 20);
    LiveTagFeed feed = feed(16);
    long head = feed.head().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(head >= 20, "head " + head);

    // when consumers attach from the start, from the middle, and at the head while writes go on
    CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> write(tally, 21, 120));
    List<EventEnvelope> fromStart = consume(feed, 0, 1000);
    Thread.sleep(150);
    List<EventEnvelope> fromMiddle = consume(feed, offsetOfAmount(fromStart, 10), 1000);
    Thread.sleep(150);
    List<EventEnvelope> fromHead = consume(feed, head, 1000);
    writes.get(60, TimeUnit.SECONDS);
    List<EventEnvelope> late = consume(feed, 0, 1000);

    // then
    await("all events at every consumer", () -> fromStart.size() >= 120 && late.size() >= 120);
    await("the middle consumer", () -> fromMiddle.size() >= 110);
    await("the head consumer", () -> fromHead.size() >= 100);
    Thread.sleep(300);
    assertEquals(range(1, 120), amounts(fromStart));
    assertEquals(range(11, 120), amounts(fromMiddle));
    assertEquals(range(21, 120), amounts(fromHead));
    assertEquals(range(1, 120), amounts(late));
  }

  private static long offsetOfAmount(List<EventEnvelope> envelopes, long amount)
      throws InterruptedException {
    await("amount " + amount, () -> amounts(envelopes).contains(amount));
    return envelopes.stream()
        .filter(envelope -> ((Tally.Added) envelope.event()).amount() == amount)
        .map(TaggedEventFeed::offsetOf)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aConsumerThatDoesNotKeepUpIsCutOffWithTheOffsetToResumeFromAndHoldsNobodyBack()
      throws Exception {
    LiveTagFeed feed = feed(16);
    ActorRef<Tally.Command> tally = tally("b");
    write(tally, 1, 1);
    await("the live read to start", () -> feed.head().toCompletableFuture().join() >= 1);

    // a fast consumer, and a slow one that stops after its first event, with room for 4 more
    List<EventEnvelope> fast = consume(feed, 0, 1000);
    CompletableFuture<Done> gate = new CompletableFuture<>();
    List<EventEnvelope> slow = new CopyOnWriteArrayList<>();
    CompletionStage<Done> slowEnd =
        feed.after(0, 4)
            .mapAsync(
                1,
                envelope -> {
                  slow.add(envelope);
                  return gate.thenApply(open -> envelope);
                })
            .runWith(Sink.ignore(), testKit.system());
    await("both consumers to have the first event", () -> fast.size() == 1 && slow.size() == 1);

    // when far more events than the slow consumer's room arrive
    write(tally, 2, 80);

    // then the fast consumer has them all while the slow one is still stuck
    await("the fast consumer", () -> fast.size() >= 80);
    assertEquals(range(1, 80), amounts(fast));
    Throwable failure =
        slowEnd.toCompletableFuture().handle((done, error) -> error).get(20, TimeUnit.SECONDS);
    FellBehindException fellBehind =
        assertInstanceOf(
            FellBehindException.class,
            failure instanceof java.util.concurrent.CompletionException
                ? failure.getCause()
                : failure);
    List<Long> seenBySlow = amounts(slow);
    assertEquals(TaggedEventFeed.offsetOf(slow.get(slow.size() - 1)), fellBehind.resumeAfter());

    // and resuming from the offset it was given yields exactly the rest
    gate.complete(Done.getInstance());
    List<EventEnvelope> resumed = consume(feed, fellBehind.resumeAfter(), 1000);
    await("the rest", () -> seenBySlow.size() + resumed.size() >= 80);
    Thread.sleep(200);
    List<Long> all = new ArrayList<>(seenBySlow);
    all.addAll(amounts(resumed));
    assertEquals(range(1, 80), all);
  }
}

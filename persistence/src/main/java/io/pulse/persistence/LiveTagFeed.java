package io.pulse.persistence;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import scala.jdk.javaapi.FutureConverters;

/**
 * Events with one tag, for many consumers at once, each resumable from its own offset, with one
 * live query of the journal per node however many consumers there are.
 *
 * <p>A single events-by-tag stream, started at the journal's head, feeds a {@link BroadcastHub}
 * that is always drained. A consumer first reads the events it is behind from the journal ({@code
 * currentEventsByTag}, at its own pace), then attaches to the hub; once the hub has shown it an
 * element, it reads from the journal once more up to the head, which covers whatever the hub
 * published before it attached, and then follows the hub, dropping what it has already seen. So it
 * gets every event after its offset, in offset order, once.
 *
 * <p>Each consumer has its own bounded buffer behind the hub, so that a slow consumer never holds
 * the hub (and every other consumer) back: when its buffer overflows, its stream fails with a
 * {@link FellBehindException} that names the offset of the last event it was given, to resume from.
 */
public final class LiveTagFeed {

  /** Tuning of the shared live stream. */
  public record Settings(
      Duration markInterval, int hubBufferSize, Duration minRestart, Duration maxRestart) {

    public Settings {
      Objects.requireNonNull(markInterval, "markInterval");
      Objects.requireNonNull(minRestart, "minRestart");
      Objects.requireNonNull(maxRestart, "maxRestart");
      if (Integer.bitCount(hubBufferSize) != 1) {
        throw new IllegalArgumentException(
            "the hub buffer size must be a power of two; got " + hubBufferSize);
      }
    }
  }

  /**
   * An event of the live stream, or (envelope null) a mark that shows a consumer it is attached.
   */
  private record Item(EventEnvelope envelope) {}

  private static final Item MARK = new Item(null);

  private final ActorSystem<?> system;
  private final String tag;
  private final JdbcReadJournal readJournal;
  private final org.apache.pekko.persistence.jdbc.query.scaladsl.JdbcReadJournal scalaReadJournal;
  private final AtomicLong hubPosition = new AtomicLong(-1);
  private final Source<Item, NotUsed> hub;

  private LiveTagFeed(ActorSystem<?> system, String tag, Settings settings) {
    this.system = system;
    this.tag = tag;
    PersistenceQuery query = PersistenceQuery.get(system);
    this.readJournal = query.getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    this.scalaReadJournal =
        query.<org.apache.pekko.persistence.jdbc.query.scaladsl.JdbcReadJournal>readJournalFor(
            JdbcReadJournal.Identifier());
    RestartSettings restart =
        RestartSettings.create(settings.minRestart(), settings.maxRestart(), 0.2);
    Source<Item, NotUsed> live =
        JournalStreams.restarting(
            system,
            "The live read of " + tag,
            restart,
            () ->
                Source.completionStageSource(startOfLiveRead().thenApply(this::liveAfter))
                    .map(this::recordPosition));
    // No mark before the live read knows where it starts: a consumer shown a mark closes its gap
    // from the journal up to the journal's end at that moment, which must not fall short of where
    // the live read starts, or what lies between would be shown to it by neither.
    Source<Item, NotUsed> marked =
        live.merge(
            Source.tick(settings.markInterval(), settings.markInterval(), MARK)
                .filter(mark -> hubPosition.get() >= 0));
    this.hub =
        marked
            .toMat(BroadcastHub.of(Item.class, settings.hubBufferSize()), Keep.right())
            .run(system);
    // Always drained, so that the live read never waits for consumers, nor replays to them
    // what it buffered while there were none.
    hub.runWith(Sink.ignore(), system);
  }

  /** Starts the shared live read of {@code tag} on this node. */
  public static LiveTagFeed start(ActorSystem<?> system, String tag, Settings settings) {
    return new LiveTagFeed(system, tag, settings);
  }

  /**
   * Every event with the tag after {@code afterOffset} (exclusive), in offset order, then each new
   * one as it is persisted. Fails with {@link FellBehindException} when the consumer is more than
   * {@code bufferSize} live events behind.
   */
  public Source<EventEnvelope, NotUsed> after(long afterOffset, int bufferSize) {
    if (afterOffset < 0) {
      throw new IllegalArgumentException("afterOffset must not be negative; got " + afterOffset);
    }
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be positive; got " + bufferSize);
    }
    return Source.lazySource(() -> consumer(afterOffset, bufferSize))
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  /** The tag this feed reads. */
  public String tag() {
    return tag;
  }

  /**
   * The journal offset up to which the shared live read has published every event with the tag; -1
   * until it has found where to start. What is stored after it is what this node's consumers have
   * not been shown yet.
   */
  public long position() {
    return hubPosition.get();
  }

  /** The offset of the newest journal entry (of any tag); 0 for an empty journal. */
  public CompletionStage<Long> head() {
    return FutureConverters.asJava(scalaReadJournal.readJournalDao().maxJournalSequence())
        .thenApply(max -> (Long) max);
  }

  private Source<EventEnvelope, NotUsed> consumer(long afterOffset, int bufferSize) {
    // Only touched by this consumer's stream, and by the gap query once the history is read.
    AtomicLong position = new AtomicLong(afterOffset);
    Source<EventEnvelope, NotUsed> attached =
        Source.lazySource(() -> attach(position, bufferSize))
            .mapMaterializedValue(ignored -> NotUsed.getInstance());
    return current(afterOffset)
        .concatLazy(attached)
        .filter(envelope -> TaggedEventFeed.offsetOf(envelope) > position.get())
        .map(
            envelope -> {
              position.set(TaggedEventFeed.offsetOf(envelope));
              return envelope;
            })
        .mapError(
            BufferOverflowException.class, overflow -> new FellBehindException(position.get()));
  }

  private Source<EventEnvelope, NotUsed> attach(AtomicLong position, int bufferSize) {
    CompletableFuture<Done> registered = new CompletableFuture<>();
    Source<EventEnvelope, NotUsed> live =
        hub.map(
                item -> {
                  registered.complete(Done.getInstance());
                  return item;
                })
            .filter(item -> item.envelope() != null)
            .map(Item::envelope)
            // Expected of a slow consumer, and reported to it: no error log.
            .buffer(bufferSize, OverflowStrategy.fail().withLogLevel(Logging.DebugLevel()));
    // Everything the hub published before this consumer attached is in the journal by the time
    // the hub shows it its first element; read it from there.
    Source<EventEnvelope, NotUsed> gap =
        Source.completionStageSource(registered.thenApply(done -> current(position.get())))
            .mapMaterializedValue(ignored -> NotUsed.getInstance());
    // concat materializes both sides at once, so the hub fills the buffer during the gap query.
    return gap.concat(live);
  }

  private Source<EventEnvelope, NotUsed> current(long afterOffset) {
    return readJournal.currentEventsByTag(tag, Offset.sequence(afterOffset));
  }

  private CompletionStage<Long> startOfLiveRead() {
    long known = hubPosition.get();
    if (known >= 0) {
      return CompletableFuture.completedFuture(known);
    }
    return head()
        .thenApply(
            head -> {
              hubPosition.compareAndSet(-1, head);
              return hubPosition.get();
            });
  }

  private Source<EventEnvelope, NotUsed> liveAfter(long offset) {
    return readJournal.eventsByTag(tag, Offset.sequence(offset));
  }

  private Item recordPosition(EventEnvelope envelope) {
    hubPosition.set(TaggedEventFeed.offsetOf(envelope));
    return new Item(envelope);
  }

  @Override
  public String toString() {
    return "LiveTagFeed[" + tag + " on " + system.name() + "]";
  }
}

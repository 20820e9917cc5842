package io.pulse.persistence;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Tagged journal events in journal order, resumable from an offset a client remembers: the offset
 * is the journal's {@code ordering} column, and {@code afterOffset} is exclusive, so a client
 * passes the offset of the last event it has seen (0 to start from the beginning).
 */
public final class TaggedEventFeed {

  private final ActorSystem<?> system;
  private final JdbcReadJournal readJournal;

  public TaggedEventFeed(ActorSystem<?> system) {
    this.system = system;
    this.readJournal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /**
   * Up to {@code limit} events stored now with {@code tag} and an offset above {@code afterOffset}.
   */
  public CompletionStage<List<EventEnvelope>> page(String tag, long afterOffset, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1; got " + limit);
    }
    return readJournal
        .currentEventsByTag(tag, offset(afterOffset))
        .take(limit)
        .runWith(Sink.seq(), system);
  }

  /** Events with {@code tag} after {@code afterOffset}, then each new one as it is persisted. */
  public Source<EventEnvelope, NotUsed> live(String tag, long afterOffset) {
    return readJournal.eventsByTag(tag, offset(afterOffset));
  }

  /** The journal offset of an envelope from this feed, to hand back as {@code afterOffset}. */
  public static long offsetOf(EventEnvelope envelope) {
    if (envelope.offset() instanceof Sequence sequence) {
      return sequence.value();
    }
    throw new IllegalArgumentException("Not a JDBC journal offset: " + envelope.offset());
  }

  private static Offset offset(long afterOffset) {
    if (afterOffset < 0) {
      throw new IllegalArgumentException("afterOffset must not be negative; got " + afterOffset);
    }
    // The JDBC read journal's Sequence offset is already exclusive (it reads ordering > offset).
    return Offset.sequence(afterOffset);
  }
}

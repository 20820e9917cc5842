package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.query.scaladsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import scala.Tuple3;
import scala.collection.immutable.Set;
import scala.util.Try;

/**
 * The journal's own write and tag-read paths ({@code io.pulse.persistence.journal}) store and find
 * exactly what the plugin's would: one journal row per event, one tag row per tag pointing at its
 * own event, and events by tag within an exclusive lower and inclusive upper ordering bound.
 */
class JournalDaoTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int TALLIES_PER_KIND = 30;
  private static final int ADDS_PER_TALLY = 5;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void concurrentWritesOfTaggedAndUntaggedEventsGetOneTagRowPerTaggedEvent(DatabaseKind kind)
      throws Exception {
    try (TestDatabase database = TestDatabase.create(kind)) {
      ActorTestKit testKit = ActorTestKit.create("journal-dao", database.config());
      try {
        TestProbe<Tally.State> replies = testKit.createTestProbe();
        TestProbe<Tally.Observation> observer = testKit.createTestProbe();
        List<ActorRef<Tally.Command>> tallies = new ArrayList<>();
        for (int i = 0; i < TALLIES_PER_KIND; i++) {
          tallies.add(testKit.spawn(Tally.create("even-" + i, "even", observer.getRef())));
          tallies.add(testKit.spawn(Tally.create("odd-" + i, "odd", observer.getRef())));
          tallies.add(testKit.spawn(Tally.create("plain-" + i, "", observer.getRef())));
        }

        // All at once, so that the journal writes events of many tallies and tags per batch.
        for (int round = 1; round <= ADDS_PER_TALLY; round++) {
          for (ActorRef<Tally.Command> tally : tallies) {
            tally.tell(new Tally.Add(round, replies.getRef()));
          }
        }
        replies.receiveSeveralMessages(tallies.size() * ADDS_PER_TALLY, TIMEOUT);

        long perKind = (long) TALLIES_PER_KIND * ADDS_PER_TALLY;
        assertEquals(
            3 * perKind, JournalTables.number(database, "SELECT count(*) FROM event_journal"));
        assertEquals(2 * perKind, JournalTables.number(database, "SELECT count(*) FROM event_tag"));
        for (String tag : List.of("even", "odd")) {
          assertEquals(
              perKind,
              JournalTables.number(
                  database,
                  "SELECT count(*) FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"
                      + " WHERE t.tag = ? AND j.persistence_id LIKE ?",
                  tag,
                  "Tally|" + tag + "-%"),
              "every " + tag + " tag row points at an event of a tally tagged " + tag);
        }

        JdbcReadJournal readJournal = readJournal(testKit);
        List<PersistentRepr> even =
            eventsByTag(testKit, readJournal, "even", 0, Long.MAX_VALUE, 1000);
        assertEquals(perKind, even.size());
        for (PersistentRepr event : even) {
          assertEquals(
              true, event.persistenceId().startsWith("Tally|even-"), event.persistenceId());
        }
        long highest = JournalTables.number(database, "SELECT max(ordering) FROM event_journal");
        assertEquals(
            0,
            eventsByTag(testKit, readJournal, "plain", 0, highest, 1000).size(),
            "untagged events have no tag rows");
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void eventsByTagReadsAfterTheOffsetUpToTheBoundAndAtMostTheLimit(DatabaseKind kind)
      throws Exception {
    try (TestDatabase database = TestDatabase.create(kind)) {
      ActorTestKit testKit = ActorTestKit.create("journal-dao-read", database.config());
      try {
        TestProbe<Tally.State> replies = testKit.createTestProbe();
        TestProbe<Tally.Observation> observer = testKit.createTestProbe();
        ActorRef<Tally.Command> tagged = testKit.spawn(Tally.create("t", "t", observer.getRef()));
        ActorRef<Tally.Command> other = testKit.spawn(Tally.create("o", "o", observer.getRef()));
        for (int i = 1; i <= 6; i++) {
          tagged.tell(new Tally.Add(i, replies.getRef()));
          replies.receiveMessage(TIMEOUT);
          other.tell(new Tally.Add(100 + i, replies.getRef()));
          replies.receiveMessage(TIMEOUT);
        }
        JdbcReadJournal readJournal = readJournal(testKit);
        List<Long> orderings = orderingsOfTag(database, "t");
        assertEquals(6, orderings.size());

        assertEquals(
            List.of(1L, 2L, 3L, 4L, 5L, 6L),
            amounts(eventsByTag(testKit, readJournal, "t", 0, Long.MAX_VALUE, 100)));
        assertEquals(
            List.of(3L, 4L),
            amounts(
                eventsByTag(testKit, readJournal, "t", orderings.get(1), orderings.get(3), 100)),
            "the lower bound is exclusive and the upper bound inclusive");
        assertEquals(
            List.of(3L, 4L, 5L),
            amounts(eventsByTag(testKit, readJournal, "t", orderings.get(1), Long.MAX_VALUE, 3)));
        assertEquals(
            List.of(),
            amounts(eventsByTag(testKit, readJournal, "t", orderings.get(5), Long.MAX_VALUE, 100)));
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void entitiesStartingTogetherEachRecoverTheirOwnLatestSnapshotAndTheEventsAfterIt(
      DatabaseKind kind) throws Exception {
    int tallies = 60;
    try (TestDatabase database = TestDatabase.create(kind)) {
      // given tallies with 0 to 7 events each, so none, one or two snapshots (every 3 events)
      ActorTestKit writer = ActorTestKit.create("recovery-writer", database.config());
      try {
        TestProbe<Tally.State> replies = writer.createTestProbe();
        TestProbe<Tally.Observation> observer = writer.createTestProbe();
        for (int i = 0; i < tallies; i++) {
          ActorRef<Tally.Command> tally =
              writer.spawn(Tally.create("r-" + i, "r", observer.getRef()));
          for (int amount = 1; amount <= i % 8; amount++) {
            tally.tell(new Tally.Add(amount, replies.getRef()));
          }
        }
        int events = 0;
        long snapshots = 0;
        for (int i = 0; i < tallies; i++) {
          events += i % 8;
          snapshots += (i % 8) / Tally.SNAPSHOT_EVERY;
        }
        replies.receiveSeveralMessages(events, TIMEOUT);
        long expectedSnapshots = snapshots;
        awaitCount(database, "SELECT count(*) FROM snapshot", expectedSnapshots);
      } finally {
        writer.shutdownTestKit();
      }

      // when they all start at once in a new actor system
      ActorTestKit reader = ActorTestKit.create("recovery-reader", database.config());
      try {
        List<TestProbe<Tally.Observation>> observers = new ArrayList<>();
        for (int i = 0; i < tallies; i++) {
          TestProbe<Tally.Observation> observer = reader.createTestProbe();
          observers.add(observer);
          reader.spawn(Tally.create("r-" + i, "r", observer.getRef()));
        }

        // then each recovers its own total from its latest snapshot and the events after it
        for (int i = 0; i < tallies; i++) {
          int n = i % 8;
          observers
              .get(i)
              .expectMessage(
                  TIMEOUT,
                  new Tally.Recovered(
                      new Tally.State((long) n * (n + 1) / 2, n), n % Tally.SNAPSHOT_EVERY));
        }
      } finally {
        reader.shutdownTestKit();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void idsAndTagsThatAnArrayLiteralWouldHaveToEscapeAreStoredFoundAndRecoveredAsGiven(
      DatabaseKind kind) throws Exception {
    // The journal's rows go to PostgreSQL as arrays, one per column: quotes, backslashes,
    // commas, braces, spaces, the word NULL and characters beyond ASCII must come back unchanged.
    List<String> ids =
        List.of(
            "quote\"d",
            "back\\slash",
            "com,ma",
            "{braced}",
            "NULL",
            " spaced ",
            "\u00e9\u20ac\ud83d\ude00");
    String tag = "t\"a,g\\{} NULL";
    try (TestDatabase database = TestDatabase.create(kind)) {
      ActorTestKit writer = ActorTestKit.create("journal-dao-escapes", database.config());
      try {
        TestProbe<Tally.State> replies = writer.createTestProbe();
        TestProbe<Tally.Observation> observer = writer.createTestProbe();
        for (String id : ids) {
          ActorRef<Tally.Command> tally = writer.spawn(Tally.create(id, tag, observer.getRef()));
          for (int amount = 1; amount <= 4; amount++) {
            tally.tell(new Tally.Add(amount, replies.getRef()));
          }
        }
        replies.receiveSeveralMessages(4 * ids.size(), TIMEOUT);
        // A snapshot after the third event each, so that recovery looks the snapshots up by id.
        awaitCount(database, "SELECT count(*) FROM snapshot", ids.size());

        for (String id : ids) {
          assertEquals(
              4,
              JournalTables.number(
                  database,
                  "SELECT count(*) FROM event_journal WHERE persistence_id = ?",
                  "Tally|" + id),
              "the rows of " + id);
        }
        List<PersistentRepr> tagged =
            eventsByTag(writer, readJournal(writer), tag, 0, Long.MAX_VALUE, 1000);
        assertEquals(4 * ids.size(), tagged.size(), "every event is found by its tag");
        for (String id : ids) {
          assertEquals(
              4,
              tagged.stream().filter(event -> event.persistenceId().equals("Tally|" + id)).count(),
              "the tagged events of " + id);
        }
      } finally {
        writer.shutdownTestKit();
      }

      ActorTestKit reader = ActorTestKit.create("journal-dao-escapes-reader", database.config());
      try {
        for (String id : ids) {
          TestProbe<Tally.Observation> observer = reader.createTestProbe();
          reader.spawn(Tally.create(id, tag, observer.getRef()));
          // From its snapshot (found by the id) and the one event after it (found by the
          // highest sequence number looked up by the id).
          observer.expectMessage(TIMEOUT, new Tally.Recovered(new Tally.State(10, 4), 1));
        }
      } finally {
        reader.shutdownTestKit();
      }
    }
  }

  private static void awaitCount(TestDatabase database, String sql, long expected)
      throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    long count = JournalTables.number(database, sql);
    while (count != expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
      count = JournalTables.number(database, sql);
    }
    assertEquals(expected, count, sql);
  }

  private static JdbcReadJournal readJournal(ActorTestKit testKit) {
    return PersistenceQuery.get(testKit.system())
        .<JdbcReadJournal>readJournalFor(JdbcReadJournal.Identifier());
  }

  private static List<PersistentRepr> eventsByTag(
      ActorTestKit testKit,
      JdbcReadJournal readJournal,
      String tag,
      long afterOffset,
      long upTo,
      long limit)
      throws Exception {
    List<Try<Tuple3<PersistentRepr, Set<String>, Object>>> rows =
        readJournal
            .readJournalDao()
            .eventsByTag(tag, afterOffset, upTo, limit)
            .asJava()
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    List<PersistentRepr> events = new ArrayList<>();
    for (Try<Tuple3<PersistentRepr, Set<String>, Object>> row : rows) {
      events.add(row.get()._1());
    }
    return events;
  }

  private static List<Long> amounts(List<PersistentRepr> events) {
    return events.stream().map(event -> ((Tally.Added) event.payload()).amount()).toList();
  }

  private static List<Long> orderingsOfTag(TestDatabase database, String tag) throws Exception {
    List<Long> orderings = new ArrayList<>();
    try (var connection = JournalTables.connect(database);
        var query =
            connection.prepareStatement(
                "SELECT event_id FROM event_tag WHERE tag = ? ORDER BY event_id")) {
      query.setString(1, tag);
      try (var result = query.executeQuery()) {
        while (result.next()) {
          orderings.add(result.getLong(1));
        }
      }
    }
    return orderings;
  }
}

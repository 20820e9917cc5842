package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JournalRecoveryTest {

  private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(10);

  /** A first recovery opens the database and its connection pool: slow on a busy machine. */
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(20);

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void anEntityRecoversItsStateFromTheLatestSnapshotAndTheEventsAfterIt(DatabaseKind kind)
      throws Exception {
    try (TestDatabase database = TestDatabase.create(kind)) {
      String id = UUID.randomUUID().toString();
      String persistenceId = Tally.persistenceId(id).id();
      Tally.State expected = new Tally.State(28, 7);
      int eventSerializer;
      int snapshotSerializer;

      // given a tally that persisted 7 events, with snapshots after the 3rd and the 6th
      ActorTestKit writer = ActorTestKit.create("writer", database.config());
      try {
        TestProbe<Tally.Observation> observer = writer.createTestProbe();
        TestProbe<Tally.State> replies = writer.createTestProbe();
        ActorRef<Tally.Command> tally = writer.spawn(Tally.create(id, "tally", observer.getRef()));
        observer.expectMessage(RECOVERY_TIMEOUT, new Tally.Recovered(Tally.State.EMPTY, 0));
        for (long amount = 1; amount <= 7; amount++) {
          tally.tell(new Tally.Add(amount, replies.getRef()));
          replies.expectMessage(sum(amount));
        }
        observer.fishForMessage(
            SNAPSHOT_TIMEOUT,
            observation ->
                observation.equals(new Tally.SnapshotSaved(6))
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore());
        Serializer forEvents =
            SerializationExtension.get(writer.system()).findSerializerFor(new Tally.Added(1));
        Serializer forSnapshots =
            SerializationExtension.get(writer.system()).findSerializerFor(expected);
        assertInstanceOf(JacksonCborSerializer.class, forEvents);
        assertInstanceOf(JacksonCborSerializer.class, forSnapshots);
        eventSerializer = forEvents.identifier();
        snapshotSerializer = forSnapshots.identifier();
      } finally {
        writer.shutdownTestKit();
      }

      // then the database holds the CBOR events, their tags and the snapshots
      assertEquals(
          7,
          JournalTables.number(
              database,
              "SELECT count(*) FROM event_journal WHERE persistence_id = ? AND event_ser_id = ?",
              persistenceId,
              eventSerializer));
      assertEquals(
          7,
          JournalTables.number(
              database,
              "SELECT count(*) FROM event_tag t JOIN event_journal j ON t.event_id = j.ordering"
                  + " WHERE j.persistence_id = ? AND t.tag = ?",
              persistenceId,
              "tally"));
      assertEquals(
          6,
          JournalTables.number(
              database,
              "SELECT max(sequence_number) FROM snapshot"
                  + " WHERE persistence_id = ? AND snapshot_ser_id = ?",
              persistenceId,
              snapshotSerializer));

      // when a new actor system starts the same tally
      ActorTestKit reader = ActorTestKit.create("reader", database.config());
      try {
        TestProbe<Tally.Observation> observer = reader.createTestProbe();
        TestProbe<Tally.State> replies = reader.createTestProbe();
        ActorRef<Tally.Command> tally = reader.spawn(Tally.create(id, "tally", observer.getRef()));

        // then it starts from the snapshot at 6 and replays only the 7th event
        observer.expectMessage(RECOVERY_TIMEOUT, new Tally.Recovered(expected, 1));
        tally.tell(new Tally.Get(replies.getRef()));
        replies.expectMessage(expected);
      } finally {
        reader.shutdownTestKit();
      }
    }
  }

  /** The tally state after adding 1, 2, ..., n. */
  private static Tally.State sum(long n) {
    return new Tally.State(n * (n + 1) / 2, (int) n);
  }
}

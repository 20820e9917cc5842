package io.pulse.persistence.journal;

import io.pulse.persistence.Rollback;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.jdbc.config.BaseDaoConfig;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.EventTagTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.postgresql.PGConnection;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.concurrent.Promise;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.PostgresProfile;

/**
 * The journal's data access, writing a batch of events and their tags with set-based statements.
 *
 * <p>The plugin writes a batch that holds any tagged event with {@code INSERT ... RETURNING
 * ordering}, one statement per event, because it needs each event's ordering for its tag rows.
 * Nearly every batch here holds one (transitions, wake-up requests, first events and purchases are
 * tagged), so the journal lost its multi-row inserts. On PostgreSQL this DAO inserts the whole
 * batch and its tag rows with one statement over arrays, whatever the batch's size: the server
 * joins the tags to the orderings it gives the events, and answers how many of each it wrote. On
 * other databases (the embedded H2) it inserts the events as one JDBC batch and each tag row by
 * looking its event's ordering up by primary key. The rows and tags written are the same as the
 * plugin's.
 *
 * <p>Every entity that starts asks for its highest sequence number. On PostgreSQL the requests that
 * arrive while others are in flight are answered together by one query ({@link CoalescingLookup}),
 * so a burst of users starting at once costs a few queries, not one each.
 */
public class PulseJournalDao extends DefaultJournalDao {

  private final boolean postgres;
  private final String insertEventsSql;
  private final String insertTagsSql;
  private final String insertEventsAndTagsSql;
  private final String highestSequenceNrsSql;
  private final CoalescingLookup<Long> highestSequenceNrs;
  private final BoundedSourceQueue<QueuedWrite> writes;

  public PulseJournalDao(
      JdbcBackend.JdbcDatabaseDef db,
      JdbcProfile profile,
      JournalConfig journalConfig,
      Serialization serialization,
      ExecutionContext ec,
      Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    EventJournalTableConfiguration journal = journalConfig.eventJournalTableConfiguration();
    EventTagTableConfiguration tags = journalConfig.eventTagTableConfiguration();
    this.postgres = profile instanceof PostgresProfile;
    this.insertEventsSql =
        postgres ? JournalSql.insertEventsPostgres(journal) : JournalSql.insertEvent(journal);
    this.insertTagsSql = postgres ? null : JournalSql.insertTagOfEvent(journal, tags);
    this.insertEventsAndTagsSql =
        postgres ? JournalSql.insertEventsAndTagsPostgres(journal, tags) : null;
    this.highestSequenceNrsSql = JournalSql.highestSequenceNrsPostgres(journal);
    this.highestSequenceNrs =
        new CoalescingLookup<>(
            RecoveryLookups.MAX_BATCH, RecoveryLookups.MAX_IN_FLIGHT, this::readHighestSequenceNrs);
    BaseDaoConfig queue = journalConfig.daoConfig();
    this.writes =
        Source.<QueuedWrite>queue(queue.bufferSize())
            .batchWeighted(
                queue.batchSize(),
                write -> (long) write.rows().size(),
                write -> new WriteBatch().add(write),
                WriteBatch::add)
            .mapAsync(queue.parallelism(), this::write)
            .toMat(Sink.ignore(), Keep.left())
            .run(mat);
  }

  /** One entity's rows waiting for the next batch, and who waits for them to be written. */
  private record QueuedWrite(
      Seq<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows, Promise<BoxedUnit> written) {}

  /**
   * The writes that go to the database together. The plugin's own queue concatenates immutable
   * sequences for each write it adds, which costs time and garbage quadratic in the batch; this one
   * appends to one list.
   */
  private static final class WriteBatch {
    final List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows = new ArrayList<>();
    final List<Promise<BoxedUnit>> waiting = new ArrayList<>();

    WriteBatch add(QueuedWrite write) {
      write.rows().foreach(rows::add);
      waiting.add(write.written());
      return this;
    }
  }

  @Override
  public Future<BoxedUnit> queueWriteJournalRows(
      Seq<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows) {
    Promise<BoxedUnit> written = Promise.apply();
    QueueOfferResult offered = writes.offer(new QueuedWrite(rows, written));
    if (offered == QueueOfferResult.enqueued()) {
      return written.future();
    }
    if (offered instanceof QueueOfferResult.Failure failure) {
      return scala.concurrent.Future$.MODULE$.failed(
          new IllegalStateException("journal write queue failed", failure.cause()));
    }
    // The entity's persist fails and the user's actor stops; the request is answered 503.
    return scala.concurrent.Future$.MODULE$.failed(
        new IllegalStateException(
            offered == QueueOfferResult.dropped()
                ? "the journal write queue is full ("
                    + writes.size()
                    + " batches waiting); see pulse.journal.buffer-size"
                : "the journal write queue is closed"));
  }

  private CompletionStage<Done> write(WriteBatch batch) {
    CompletableFuture<Done> finished = new CompletableFuture<>();
    // Completed by a callback on the Scala future rather than through a CompletionStage view of
    // it: the view runs every continuation asynchronously, on a thread of its own where the
    // common pool has a single worker (two cores).
    JournalSql.run(db(), connection -> inTransaction(connection, sorted(batch.rows)))
        .onComplete(
            (Try<BoxedUnit> result) -> {
              for (Promise<BoxedUnit> waiting : batch.waiting) {
                waiting.complete(result);
              }
              return finished.complete(Done.getInstance());
            },
            ec());
    return finished;
  }

  private static List<Tuple2<JournalPekkoSerializationRow, Set<String>>> sorted(
      List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows) {
    rows.sort(Comparator.comparingLong(row -> row._1().sequenceNumber()));
    return rows;
  }

  @Override
  public Future<Object> highestSequenceNr(String persistenceId, long fromSequenceNr) {
    if (!postgres) {
      return super.highestSequenceNr(persistenceId, fromSequenceNr);
    }
    return FutureConverters.asScala(
        highestSequenceNrs.lookup(persistenceId).thenApply(highest -> highest.orElse(0L)));
  }

  private CompletionStage<Map<String, Long>> readHighestSequenceNrs(List<String> persistenceIds) {
    return FutureConverters.asJava(
        JournalSql.run(
            db(),
            connection -> {
              Map<String, Long> highest = new HashMap<>();
              try (PreparedStatement query = connection.prepareStatement(highestSequenceNrsSql)) {
                query.setArray(
                    1, connection.createArrayOf("varchar", persistenceIds.toArray(new String[0])));
                try (ResultSet rows = query.executeQuery()) {
                  while (rows.next()) {
                    long sequenceNr = rows.getLong(2);
                    if (!rows.wasNull()) {
                      highest.put(rows.getString(1), sequenceNr);
                    }
                  }
                }
              }
              return highest;
            }));
  }

  @Override
  public Future<BoxedUnit> writeJournalRows(
      Seq<Tuple2<JournalPekkoSerializationRow, Set<String>>> batch) {
    List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows =
        sorted(new ArrayList<>(CollectionConverters.asJava(batch)));
    return JournalSql.run(db(), connection -> inTransaction(connection, rows));
  }

  private BoxedUnit inTransaction(
      Connection connection, List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows)
      throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      if (postgres) {
        writePostgres(connection, rows);
      } else {
        writeBatched(connection, rows);
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      Rollback.keepingFailure(connection, e);
      restoreAutoCommit(connection, autoCommit, e);
      throw e;
    }
    restoreAutoCommit(connection, autoCommit, null);
    return BoxedUnit.UNIT;
  }

  /**
   * Puts auto-commit back. A connection that cannot take it is broken, and its pool replaces it; a
   * committed write stays committed, and a failed one keeps its own failure.
   */
  private static void restoreAutoCommit(
      Connection connection, boolean autoCommit, Exception failure) {
    try {
      connection.setAutoCommit(autoCommit);
    } catch (SQLException notRestored) {
      if (failure != null) {
        failure.addSuppressed(notRestored);
      }
    }
  }

  private void writePostgres(
      Connection connection, List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows)
      throws SQLException {
    int size = rows.size();
    // Arrays typed by their elements, not Object[]: the driver sends those in PostgreSQL's binary
    // form, where an Object[] is written out as an array literal in text for the server to parse.
    // Primitive where a column is never null, so that no row boxes its numbers.
    boolean[] deleted = new boolean[size];
    String[] persistenceIds = new String[size];
    long[] sequenceNumbers = new long[size];
    String[] writers = new String[size];
    long[] writeTimestamps = new long[size];
    String[] adapterManifests = new String[size];
    int[] payloadStarts = new int[size];
    int[] payloadLengths = new int[size];
    int payloadBytes = 0;
    int tagCount = 0;
    for (Tuple2<JournalPekkoSerializationRow, Set<String>> entry : rows) {
      payloadBytes += entry._1().eventPayload().length;
      tagCount += entry._2().size();
    }
    byte[] payloads = new byte[payloadBytes];
    int payloadEnd = 0;
    int[] serIds = new int[size];
    String[] serManifests = new String[size];
    byte[][] metaPayloads = new byte[size][];
    Integer[] metaSerIds = new Integer[size];
    String[] metaSerManifests = new String[size];
    String[] tagPersistenceIds = new String[tagCount];
    long[] tagSequenceNumbers = new long[tagCount];
    String[] tagNames = new String[tagCount];
    int tagged = 0;
    for (int i = 0; i < size; i++) {
      JournalPekkoSerializationRow row = rows.get(i)._1();
      deleted[i] = row.deleted();
      persistenceIds[i] = row.persistenceId();
      sequenceNumbers[i] = row.sequenceNumber();
      writers[i] = row.writer();
      writeTimestamps[i] = row.writeTimestamp();
      adapterManifests[i] = row.adapterManifest();
      byte[] payload = row.eventPayload();
      System.arraycopy(payload, 0, payloads, payloadEnd, payload.length);
      payloadStarts[i] = payloadEnd + 1;
      payloadLengths[i] = payload.length;
      payloadEnd += payload.length;
      serIds[i] = row.eventSerId();
      serManifests[i] = row.eventSerManifest();
      metaPayloads[i] = row.metaPayload().isDefined() ? row.metaPayload().get() : null;
      metaSerIds[i] = row.metaSerId().isDefined() ? (Integer) row.metaSerId().get() : null;
      metaSerManifests[i] = row.metaSerManifest().isDefined() ? row.metaSerManifest().get() : null;
      for (String tag : CollectionConverters.asJava(rows.get(i)._2())) {
        tagPersistenceIds[tagged] = row.persistenceId();
        tagSequenceNumbers[tagged] = row.sequenceNumber();
        tagNames[tagged] = tag;
        tagged++;
      }
    }
    // The driver's own connection takes primitive arrays; the pool's wrapper only Object[].
    PGConnection postgres = connection.unwrap(PGConnection.class);
    try (PreparedStatement insert =
        connection.prepareStatement(tagCount == 0 ? insertEventsSql : insertEventsAndTagsSql)) {
      insert.setBytes(1, payloads);
      insert.setArray(2, postgres.createArrayOf("boolean", deleted));
      insert.setArray(3, connection.createArrayOf("varchar", persistenceIds));
      insert.setArray(4, postgres.createArrayOf("bigint", sequenceNumbers));
      insert.setArray(5, connection.createArrayOf("varchar", writers));
      insert.setArray(6, postgres.createArrayOf("bigint", writeTimestamps));
      insert.setArray(7, connection.createArrayOf("varchar", adapterManifests));
      insert.setArray(8, postgres.createArrayOf("int4", payloadStarts));
      insert.setArray(9, postgres.createArrayOf("int4", payloadLengths));
      insert.setArray(10, postgres.createArrayOf("int4", serIds));
      insert.setArray(11, connection.createArrayOf("varchar", serManifests));
      insert.setArray(12, connection.createArrayOf("bytea", metaPayloads));
      insert.setArray(13, connection.createArrayOf("int4", metaSerIds));
      insert.setArray(14, connection.createArrayOf("varchar", metaSerManifests));
      if (tagCount == 0) {
        written(insert.executeUpdate(), size, 0, 0);
        return;
      }
      insert.setArray(15, connection.createArrayOf("varchar", tagPersistenceIds));
      insert.setArray(16, postgres.createArrayOf("bigint", tagSequenceNumbers));
      insert.setArray(17, connection.createArrayOf("varchar", tagNames));
      try (ResultSet counts = insert.executeQuery()) {
        if (!counts.next()) {
          throw new SQLException("the journal insert answered no counts");
        }
        written(counts.getLong(1), size, counts.getLong(2), tagCount);
      }
    }
  }

  /** Fails the write, and so its transaction, unless every event and every tag was written. */
  private static void written(long events, int expectedEvents, long tags, int expectedTags)
      throws SQLException {
    if (events != expectedEvents) {
      throw new SQLException("wrote " + events + " of " + expectedEvents + " journal rows");
    }
    if (tags != expectedTags) {
      throw new SQLException("wrote " + tags + " of " + expectedTags + " tag rows");
    }
  }

  private void writeBatched(
      Connection connection, List<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(insertEventsSql)) {
      for (Tuple2<JournalPekkoSerializationRow, Set<String>> entry : rows) {
        JournalPekkoSerializationRow row = entry._1();
        insert.setBoolean(1, row.deleted());
        insert.setString(2, row.persistenceId());
        insert.setLong(3, row.sequenceNumber());
        insert.setString(4, row.writer());
        insert.setLong(5, row.writeTimestamp());
        insert.setString(6, row.adapterManifest());
        insert.setBytes(7, row.eventPayload());
        insert.setInt(8, row.eventSerId());
        insert.setString(9, row.eventSerManifest());
        if (row.metaPayload().isDefined()) {
          insert.setBytes(10, row.metaPayload().get());
          insert.setInt(11, (Integer) row.metaSerId().get());
          insert.setString(12, row.metaSerManifest().get());
        } else {
          insert.setNull(10, Types.BINARY);
          insert.setNull(11, Types.INTEGER);
          insert.setNull(12, Types.VARCHAR);
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
    if (rows.stream().allMatch(entry -> entry._2().isEmpty())) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(insertTagsSql)) {
      for (Tuple2<JournalPekkoSerializationRow, Set<String>> entry : rows) {
        for (String tag : CollectionConverters.asJava(entry._2())) {
          insert.setString(1, tag);
          insert.setString(2, entry._1().persistenceId());
          insert.setLong(3, entry._1().sequenceNumber());
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
  }
}

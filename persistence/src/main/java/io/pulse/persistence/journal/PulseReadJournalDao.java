package io.pulse.persistence.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.PekkoSerialization;
import org.apache.pekko.persistence.jdbc.config.ReadJournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.persistence.jdbc.query.dao.DefaultReadJournalDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.scaladsl.Source;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.jdk.javaapi.FutureConverters;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The read journal's data access, with an events-by-tag query whose cost does not depend on the
 * size of the tables or on their statistics.
 *
 * <p>The plugin's own query bounds only the journal's ordering and joins the tag table on it, so
 * the tag side has no range: with the generic plan PostgreSQL caches for a prepared statement
 * (planned while the tables were small or not yet analysed), every poll of every tag stream scanned
 * all rows of its tag for each journal row in range, and under load these polls took most of the
 * database's CPU. This query bounds the tag table itself, {@code tag = ? AND event_id > ? AND
 * event_id <= ?}, which is a range of the {@code (tag, event_id)} index: a poll reads the new tag
 * rows and the journal rows they point to, nothing else.
 */
public class PulseReadJournalDao extends DefaultReadJournalDao {

  private final Serialization serialization;
  private final String eventsByTagSql;

  public PulseReadJournalDao(
      JdbcBackend.JdbcDatabaseDef db,
      JdbcProfile profile,
      ReadJournalConfig readJournalConfig,
      Serialization serialization,
      ExecutionContext ec,
      Materializer mat) {
    super(db, profile, readJournalConfig, serialization, ec, mat);
    this.serialization = serialization;
    this.eventsByTagSql =
        JournalSql.eventsByTag(
            readJournalConfig.eventJournalTableConfiguration(),
            readJournalConfig.eventTagTableConfiguration());
  }

  @Override
  public Source<Try<Tuple3<PersistentRepr, Set<String>, Object>>, NotUsed> eventsByTag(
      String tag, long offset, long maxOffset, long max) {
    var rows =
        JournalSql.run(
            db(),
            connection ->
                readTagged(connection, tag, offset, maxOffset, correctMaxForH2Driver(max)));
    return org.apache.pekko.stream.javadsl.Source.completionStage(FutureConverters.asJava(rows))
        .mapConcat(list -> list)
        .map(this::deserialize)
        .asScala();
  }

  private List<JournalPekkoSerializationRow> readTagged(
      Connection connection, String tag, long offset, long maxOffset, long max)
      throws SQLException {
    List<JournalPekkoSerializationRow> rows = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(eventsByTagSql)) {
      query.setString(1, tag);
      query.setLong(2, offset);
      query.setLong(3, maxOffset);
      query.setLong(4, max);
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          rows.add(JournalSql.journalRow(result));
        }
      }
    }
    return rows;
  }

  private Try<Tuple3<PersistentRepr, Set<String>, Object>> deserialize(
      JournalPekkoSerializationRow row) {
    Try<Tuple2<PersistentRepr, Object>> decoded = PekkoSerialization.fromRow(serialization, row);
    // The plugin's own DAO leaves the tags empty as well: no consumer reads them from here.
    return decoded.map(
        reprAndOrdering ->
            new Tuple3<>(
                reprAndOrdering._1(),
                scala.collection.immutable.Set$.MODULE$.<String>empty(),
                reprAndOrdering._2()));
  }
}

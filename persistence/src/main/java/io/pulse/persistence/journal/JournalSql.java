package io.pulse.persistence.journal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.EventTagTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.EventTagTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.SnapshotTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.SnapshotTableConfiguration;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import scala.Option;
import scala.concurrent.Future;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.SimpleJdbcAction;

/**
 * Plain SQL over Pekko Persistence JDBC's journal and tag tables, run on the plugin's own Slick
 * database (its connection pool and threads). Table and column names come from the plugin's
 * configuration; identifiers are quoted the way its Slick profiles quote them.
 */
final class JournalSql {

  private JournalSql() {}

  /** Work done with one pooled connection. */
  @FunctionalInterface
  interface ConnectionWork<R> {
    R apply(Connection connection) throws SQLException;
  }

  /** Runs the work on one of Slick's threads with one of its connections. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <R> Future<R> run(JdbcBackend.JdbcDatabaseDef db, ConnectionWork<R> work) {
    SimpleJdbcAction<R> action =
        SimpleJdbcAction.apply(
            context -> {
              try {
                return work.apply(context.session().conn());
              } catch (SQLException e) {
                throw new JournalSqlException(e);
              }
            });
    // The action's effect type is contravariant in Scala; Java cannot see that it conforms.
    return (Future<R>) db.run((DBIOAction) action);
  }

  static String table(String name, Option<String> schema) {
    return schema.isDefined() ? quote(schema.get()) + "." + quote(name) : quote(name);
  }

  static String quote(String identifier) {
    return '"' + identifier + '"';
  }

  /** Journal columns in the order of {@link #journalRow} and of the insert's parameters. */
  static String[] journalColumns(EventJournalTableColumnNames c, boolean withOrdering) {
    String[] rest = {
      c.deleted(),
      c.persistenceId(),
      c.sequenceNumber(),
      c.writer(),
      c.writeTimestamp(),
      c.adapterManifest(),
      c.eventPayload(),
      c.eventSerId(),
      c.eventSerManifest(),
      c.metaPayload(),
      c.metaSerId(),
      c.metaSerManifest()
    };
    if (!withOrdering) {
      return rest;
    }
    String[] all = new String[rest.length + 1];
    all[0] = c.ordering();
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static String columnList(String alias, String[] columns) {
    StringBuilder list = new StringBuilder();
    for (String column : columns) {
      if (list.length() > 0) {
        list.append(", ");
      }
      list.append(alias.isEmpty() ? "" : alias + ".").append(quote(column));
    }
    return list.toString();
  }

  /**
   * Tagged events after an ordering, up to a bound and a count; parameters: tag, after, up to,
   * limit.
   */
  static String eventsByTag(
      EventJournalTableConfiguration journal, EventTagTableConfiguration tags) {
    EventJournalTableColumnNames j = journal.columnNames();
    EventTagTableColumnNames t = tags.columnNames();
    return "SELECT "
        + columnList("j", journalColumns(j, true))
        + " FROM "
        + table(tags.tableName(), tags.schemaName())
        + " t JOIN "
        + table(journal.tableName(), journal.schemaName())
        + " j ON j."
        + quote(j.ordering())
        + " = t."
        + quote(t.eventId())
        + " WHERE t."
        + quote(t.tag())
        + " = ? AND t."
        + quote(t.eventId())
        + " > ? AND t."
        + quote(t.eventId())
        + " <= ? AND j."
        + quote(j.deleted())
        + " = FALSE ORDER BY t."
        + quote(t.eventId())
        + " LIMIT ?";
  }

  /** One journal row without its ordering, which the database assigns. */
  static String insertEvent(EventJournalTableConfiguration journal) {
    String[] columns = journalColumns(journal.columnNames(), false);
    return "INSERT INTO "
        + table(journal.tableName(), journal.schemaName())
        + " ("
        + columnList("", columns)
        + ") VALUES ("
        + "?, ".repeat(columns.length - 1)
        + "?)";
  }

  /**
   * One tag row for an event written in the same transaction, found by its persistence id and
   * sequence number (the journal's primary key); parameters: tag, persistence id, sequence number.
   */
  static String insertTagOfEvent(
      EventJournalTableConfiguration journal, EventTagTableConfiguration tags) {
    EventJournalTableColumnNames j = journal.columnNames();
    return insertIntoTags(tags)
        + " SELECT "
        + quote(j.ordering())
        + ", ? FROM "
        + table(journal.tableName(), journal.schemaName())
        + " WHERE "
        + quote(j.persistenceId())
        + " = ? AND "
        + quote(j.sequenceNumber())
        + " = ?";
  }

  /**
   * A batch of events in one statement, for PostgreSQL; one statement text whatever the batch size,
   * so the server keeps one prepared plan. Parameters: every event's payload in one {@code bytea}
   * (sent in binary), then one array per column in the order of {@link #journalColumns}, except
   * that the payload column is two {@code int[]} arrays: where each payload starts in the first
   * parameter (from 1) and how long it is. The arrays must be typed by their elements ({@code
   * long[]}, {@code String[]}, {@code byte[][]}...), which the driver sends in binary: it writes an
   * {@code Object[]} out as a text literal for the server to parse, every byte of a {@code bytea}
   * spelt out in hexadecimal. Its update count is the number of events written.
   */
  static String insertEventsPostgres(EventJournalTableConfiguration journal) {
    EventJournalTableColumnNames j = journal.columnNames();
    String[] columns = journalColumns(j, false);
    return "INSERT INTO "
        + table(journal.tableName(), journal.schemaName())
        + " ("
        + columnList("", columns)
        + ") SELECT e.deleted, e.persistence_id, e.sequence_number, e.writer, e.write_timestamp,"
        + " e.adapter_manifest, substring(p.payloads FROM e.payload_start FOR e.payload_length),"
        + " e.ser_id, e.ser_manifest, e.meta_payload, e.meta_ser_id, e.meta_ser_manifest"
        + " FROM (SELECT ?::bytea AS payloads) p, UNNEST(?::boolean[], ?::varchar[], ?::bigint[],"
        + " ?::varchar[], ?::bigint[], ?::varchar[], ?::int[], ?::int[], ?::int[], ?::varchar[],"
        + " ?::bytea[], ?::int[], ?::varchar[]) AS e(deleted, persistence_id, sequence_number,"
        + " writer, write_timestamp, adapter_manifest, payload_start, payload_length, ser_id,"
        + " ser_manifest, meta_payload, meta_ser_id, meta_ser_manifest)";
  }

  /**
   * A batch of events and their tags in one statement, for PostgreSQL: the events as in {@link
   * #insertEventsPostgres}, then three arrays with one element per tag (the tagged event's
   * persistence id and sequence number, and the tag), which the server joins with the orderings it
   * gave the events. The client thus waits for one round trip and reads back one row: how many
   * events and how many tags were written.
   */
  static String insertEventsAndTagsPostgres(
      EventJournalTableConfiguration journal, EventTagTableConfiguration tags) {
    EventJournalTableColumnNames j = journal.columnNames();
    return "WITH inserted AS ("
        + insertEventsPostgres(journal)
        + " RETURNING "
        + quote(j.persistenceId())
        + " AS persistence_id, "
        + quote(j.sequenceNumber())
        + " AS sequence_number, "
        + quote(j.ordering())
        + " AS ordering), tagged AS ("
        + insertIntoTags(tags)
        + " SELECT i.ordering, t.tag FROM inserted i JOIN UNNEST(?::varchar[], ?::bigint[],"
        + " ?::varchar[]) AS t(persistence_id, sequence_number, tag)"
        + " ON i.persistence_id = t.persistence_id AND i.sequence_number = t.sequence_number"
        + " RETURNING 1) SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM tagged)";
  }

  private static String insertIntoTags(EventTagTableConfiguration tags) {
    EventTagTableColumnNames t = tags.columnNames();
    return "INSERT INTO "
        + table(tags.tableName(), tags.schemaName())
        + " ("
        + quote(t.eventId())
        + ", "
        + quote(t.tag())
        + ")";
  }

  /**
   * The highest sequence number of each of many persistence ids, for PostgreSQL: one backward probe
   * of the primary key per id; parameter: an array of ids. An id without events has a null.
   */
  static String highestSequenceNrsPostgres(EventJournalTableConfiguration journal) {
    EventJournalTableColumnNames j = journal.columnNames();
    return "SELECT p.id, (SELECT j."
        + quote(j.sequenceNumber())
        + " FROM "
        + table(journal.tableName(), journal.schemaName())
        + " j WHERE j."
        + quote(j.persistenceId())
        + " = p.id ORDER BY j."
        + quote(j.sequenceNumber())
        + " DESC LIMIT 1) FROM UNNEST(?::varchar[]) AS p(id)";
  }

  /**
   * The latest snapshot of each of many persistence ids that has one, for PostgreSQL; parameter: an
   * array of ids. Columns: persistence id, sequence number, created, serializer id, manifest,
   * payload, metadata serializer id, metadata manifest, metadata payload.
   */
  static String latestSnapshotsPostgres(SnapshotTableConfiguration snapshots) {
    SnapshotTableColumnNames c = snapshots.columnNames();
    String[] columns = {
      c.persistenceId(),
      c.sequenceNumber(),
      c.created(),
      c.snapshotSerId(),
      c.snapshotSerManifest(),
      c.snapshotPayload(),
      c.metaSerId(),
      c.metaSerManifest(),
      c.metaPayload()
    };
    return "SELECT "
        + columnList("s", columns)
        + " FROM UNNEST(?::varchar[]) AS p(id) CROSS JOIN LATERAL (SELECT * FROM "
        + table(snapshots.tableName(), snapshots.schemaName())
        + " x WHERE x."
        + quote(c.persistenceId())
        + " = p.id ORDER BY x."
        + quote(c.sequenceNumber())
        + " DESC LIMIT 1) s";
  }

  /** Reads a row selected with {@code journalColumns(names, true)}. */
  static JournalPekkoSerializationRow journalRow(ResultSet r) throws SQLException {
    int metaSerId = r.getInt(12);
    boolean metaSerIdNull = r.wasNull();
    return new JournalPekkoSerializationRow(
        r.getLong(1),
        r.getBoolean(2),
        r.getString(3),
        r.getLong(4),
        r.getString(5),
        r.getLong(6),
        r.getString(7),
        r.getBytes(8),
        r.getInt(9),
        r.getString(10),
        Option.apply(r.getBytes(11)),
        metaSerIdNull ? Option.empty() : Option.apply(metaSerId),
        Option.apply(r.getString(13)));
  }

  /** A database failure carried out of a Slick action. */
  static final class JournalSqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JournalSqlException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}

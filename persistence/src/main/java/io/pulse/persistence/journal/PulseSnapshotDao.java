package io.pulse.persistence.journal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.jdbc.config.SnapshotConfig;
import org.apache.pekko.persistence.jdbc.snapshot.dao.DefaultSnapshotDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.Option;
import scala.Tuple2;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.PostgresProfile;

/**
 * The snapshot store's data access, loading the latest snapshots of entities that start at the same
 * time with one query.
 *
 * <p>Every entity that starts loads its latest snapshot first. On PostgreSQL the loads that arrive
 * while others are in flight are answered together ({@link CoalescingLookup}); saving, deleting and
 * the other selections are the plugin's own.
 */
public class PulseSnapshotDao extends DefaultSnapshotDao {

  private final Serialization serialization;
  private final JdbcBackend.JdbcDatabaseDef db;
  private final boolean postgres;
  private final String latestSnapshotsSql;
  private final CoalescingLookup<Try<Tuple2<SnapshotMetadata, Object>>> latestSnapshots;

  public PulseSnapshotDao(
      JdbcBackend.JdbcDatabaseDef db,
      JdbcProfile profile,
      SnapshotConfig snapshotConfig,
      Serialization serialization,
      ExecutionContext ec,
      Materializer mat) {
    super(db, profile, snapshotConfig, serialization, ec, mat);
    this.serialization = serialization;
    this.db = db;
    this.postgres = profile instanceof PostgresProfile;
    this.latestSnapshotsSql =
        JournalSql.latestSnapshotsPostgres(snapshotConfig.snapshotTableConfiguration());
    this.latestSnapshots =
        new CoalescingLookup<>(
            RecoveryLookups.MAX_BATCH, RecoveryLookups.MAX_IN_FLIGHT, this::readLatestSnapshots);
  }

  @Override
  public Future<Option<Tuple2<SnapshotMetadata, Object>>> latestSnapshot(String persistenceId) {
    if (!postgres) {
      return super.latestSnapshot(persistenceId);
    }
    return FutureConverters.asScala(
        latestSnapshots
            .lookup(persistenceId)
            .thenApply(
                found ->
                    found.isEmpty()
                        ? Option.<Tuple2<SnapshotMetadata, Object>>empty()
                        // A snapshot that cannot be read fails its own entity's recovery only.
                        : Option.apply(found.get().get())));
  }

  private CompletionStage<Map<String, Try<Tuple2<SnapshotMetadata, Object>>>> readLatestSnapshots(
      List<String> persistenceIds) {
    return FutureConverters.asJava(
        JournalSql.run(
            db,
            connection -> {
              Map<String, Try<Tuple2<SnapshotMetadata, Object>>> latest = new HashMap<>();
              try (PreparedStatement query = connection.prepareStatement(latestSnapshotsSql)) {
                query.setArray(
                    1, connection.createArrayOf("varchar", persistenceIds.toArray(new String[0])));
                try (ResultSet rows = query.executeQuery()) {
                  while (rows.next()) {
                    latest.put(rows.getString(1), snapshotOf(rows));
                  }
                }
              }
              return latest;
            }));
  }

  private Try<Tuple2<SnapshotMetadata, Object>> snapshotOf(ResultSet row)
      throws java.sql.SQLException {
    String persistenceId = row.getString(1);
    long sequenceNr = row.getLong(2);
    long created = row.getLong(3);
    int serializerId = row.getInt(4);
    String manifest = row.getString(5);
    byte[] payload = row.getBytes(6);
    int metaSerializerId = row.getInt(7);
    boolean noMetadata = row.wasNull();
    String metaManifest = row.getString(8);
    byte[] metaPayload = row.getBytes(9);
    Try<Object> snapshot = serialization.deserialize(payload, serializerId, manifest);
    if (noMetadata || metaPayload == null) {
      return snapshot.map(
          state -> new Tuple2<>(SnapshotMetadata.apply(persistenceId, sequenceNr, created), state));
    }
    Try<Object> metadata =
        serialization.deserialize(
            metaPayload, metaSerializerId, metaManifest == null ? "" : metaManifest);
    return snapshot.flatMap(
        state ->
            metadata.map(
                meta ->
                    new Tuple2<>(
                        SnapshotMetadata.apply(
                            persistenceId, sequenceNr, created, Option.apply(meta)),
                        state)));
  }
}

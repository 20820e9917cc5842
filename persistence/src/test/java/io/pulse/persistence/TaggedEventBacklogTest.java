package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.persistence.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The offsets the read sides stored, as the read-side lag metric reads them: a reader's row of
 * pulse_read_offset, and a projection's sequence offset in Pekko Projection's offset store, with
 * each database's quoting.
 */
class TaggedEventBacklogTest {

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void readsTheOffsetEachKindOfReadSideStored(DatabaseKind kind) throws Exception {
    try (TestDatabase database = TestDatabase.create(kind);
        TaggedEventBacklog backlog = new TaggedEventBacklog(database.settings())) {
      ReadSide reader = ReadSide.stored("stats-customer", "customer");
      ReadSide projection = ReadSide.projection("promotions", "promotion", "promotion");

      // nothing stored yet: nothing read
      assertEquals(0, backlog.storedOffset(reader));
      assertEquals(0, backlog.storedOffset(projection));

      execute(
          database,
          "INSERT INTO pulse_read_offset (reader, read_offset) VALUES (?, ?)",
          "stats-customer",
          41L);
      execute(database, projectionInsert(kind), "promotions", "promotion", "17", "SEQ");
      execute(database, projectionInsert(kind), "promotions", "other-key", "99", "SEQ");
      assertEquals(41, backlog.storedOffset(reader));
      assertEquals(17, backlog.storedOffset(projection));

      // an offset that is not a journal ordering cannot be measured
      execute(database, projectionInsert(kind), "by-time", "promotion", "2026-01-01", "TBS");
      assertThrows(
          SQLException.class,
          () -> backlog.storedOffset(ReadSide.projection("by-time", "promotion", "promotion")));
      // and the connection is opened again for the next measurement
      assertEquals(41, backlog.storedOffset(reader));
    }
  }

  private static String projectionInsert(DatabaseKind kind) {
    String columns =
        "(projection_name, projection_key, current_offset, manifest, mergeable, last_updated)";
    return kind == DatabaseKind.H2
        ? "INSERT INTO \"pekko_projection_offset_store\" "
            + columns.replaceAll("([a-z_]+)", "\"$1\"")
            + " VALUES (?, ?, ?, ?, FALSE, 0)"
        : "INSERT INTO pekko_projection_offset_store " + columns + " VALUES (?, ?, ?, ?, FALSE, 0)";
  }

  private static void execute(TestDatabase database, String sql, Object... parameters)
      throws SQLException {
    try (Connection connection = JournalTables.connect(database);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }
}

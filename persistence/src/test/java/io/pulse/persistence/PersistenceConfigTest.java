package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PersistenceConfigTest {

  @Test
  void journalSnapshotsAndReadJournalShareOneDatabase() {
    Config config = ModuleConfig.server(Map.of(), "");

    assertEquals("jdbc-journal", config.getString("pekko.persistence.journal.plugin"));
    assertEquals(
        "jdbc-snapshot-store", config.getString("pekko.persistence.snapshot-store.plugin"));
    assertEquals("slick", config.getString("jdbc-journal.use-shared-db"));
    assertEquals("slick", config.getString("jdbc-snapshot-store.use-shared-db"));
    assertEquals("slick", config.getString("jdbc-read-journal.use-shared-db"));
  }

  @Test
  void theReadSidePollsEvery200msByDefault() {
    Config config = ModuleConfig.server(Map.of(), "");

    assertEquals(Duration.ofMillis(200), config.getDuration("jdbc-read-journal.refresh-interval"));
    assertEquals(
        Duration.ofMillis(200),
        config.getDuration("jdbc-read-journal.journal-sequence-retrieval.query-delay"));
  }

  @Test
  void environmentOverridesReachThePluginSettings() {
    Config config =
        ModuleConfig.server(
            Map.of(
                "PULSE_JOURNAL_BATCH_SIZE", "1000",
                "PULSE_JOURNAL_PARALLELISM", "4",
                "PULSE_JOURNAL_BUFFER_SIZE", "5000",
                "PULSE_READ_JOURNAL_REFRESH_INTERVAL", "50ms",
                "PULSE_READ_JOURNAL_MAX_BUFFER_SIZE", "100"),
            "");

    assertEquals(1000, config.getInt("jdbc-journal.batchSize"));
    assertEquals(4, config.getInt("jdbc-journal.parallelism"));
    assertEquals(5000, config.getInt("jdbc-journal.bufferSize"));
    assertEquals(Duration.ofMillis(50), config.getDuration("jdbc-read-journal.refresh-interval"));
    assertEquals(
        Duration.ofMillis(50),
        config.getDuration("jdbc-read-journal.journal-sequence-retrieval.query-delay"));
    assertEquals(100, config.getInt("jdbc-read-journal.max-buffer-size"));
  }

  @Test
  void journalDefaultsBatchLikeThePluginAndQueueMoreThanTheIngestBound() {
    Config config = ModuleConfig.server(Map.of(), "");

    assertEquals(400, config.getInt("jdbc-journal.batchSize"));
    assertEquals(8, config.getInt("jdbc-journal.parallelism"));
    // An overflowing write queue fails writes; it must hold every event a node may have in
    // flight (pulse.ingest.max-in-flight-events, 200,000 by default).
    assertTrue(config.getInt("jdbc-journal.bufferSize") > 200_000);
  }

  @Test
  void cborSerializableIsBoundToJacksonCbor() {
    Config config = ModuleConfig.server(Map.of(), "");

    assertEquals(
        "jackson-cbor",
        config
            .getObject("pekko.actor.serialization-bindings")
            .get("io.pulse.engine.CborSerializable")
            .unwrapped());
  }
}

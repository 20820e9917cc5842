package io.pulse.engine.ingest;

import com.typesafe.config.Config;
import java.time.Duration;

/** Bounds of ingestion on one node, from {@code pulse.ingest}. */
public record IngestSettings(int maxInFlightEvents, Duration timeout) {

  public static IngestSettings fromConfig(Config config) {
    return new IngestSettings(
        config.getInt("pulse.ingest.max-in-flight-events"),
        config.getDuration("pulse.ingest.timeout"));
  }
}

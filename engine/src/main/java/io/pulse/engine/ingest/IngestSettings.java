package io.pulse.engine.ingest;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Bounds of ingestion on one node, from {@code pulse.ingest}.
 *
 * @param maxInFlightEvents the most events the node holds unacknowledged
 * @param initialInFlightEvents the events it admits unacknowledged at start; the limit grows from
 *     there to {@code maxInFlightEvents} as requests are acknowledged within {@code targetLatency},
 *     and halves (not below this) when they are not
 * @param targetLatency the acknowledgement latency that admission keeps requests within
 * @param maxRecoveringUsers while this many users are being loaded from the journal on the node, a
 *     new request is refused at once
 */
public record IngestSettings(
    int maxInFlightEvents,
    Duration timeout,
    int initialInFlightEvents,
    Duration targetLatency,
    int maxRecoveringUsers) {

  public IngestSettings {
    if (initialInFlightEvents < 1 || initialInFlightEvents > maxInFlightEvents) {
      throw new IllegalArgumentException(
          "pulse.ingest.initial-in-flight-events must be from 1 to max-in-flight-events ("
              + maxInFlightEvents
              + "); got "
              + initialInFlightEvents);
    }
    if (targetLatency.isNegative()
        || targetLatency.isZero()
        || targetLatency.compareTo(timeout) > 0) {
      throw new IllegalArgumentException(
          "pulse.ingest.target-latency must be positive and at most pulse.ingest.timeout ("
              + timeout
              + "); got "
              + targetLatency);
    }
    if (maxRecoveringUsers < 1) {
      throw new IllegalArgumentException(
          "pulse.ingest.max-recovering-users must be at least 1; got " + maxRecoveringUsers);
    }
  }

  /** A fixed limit of {@code maxInFlightEvents}, and no bound on recoveries that a test reaches. */
  public IngestSettings(int maxInFlightEvents, Duration timeout) {
    this(maxInFlightEvents, timeout, maxInFlightEvents, timeout, Integer.MAX_VALUE);
  }

  public static IngestSettings fromConfig(Config config) {
    int max = config.getInt("pulse.ingest.max-in-flight-events");
    return new IngestSettings(
        max,
        config.getDuration("pulse.ingest.timeout"),
        Math.min(max, config.getInt("pulse.ingest.initial-in-flight-events")),
        config.getDuration("pulse.ingest.target-latency"),
        config.getInt("pulse.ingest.max-recovering-users"));
  }
}

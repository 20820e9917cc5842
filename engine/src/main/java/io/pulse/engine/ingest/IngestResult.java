package io.pulse.engine.ingest;

import io.pulse.engine.domain.EventRefusal;
import java.util.List;

/**
 * How many events of a request were accepted and how many were recognised as retries, and the
 * events the users' state refused (not stored).
 */
public record IngestResult(int accepted, int duplicates, List<EventRefusal> refused) {

  public IngestResult {
    refused = refused == null ? List.of() : List.copyOf(refused);
  }

  /** A result with no event refused. */
  public IngestResult(int accepted, int duplicates) {
    this(accepted, duplicates, List.of());
  }
}

package io.pulse.engine.ingest;

/** This node already holds as many unacknowledged events as it is allowed to; try again later. */
public final class IngestOverloadedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public IngestOverloadedException(String message) {
    super(message, null, false, false);
  }
}

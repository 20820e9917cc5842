package io.pulse.engine.ingest;

/**
 * Not every group of a request was confirmed durable in time. Some may have been; a retry with the
 * same event ids is safe because entities recognise ids they have already seen.
 */
public final class IngestTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public IngestTimeoutException(String message) {
    super(message, null, false, false);
  }
}

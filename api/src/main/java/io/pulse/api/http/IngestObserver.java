package io.pulse.api.http;

/**
 * What {@code POST /v1/events} reports for metrics: the events of each answered request, and how
 * long it took. Called on request threads, so implementations must be cheap and thread-safe.
 */
public interface IngestObserver {

  /** Nothing observed, for tests and tools. */
  IngestObserver NONE = new IngestObserver() {};

  /** A request's events: accepted (durable), duplicates of earlier events, and invalid ones. */
  default void counted(int accepted, int duplicates, int rejected) {}

  /** A request was answered with {@code status} after {@code nanos}. */
  default void answered(int status, long nanos) {}
}

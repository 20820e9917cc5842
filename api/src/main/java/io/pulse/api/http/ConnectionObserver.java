package io.pulse.api.http;

/**
 * What the connection gate reports for metrics: connections refused and connections closed for a
 * timeout. Called on stream threads, so implementations must be cheap and thread-safe.
 */
public interface ConnectionObserver {

  /** Nothing observed, for tests and tools. */
  ConnectionObserver NONE = new ConnectionObserver() {};

  /** A connection was closed as soon as it was accepted. */
  default void refused(ConnectionGate.Refusal reason) {}

  /** A connection was closed because no complete request head arrived in time. */
  default void timedOut(ConnectionGate.Timeout timeout) {}
}

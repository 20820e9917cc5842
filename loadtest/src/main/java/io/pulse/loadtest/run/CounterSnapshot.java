package io.pulse.loadtest.run;

import java.util.Map;
import java.util.TreeMap;

/** Counter values at one instant; differences of two snapshots give a window's figures. */
record CounterSnapshot(
    long requests,
    long events,
    long okRequests,
    long accepted,
    long duplicates,
    long duplicatesSent,
    long rejected,
    long throttledRequests,
    long throttledEvents,
    long failedRequests,
    long failedEvents,
    long requestsWithoutResponse,
    long unknownOutcomeEvents,
    Map<String, Long> errorsByStatus,
    Map<String, Long> connectionErrors,
    Map<String, Long> rejectionReasons,
    Map<String, String> errorSamples) {

  CounterSnapshot minus(CounterSnapshot earlier) {
    return new CounterSnapshot(
        requests - earlier.requests,
        events - earlier.events,
        okRequests - earlier.okRequests,
        accepted - earlier.accepted,
        duplicates - earlier.duplicates,
        duplicatesSent - earlier.duplicatesSent,
        rejected - earlier.rejected,
        throttledRequests - earlier.throttledRequests,
        throttledEvents - earlier.throttledEvents,
        failedRequests - earlier.failedRequests,
        failedEvents - earlier.failedEvents,
        requestsWithoutResponse - earlier.requestsWithoutResponse,
        unknownOutcomeEvents - earlier.unknownOutcomeEvents,
        minus(errorsByStatus, earlier.errorsByStatus),
        minus(connectionErrors, earlier.connectionErrors),
        minus(rejectionReasons, earlier.rejectionReasons),
        errorSamples);
  }

  private static Map<String, Long> minus(Map<String, Long> later, Map<String, Long> earlier) {
    Map<String, Long> difference = new TreeMap<>();
    later.forEach(
        (key, value) -> {
          long delta = value - earlier.getOrDefault(key, 0L);
          if (delta != 0) {
            difference.put(key, delta);
          }
        });
    return difference;
  }
}

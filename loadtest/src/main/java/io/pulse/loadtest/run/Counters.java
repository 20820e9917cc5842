package io.pulse.loadtest.run;

import io.pulse.loadtest.report.LoadReport;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Run-wide outcome counters, written by the I/O threads and snapshotted by the control thread. */
final class Counters {
  /** Distinct rejection texts kept; a server bug could otherwise make the map unbounded. */
  private static final int MAX_REJECTION_REASONS = 20;

  static final String OTHER_REASONS = "(other reasons)";

  final LongAdder requests = new LongAdder();
  final LongAdder events = new LongAdder();
  final LongAdder okRequests = new LongAdder();
  final LongAdder accepted = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder duplicatesSent = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder throttledRequests = new LongAdder();
  final LongAdder throttledEvents = new LongAdder();
  final LongAdder failedRequests = new LongAdder();
  final LongAdder failedEvents = new LongAdder();
  final LongAdder requestsWithoutResponse = new LongAdder();
  final LongAdder unknownOutcomeEvents = new LongAdder();
  private final Map<String, LongAdder> errorsByStatus = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> connectionErrors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> rejectionReasons = new ConcurrentHashMap<>();
  private final Map<String, String> errorSamples = new ConcurrentHashMap<>();
  private final AtomicReference<LoadReport.KeyRefusal> keyRefusal = new AtomicReference<>();

  /** The first refusal of a key wins: it is what the operator has to fix. */
  void keyRefused(LoadReport.KeyRefusal refusal) {
    keyRefusal.compareAndSet(null, refusal);
  }

  /** Set once the server refused a key: every I/O thread stops sending. */
  LoadReport.KeyRefusal keyRefusal() {
    return keyRefusal.get();
  }

  void httpError(int status) {
    errorsByStatus.computeIfAbsent(Integer.toString(status), k -> new LongAdder()).increment();
  }

  void connectionError(String kind) {
    connectionErrors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void rejection(String reason) {
    String key =
        rejectionReasons.size() < MAX_REJECTION_REASONS || rejectionReasons.containsKey(reason)
            ? reason
            : OTHER_REASONS;
    rejectionReasons.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  boolean hasErrorSample(String key) {
    return errorSamples.containsKey(key);
  }

  void errorSample(String key, String text) {
    errorSamples.putIfAbsent(key, text);
  }

  CounterSnapshot snapshot() {
    return new CounterSnapshot(
        requests.sum(),
        events.sum(),
        okRequests.sum(),
        accepted.sum(),
        duplicates.sum(),
        duplicatesSent.sum(),
        rejected.sum(),
        throttledRequests.sum(),
        throttledEvents.sum(),
        failedRequests.sum(),
        failedEvents.sum(),
        requestsWithoutResponse.sum(),
        unknownOutcomeEvents.sum(),
        sums(errorsByStatus),
        sums(connectionErrors),
        sums(rejectionReasons),
        new TreeMap<>(errorSamples));
  }

  private static Map<String, Long> sums(Map<String, LongAdder> adders) {
    Map<String, Long> sums = new TreeMap<>();
    adders.forEach((key, adder) -> sums.put(key, adder.sum()));
    return sums;
  }
}

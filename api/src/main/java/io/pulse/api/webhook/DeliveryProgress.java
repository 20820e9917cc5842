package io.pulse.api.webhook;

import java.util.TreeSet;

/**
 * How far one delivery stream has come, when deliveries finish out of order across users: the
 * watermark is the highest offset such that every transition up to it has been examined and, if it
 * was to be delivered, has been delivered or dead-lettered.
 */
final class DeliveryProgress {

  private final TreeSet<Long> inFlight = new TreeSet<>();
  private long examined;
  private boolean deliveredSinceTaken;

  DeliveryProgress(long startAfter) {
    this.examined = startAfter;
  }

  /** The stream has looked at {@code offset}; {@code dispatched} if it is to be delivered. */
  synchronized void examined(long offset, boolean dispatched) {
    examined = Math.max(examined, offset);
    if (dispatched) {
      inFlight.add(offset);
    }
  }

  /** The delivery of {@code offset} is over (delivered, or durably dead-lettered). */
  synchronized void finished(long offset) {
    inFlight.remove(offset);
    deliveredSinceTaken = true;
  }

  /**
   * Whether a delivery finished since the last call. A watermark that moved only over other
   * tenants' or filtered-out transitions is not worth a journal write of its own.
   */
  synchronized boolean takeDelivered() {
    boolean delivered = deliveredSinceTaken;
    deliveredSinceTaken = false;
    return delivered;
  }

  synchronized long watermark() {
    return inFlight.isEmpty() ? examined : inFlight.first() - 1;
  }
}

package io.pulse.engine.domain;

import io.pulse.engine.CborSerializable;
import java.util.Objects;

/** An event the user's state refused, and why: it is not stored. */
public record EventRefusal(String eventId, String reason) implements CborSerializable {

  public EventRefusal {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(reason, "reason");
  }
}

package io.pulse.engine.domain.subscription;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.Transition;
import java.time.Instant;
import java.util.Objects;

/**
 * A transition that could not be delivered within the attempts allowed, kept with the reason so
 * that an operator can fix the receiver and redeliver it. {@code redelivering} is set while a
 * redelivery requested by the operator is under way.
 */
public record DeadLetter(
    long offset,
    // Typed: dead letters journaled before audiences existed hold a model's transition untyped.
    @JsonTypeInfo(
            use = JsonTypeInfo.Id.NAME,
            property = "kind",
            defaultImpl = SegmentTransition.class)
        @JsonSubTypes({
          @JsonSubTypes.Type(value = SegmentTransition.class, name = "segment"),
          @JsonSubTypes.Type(value = AudienceTransition.class, name = "audience")
        })
        Transition transition,
    int attempts,
    String lastError,
    Instant failedAt,
    boolean redelivering) {

  public DeadLetter {
    Objects.requireNonNull(transition, "transition");
    Objects.requireNonNull(failedAt, "failedAt");
    lastError = Objects.requireNonNullElse(lastError, "");
  }

  DeadLetter redeliveryStarted() {
    return new DeadLetter(offset, transition, attempts, lastError, failedAt, true);
  }
}

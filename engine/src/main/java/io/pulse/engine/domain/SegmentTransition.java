package io.pulse.engine.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A user moved from one band of a model to another ({@code from} is null for the first band). The
 * id is stable: the same user, model and transition count always give the same id, so consumers can
 * de-duplicate replays.
 */
public record SegmentTransition(
    String id,
    String userId,
    String model,
    String from,
    String to,
    double score,
    Instant at,
    TransitionCause cause,
    long modelVersion)
    implements Transition {

  /** The segment name of users without a qualifying event for the model's inactiveAfter. */
  public static final String INACTIVE = "inactive";

  public SegmentTransition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(cause, "cause");
  }

  /** A transition whose model version is not known. */
  public SegmentTransition(
      String id,
      String userId,
      String model,
      String from,
      String to,
      double score,
      Instant at,
      TransitionCause cause) {
    this(id, userId, model, from, to, score, at, cause, 0);
  }

  static String idFor(String userId, String model, long sequence) {
    return userId + ":" + model + ":" + sequence;
  }
}

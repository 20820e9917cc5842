package io.pulse.engine.domain.subscription;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.Transition;
import java.util.Objects;

/**
 * Which transitions a subscriber wants: each field is optional (null matches anything), and the
 * fields combine with AND. {@code band} is the band entered; {@code cause} is the wire name ({@code
 * event}, {@code decay}, ...), as in {@code GET /v1/transitions}. {@code model} and {@code band}
 * match transitions of models only, {@code audience} those of audiences only.
 */
public record TransitionFilter(
    String model, String band, String cause, String user, String audience) {

  /** Every transition. */
  public static final TransitionFilter ANY = new TransitionFilter(null, null, null, null, null);

  /** A filter on models' transitions and their users, as before audiences existed. */
  public TransitionFilter(String model, String band, String cause, String user) {
    this(model, band, cause, user, null);
  }

  public boolean matches(Transition transition) {
    if (cause != null && !cause.equals(transition.cause().wireName())) {
      return false;
    }
    if (user != null && !user.equals(transition.userId())) {
      return false;
    }
    if (transition instanceof SegmentTransition segment) {
      return audience == null
          && (model == null || model.equals(segment.model()))
          && (band == null || band.equals(segment.to()));
    }
    AudienceTransition membership = (AudienceTransition) transition;
    return model == null
        && band == null
        && (audience == null || audience.equals(membership.audience()));
  }

  /** The same filter, or {@link #ANY} when {@code filter} is null. */
  public static TransitionFilter orAny(TransitionFilter filter) {
    return Objects.requireNonNullElse(filter, ANY);
  }
}

package io.pulse.engine.domain.subscription;

import io.pulse.engine.domain.SegmentTransition;
import java.util.Objects;

/**
 * Which transitions a subscriber wants: each field is optional (null matches anything), and the
 * fields combine with AND. {@code band} is the band entered; {@code cause} is the wire name ({@code
 * event}, {@code decay}, ...), as in {@code GET /v1/transitions}.
 */
public record TransitionFilter(String model, String band, String cause, String user) {

  /** Every transition. */
  public static final TransitionFilter ANY = new TransitionFilter(null, null, null, null);

  public boolean matches(SegmentTransition transition) {
    return (model == null || model.equals(transition.model()))
        && (band == null || band.equals(transition.to()))
        && (cause == null || cause.equals(transition.cause().wireName()))
        && (user == null || user.equals(transition.userId()));
  }

  /** The same filter, or {@link #ANY} when {@code filter} is null. */
  public static TransitionFilter orAny(TransitionFilter filter) {
    return Objects.requireNonNullElse(filter, ANY);
  }
}

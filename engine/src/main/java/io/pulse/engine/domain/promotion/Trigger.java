package io.pulse.engine.domain.promotion;

import io.pulse.engine.domain.SegmentTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The transitions a campaign reacts to: those of {@code model} that enter (or leave) one of {@code
 * bands}. A band is any band name of the model, or {@code inactive}, the segment the engine puts a
 * user in after a quiet spell.
 */
public record Trigger(String model, TriggerDirection direction, List<String> bands) {

  public Trigger {
    Objects.requireNonNull(direction, "direction");
    bands = bands == null ? List.of() : List.copyOf(bands);
  }

  public static Trigger entered(String model, String... bands) {
    return new Trigger(model, TriggerDirection.ENTERED, List.of(bands));
  }

  public static Trigger exited(String model, String... bands) {
    return new Trigger(model, TriggerDirection.EXITED, List.of(bands));
  }

  public boolean matches(SegmentTransition transition) {
    if (!transition.model().equals(model)) {
      return false;
    }
    return direction == TriggerDirection.ENTERED
        ? transition.to() != null && bands.contains(transition.to())
        : transition.from() != null && bands.contains(transition.from());
  }

  /** Every way in which this trigger is unusable, each naming the field under {@code at}. */
  public List<String> problems(String at) {
    List<String> problems = new ArrayList<>();
    if (model == null || model.isBlank()) {
      problems.add(at + ".model is required");
    }
    if (bands.isEmpty()) {
      problems.add(at + "." + direction.wireName() + " must name at least one band");
    }
    for (int i = 0; i < bands.size(); i++) {
      if (bands.get(i) == null || bands.get(i).isBlank()) {
        problems.add(at + "." + direction.wireName() + "[" + i + "] must be a band name");
      }
    }
    return problems;
  }
}

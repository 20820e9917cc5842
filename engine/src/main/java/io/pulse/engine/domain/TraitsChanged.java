package io.pulse.engine.domain;

import io.pulse.engine.domain.profile.Traits;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user's traits changed: {@code set} traits took these values and {@code removed} ones are gone,
 * at {@code at}. Values are a string, a number, a boolean or a list of strings; dates are ISO-8601
 * strings.
 */
public record TraitsChanged(Map<String, Object> set, List<String> removed, Instant at)
    implements EngagementChange {

  public TraitsChanged {
    set = set == null ? Map.of() : Traits.normalized(set);
    removed = removed == null ? List.of() : List.copyOf(removed);
    Objects.requireNonNull(at, "at");
  }

  public boolean isEmpty() {
    return set.isEmpty() && removed.isEmpty();
  }
}

package io.pulse.engine.domain.audience;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Condition;
import java.util.List;
import java.util.Objects;

/** Which events a behaviour condition counts: a type, and conditions on the event's properties. */
public record EventMatch(String type, List<Condition> where) {

  public EventMatch {
    Objects.requireNonNull(type, "type");
    where = where == null ? List.of() : List.copyOf(where);
  }

  public boolean matches(BehaviouralEvent event) {
    if (!type.equals(event.type())) {
      return false;
    }
    for (Condition condition : where) {
      if (!condition.test(event)) {
        return false;
      }
    }
    return true;
  }
}

package io.pulse.engine.domain.watch;

import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.audience.EventMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Accepted events that a campaign fires on: those that {@code match}. {@code counted} when the
 * campaign fires on the n-th of them, so that each user keeps a count of them since their first
 * event.
 */
public record EventWatch(EventMatch match, boolean counted) {

  public EventWatch {
    Objects.requireNonNull(match, "match");
  }

  /**
   * The name users' journals give the events of {@code match}: the same for conditions that test
   * the same, whatever their order or the way their numbers are written.
   */
  public static String keyOf(EventMatch match) {
    List<String> conditions = new ArrayList<>(match.where().size());
    for (Condition condition : match.where()) {
      conditions.add(
          WatchKeys.canonical(condition.path())
              + " "
              + condition.operator().wireName()
              + " "
              + WatchKeys.canonical(condition.operand()));
    }
    conditions.sort(null);
    return WatchKeys.of("event:", WatchKeys.canonical(match.type()) + conditions);
  }

  public String key() {
    return keyOf(match);
  }
}

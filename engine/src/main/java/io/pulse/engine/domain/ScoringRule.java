package io.pulse.engine.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Awards points for events of one type, optionally narrowed to a channel and to property
 * conditions, at most {@code dailyCap} times per user and UTC day when a cap is set.
 */
public record ScoringRule(
    String event, Channel channel, double points, List<Condition> where, Integer dailyCap) {

  public ScoringRule {
    Objects.requireNonNull(event, "event");
    where = where == null ? List.of() : List.copyOf(where);
  }

  public static ScoringRule of(String event, Channel channel, double points) {
    return new ScoringRule(event, channel, points, List.of(), null);
  }

  public boolean matches(BehaviouralEvent candidate) {
    if (!event.equals(candidate.type())) {
      return false;
    }
    if (channel != null && channel != candidate.channel()) {
      return false;
    }
    for (Condition condition : where) {
      if (!condition.test(candidate)) {
        return false;
      }
    }
    return true;
  }

  List<String> problems(String at) {
    List<String> problems = new ArrayList<>();
    if (event.isBlank()) {
      problems.add(at + ".event must not be blank");
    }
    if (!Double.isFinite(points)) {
      problems.add(at + ".points must be a finite number");
    }
    if (dailyCap != null && dailyCap < 1) {
      problems.add(at + ".dailyCap must be at least 1, was " + dailyCap);
    }
    for (Condition condition : where) {
      condition.problem().ifPresent(problem -> problems.add(at + ".where: " + problem));
    }
    return problems;
  }
}

package io.pulse.engine.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Awards points for events of one type, optionally narrowed to a channel and to property
 * conditions, at most {@code dailyCap} times per user and UTC day when a cap is set. The points are
 * fixed, or with {@code pointsPer} in proportion to a number the event carries, at most {@code
 * maxPoints} (in absolute value) per event.
 */
public record ScoringRule(
    String event,
    Channel channel,
    double points,
    List<Condition> where,
    Integer dailyCap,
    PointsPer pointsPer,
    Double maxPoints) {

  /**
   * The most a proportional rule without {@code maxPoints} gives for one event, in absolute value:
   * the highest bound a fixed rule's points may be configured to.
   */
  static final double PROPORTIONAL_CEILING = InputLimits.HIGHEST_MAX_RULE_POINTS;

  public ScoringRule {
    Objects.requireNonNull(event, "event");
    where = where == null ? List.of() : List.copyOf(where);
  }

  /** A rule of fixed points. */
  public ScoringRule(
      String event, Channel channel, double points, List<Condition> where, Integer dailyCap) {
    this(event, channel, points, where, dailyCap, null, null);
  }

  public static ScoringRule of(String event, Channel channel, double points) {
    return new ScoringRule(event, channel, points, List.of(), null);
  }

  /** A rule whose points are in proportion to a number at {@code property}. */
  public static ScoringRule proportional(
      String event,
      Channel channel,
      PointsPer pointsPer,
      Double maxPoints,
      List<Condition> where,
      Integer dailyCap) {
    return new ScoringRule(event, channel, 0, where, dailyCap, pointsPer, maxPoints);
  }

  /**
   * The points this rule gives {@code candidate}, or NaN when it gives none: the event does not
   * match, or a proportional rule finds no number at its property (and then the event does not
   * count against the daily cap either).
   */
  public double pointsFor(BehaviouralEvent candidate) {
    if (!matches(candidate)) {
      return Double.NaN;
    }
    if (pointsPer == null) {
      return points;
    }
    double proportional = pointsPer.pointsFor(candidate);
    if (Double.isNaN(proportional)) {
      return proportional;
    }
    double ceiling = maxPoints != null ? maxPoints : PROPORTIONAL_CEILING;
    return Math.max(-ceiling, Math.min(ceiling, proportional));
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

  List<String> problems(String at, InputLimits limits) {
    List<String> problems = new ArrayList<>();
    if (event.isBlank()) {
      problems.add(at + ".event must not be blank");
    } else {
      InputText.textProblem(at + ".event", event).ifPresent(problems::add);
    }
    String bound = InputLimits.plain(limits.maxRulePoints());
    if (!Double.isFinite(points) || Math.abs(points) > limits.maxRulePoints()) {
      problems.add(at + ".points must be a number from -" + bound + " to " + bound);
    }
    if (pointsPer != null) {
      if (!pointsPer.property().startsWith("properties.")
          || pointsPer.property().length() == "properties.".length()
          || pointsPer.property().endsWith(".")
          || pointsPer.property().contains("..")) {
        problems.add(
            at
                + ".pointsPer.property must be a path into the event's properties, such as"
                + " properties.minutes");
      }
      if (!Double.isFinite(pointsPer.points())
          || Math.abs(pointsPer.points()) > limits.maxRulePoints()) {
        problems.add(at + ".pointsPer.points must be a number from -" + bound + " to " + bound);
      }
    }
    if (maxPoints != null) {
      if (pointsPer == null) {
        problems.add(at + ".maxPoints applies only to pointsPer");
      } else if (!Double.isFinite(maxPoints)
          || maxPoints <= 0
          || maxPoints > limits.maxRulePoints()) {
        problems.add(at + ".maxPoints must be above 0 and at most " + bound);
      }
    }
    if (dailyCap != null && dailyCap < 1) {
      problems.add(at + ".dailyCap must be at least 1, was " + dailyCap);
    }
    for (Condition condition : where) {
      Optional<String> problem = condition.problem();
      if (problem.isPresent()) {
        problems.add(at + ".where: " + problem.get());
      } else {
        InputText.treeProblem(at + ".where." + condition.path(), condition.operand())
            .ifPresent(problems::add);
      }
    }
    return problems;
  }
}

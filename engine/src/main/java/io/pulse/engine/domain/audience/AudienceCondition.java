package io.pulse.engine.domain.audience;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.profile.Traits;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who is in an audience: a tree of tests on a user's traits, scores, metrics and behaviour, read at
 * one moment. Each test also says when, with no event and no trait change, its answer could next
 * change by time alone, so that membership changes on time through a wake-up rather than a scan.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "test")
@JsonSubTypes({
  // Stored in the registry's journal: never renamed.
  @JsonSubTypes.Type(value = AudienceCondition.All.class, name = "all"),
  @JsonSubTypes.Type(value = AudienceCondition.Any.class, name = "any"),
  @JsonSubTypes.Type(value = AudienceCondition.Not.class, name = "not"),
  @JsonSubTypes.Type(value = AudienceCondition.TraitTest.class, name = "trait"),
  @JsonSubTypes.Type(value = AudienceCondition.ScoreTest.class, name = "score"),
  @JsonSubTypes.Type(value = AudienceCondition.MetricTest.class, name = "metric"),
  @JsonSubTypes.Type(value = AudienceCondition.EventWindow.class, name = "window"),
  @JsonSubTypes.Type(value = AudienceCondition.NotFollowedBy.class, name = "not-followed-by"),
  @JsonSubTypes.Type(value = AudienceCondition.InAudience.class, name = "audience"),
  @JsonSubTypes.Type(value = AudienceCondition.During.class, name = "during")
})
public sealed interface AudienceCondition {

  /** Whether the user passes at {@code now}. */
  boolean test(Facts facts, Instant now);

  /** The first moment after {@code now} at which the answer may change with time alone. */
  Optional<Instant> nextChange(Facts facts, Instant now);

  /** Visits this condition and every one under it, depth first. */
  void visit(Consumer<AudienceCondition> visitor);

  /** Every condition must hold. */
  record All(List<AudienceCondition> conditions) implements AudienceCondition {
    public All {
      conditions = List.copyOf(conditions);
    }

    @Override
    public boolean test(Facts facts, Instant now) {
      for (AudienceCondition condition : conditions) {
        if (!condition.test(facts, now)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Optional<Instant> nextChange(Facts facts, Instant now) {
      return earliest(conditions, facts, now);
    }

    @Override
    public void visit(Consumer<AudienceCondition> visitor) {
      visitor.accept(this);
      conditions.forEach(condition -> condition.visit(visitor));
    }
  }

  /** At least one condition must hold. */
  record Any(List<AudienceCondition> conditions) implements AudienceCondition {
    public Any {
      conditions = List.copyOf(conditions);
    }

    @Override
    public boolean test(Facts facts, Instant now) {
      for (AudienceCondition condition : conditions) {
        if (condition.test(facts, now)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Optional<Instant> nextChange(Facts facts, Instant now) {
      return earliest(conditions, facts, now);
    }

    @Override
    public void visit(Consumer<AudienceCondition> visitor) {
      visitor.accept(this);
      conditions.forEach(condition -> condition.visit(visitor));
    }
  }

  /** The condition must not hold. */
  record Not(AudienceCondition condition) implements AudienceCondition {
    public Not {
      Objects.requireNonNull(condition, "condition");
    }

    @Override
    public boolean test(Facts facts, Instant now) {
      return !condition.test(facts, now);
    }

    @Override
    public Optional<Instant> nextChange(Facts facts, Instant now) {
      return condition.nextChange(facts, now);
    }

    @Override
    public void visit(Consumer<AudienceCondition> visitor) {
      visitor.accept(this);
      condition.visit(visitor);
    }
  }

  /** How a trait is compared with an operand. */
  enum TraitOperator {
    EQ,
    NE,
    IN,
    GT,
    GTE,
    LT,
    LTE,
    EXISTS,
    CONTAINS,
    BEFORE,
    AFTER;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TraitOperator> fromWireName(String name) {
      return Arrays.stream(values()).filter(o -> o.wireName().equals(name)).findFirst();
    }
  }

  /**
   * A test on one trait. For {@code before} and {@code after} the operand is an ISO-8601 date or
   * date-time, or a {@link RelativeTime} ({@code "-P30D"}) when {@code relative} is set.
   */
  record TraitTest(String trait, TraitOperator operator, Object operand, RelativeTime relative)
      implements AudienceCondition {
    public TraitTest {
      Objects.requireNonNull(trait, "trait");
      Objects.requireNonNull(operator, "operator");
    }

    @Override
    public boolean test(Facts facts, Instant now) {
      Traits traits = facts.traits();
      Optional<Object> value = traits.get(trait);
      return switch (operator) {
        case EXISTS -> value.isPresent() == Boolean.TRUE.equals(operand);
        case EQ -> value.isPresent() && same(value.get(), operand);
        case NE -> value.isEmpty() || !same(value.get(), operand);
        case IN ->
            value.isPresent()
                && operand instanceof List<?> list
                && list.stream().anyMatch(candidate -> same(value.get(), candidate));
        case CONTAINS ->
            value.isPresent()
                && (value.get() instanceof List<?> list
                    ? list.contains(operand)
                    : value.get() instanceof String text
                        && operand instanceof String part
                        && text.contains(part));
        case GT, GTE, LT, LTE -> value.isPresent() && ordered(value.get());
        case BEFORE, AFTER -> dated(traits, now);
      };
    }

    private boolean dated(Traits traits, Instant now) {
      Optional<Instant> at = traits.instantOf(trait);
      if (at.isEmpty()) {
        return false;
      }
      Instant threshold = threshold(now);
      return operator == TraitOperator.BEFORE
          ? at.get().isBefore(threshold)
          : at.get().isAfter(threshold);
    }

    private Instant threshold(Instant now) {
      return relative != null
          ? relative.from(now)
          : Traits.instant(String.valueOf(operand)).orElse(Instant.MAX);
    }

    private boolean ordered(Object value) {
      int comparison;
      if (value instanceof Number left && operand instanceof Number right) {
        comparison = Double.compare(left.doubleValue(), right.doubleValue());
      } else if (value instanceof String left && operand instanceof String right) {
        comparison = left.compareTo(right);
      } else {
        return false;
      }
      return switch (operator) {
        case GT -> comparison > 0;
        case GTE -> comparison >= 0;
        case LT -> comparison < 0;
        default -> comparison <= 0;
      };
    }

    private static boolean same(Object value, Object operand) {
      if (value instanceof Number a && operand instanceof Number b) {
        return a.doubleValue() == b.doubleValue();
      }
      return Objects.equals(value, operand);
    }

    @Override
    public Optional<Instant> nextChange(Facts facts, Instant now) {
      if (relative == null
          || (operator != TraitOperator.BEFORE && operator != TraitOperator.AFTER)) {
        return Optional.empty();
      }
      // The threshold moves with now: the answer flips once it passes the trait's own moment.
      return facts
          .traits()
          .instantOf(trait)
          .map(relative::nowWhenAt)
          .map(flip -> flip.plusMillis(1))
          .filter(flip -> flip.isAfter(now));
    }

    @Override
    public void visit(Consumer<AudienceCondition> visitor) {
      visitor.accept(this);
    }
  }

  /** A test on the user's score in a model now: its band, or a comparison of the score. */
  record ScoreTest(String model, String band, NumberTest comparison) implements AudienceCondition {
    public ScoreTest {
      Objects.requireNonNull(model, "model");
      if ((band == null) == (comparison == null)) {
        throw new IllegalArgumentException("a score test has a band or a comparison");
      }
    }

    @Override
    public boolean test(Facts facts, Instant now) {
      Optional<Double> score = facts.score(model, now);
      if (score.isEmpty()) {
        return false;
      }
      if (band != null) {
        return facts.band(model, score.get()).map(band::equals).orElse(false);
      }
      return comparison.test(score.get());
    }

    @Override
    public Optional<Instant> nextChange(Facts facts, Instant now) {
      Optional<Double> score = facts.score(model, now);
      if (score.isEmpty()) {
        return Optional.empty();
      }
      double current = score.get();
      if (comparison != null) {
        return fallsBelow(facts, comparison.threshold(), current, now, Optional.empty());
      }
      Optional<Instant> next = Optional.empty();
      for (Band band : facts.bands(model)) {
        next = fallsBelow(facts, band.from(), current, now, next);
      }
      return next;
    }

    /**
     * The earlier of {@code next} and the moment decay takes {@code current} below {@code
     * threshold}.
     */
    private Optional<Instant> fallsBelow(
        Facts facts, double threshold, double current, Instant now, Optional<Instant> next) {
      if (!(threshold < current)) {
        return next;
      }
      return earlier(next, facts.scoreReaches(model, threshold, now).map(at -> at.plusMillis(1)));
    }

    @Override
    public void visit(Consumer<AudienceCondition> visitor) {
      visitor.accept(this);
    }
  }

  /** A test on one of the user's figures. A figure the user does not have fails the test. */
  record MetricTest(Metric metric, NumberTest comparison) implements AudienceCondition {
    public MetricTest {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(comparison, "comparison");
    }

    @Override
    public boolean test(Facts facts, Instant now) {
      var value = metric.of(facts.metrics(), now);
      return value.isPresent() && comparison.test(value.getAsDouble());
    }

    @Override
    public Optional<Instant> nextChange(Facts facts, Instant now) {
      Optional<Instant> since = metric.daysSince(facts.metrics());
      if (since.isEmpty()) {
        return Optional.empty();
      }
      // Whole days since a moment: the answer can flip only as the count reaches the threshold
      // or passes it.
      double threshold = comparison.threshold();
      Optional<Instant> next = Optional.empty();
      for (long days : new long[] {(long) Math.ceil(threshold), (long) Math.floor(threshold) + 1}) {
        if (days >= 0) {
          Instant at = since.get().plus(Duration.ofDays(days));
          if (at.isAfter(now)) {
            next = earlier(next, Optional.of(at));
          }
        }
      }
      return next;
    }

    @Override
    public void visit(Consumer<AudienceCondition> visitor) {
      visitor.accept(this);
    }
  }

  /**
   * How many matching events happened within the last {@code within}: {@code {"event": "page_view",
   * "within": "P7D", "count": {"gte": 3}}}. {@code slot} numbers the behaviour the user keeps for
   * it.
   */
  record EventWindow(EventMatch event, Duration within, NumberTest count, int slot)
      implements AudienceCondition {
    public EventWindow {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(within, "within");
      Objects.requireNonNull(count, "count");
    }

    @Override
    public boolean test(Facts facts, Instant now) {
      return count.test(recent(facts).countWithin(within, now));
    }

    @Override
    public Optional<Instant> nextChange(Facts facts, Instant now) {
      return recent(facts).nextChange(within, now);
    }

    private Behaviour.Recent recent(Facts facts) {
      return facts.behaviour(slot) instanceof Behaviour.Recent recent
          ? recent
          : Behaviour.Recent.NONE;
    }

    /** How many recent events the user keeps for this condition. */
    int keeps() {
      return count.countsNeeded();
    }

    @Override
    public void visit(Consumer<AudienceCondition> visitor) {
      visitor.accept(this);
    }
  }

  /**
   * The user did {@code first} and not {@code then} after it for {@code within}: the abandoned
   * cart. A new {@code first} starts the wait again; a {@code then} ends it.
   */
  record NotFollowedBy(EventMatch first, EventMatch then, Duration within, int slot)
      implements AudienceCondition {
    public NotFollowedBy {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(then, "then");
      Objects.requireNonNull(within, "within");
    }

    @Override
    public boolean test(Facts facts, Instant now) {
      return wait(facts).ranOut(within, now);
    }

    @Override
    public Optional<Instant> nextChange(Facts facts, Instant now) {
      return wait(facts).runsOut(within, now);
    }

    private Behaviour.Wait wait(Facts facts) {
      return facts.behaviour(slot) instanceof Behaviour.Wait wait ? wait : Behaviour.Wait.NONE;
    }

    @Override
    public void visit(Consumer<AudienceCondition> visitor) {
      visitor.accept(this);
    }
  }

  /** Membership of another audience. */
  record InAudience(String audience) implements AudienceCondition {
    public InAudience {
      Objects.requireNonNull(audience, "audience");
    }

    @Override
    public boolean test(Facts facts, Instant now) {
      return facts.member(audience);
    }

    @Override
    public Optional<Instant> nextChange(Facts facts, Instant now) {
      // That audience's own moments are among every audience's, which the user wakes for.
      return Optional.empty();
    }

    @Override
    public void visit(Consumer<AudienceCondition> visitor) {
      visitor.accept(this);
    }
  }

  /**
   * A stretch of time: holds from {@code from} (inclusive; since always when null) until {@code
   * until} (exclusive; for ever when null). Every user it is decided for wakes up at both ends, so
   * that a campaign for "Irish customers on St Patrick's Day" reaches each of them at the start.
   */
  record During(Instant from, Instant until) implements AudienceCondition {
    public During {
      if (from == null && until == null) {
        throw new IllegalArgumentException("a stretch of time has a start, an end or both");
      }
    }

    @Override
    public boolean test(Facts facts, Instant now) {
      return (from == null || !now.isBefore(from)) && (until == null || now.isBefore(until));
    }

    @Override
    public Optional<Instant> nextChange(Facts facts, Instant now) {
      if (from != null && now.isBefore(from)) {
        return Optional.of(from);
      }
      if (until != null && now.isBefore(until)) {
        return Optional.of(until);
      }
      return Optional.empty();
    }

    @Override
    public void visit(Consumer<AudienceCondition> visitor) {
      visitor.accept(this);
    }
  }

  private static Optional<Instant> earliest(
      List<AudienceCondition> conditions, Facts facts, Instant now) {
    Optional<Instant> next = Optional.empty();
    for (AudienceCondition condition : conditions) {
      next = earlier(next, condition.nextChange(facts, now));
    }
    return next;
  }

  private static Optional<Instant> earlier(Optional<Instant> one, Optional<Instant> other) {
    if (one.isEmpty()) {
      return other;
    }
    if (other.isEmpty()) {
      return one;
    }
    return one.get().isBefore(other.get()) ? one : other;
  }
}

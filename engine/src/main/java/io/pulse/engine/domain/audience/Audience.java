package io.pulse.engine.domain.audience;

import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named set of users, defined by a condition over their traits, scores, metrics and behaviour,
 * evaluated per user at every event, trait change and at the moment time alone changes it. {@code
 * version} counts its changed definitions, and {@code since} is when this version was stored (null
 * for one stored before that was recorded); each condition that remembers behaviour has a slot.
 */
public record Audience(
    String id, String name, AudienceCondition condition, long version, Instant since) {

  /**
   * How long after a version is stored every node decides users under it: nodes hear of it at once,
   * or re-read the registry within seconds, and their clocks differ a little. A user decided this
   * long after a version was stored was decided under it, standing or no standing.
   */
  public static final Duration SETTLED_AFTER = Duration.ofSeconds(30);

  /** The deepest a condition tree may be. */
  public static final int MAX_DEPTH = 16;

  /** The most tests a condition may hold. */
  public static final int MAX_LEAVES = 100;

  /** The largest count a window may test: the user keeps that many event times for it. */
  public static final int MAX_COUNT = 1000;

  /** The longest window or wait. */
  public static final Duration MAX_WITHIN = Duration.ofDays(400);

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final int MAX_NAME_LENGTH = 200;

  public Audience {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(condition, "condition");
    name = name == null ? id : name;
  }

  /** A version of unknown date. */
  public Audience(String id, String name, AudienceCondition condition, long version) {
    this(id, name, condition, version, null);
  }

  /** An audience of the given definition, its behaviour conditions numbered in tree order. */
  public static Audience of(String id, String name, AudienceCondition condition) {
    return new Audience(id, name, numbered(condition, new int[] {0}), 1);
  }

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public Audience withVersion(long newVersion) {
    return new Audience(id, name, condition, newVersion, since);
  }

  /** This version, stored at {@code storedAt}. */
  public Audience storedAt(Instant storedAt) {
    return new Audience(id, name, condition, version, storedAt);
  }

  /**
   * Whether a user whose audiences were last decided at {@code decidedAt} was decided under this
   * version, though no standing in it was kept: one that is neither a member nor remembers any
   * behaviour is not journaled, so that it costs nothing to users it does not concern.
   */
  public boolean settledBy(Instant decidedAt) {
    return since != null && decidedAt != null && !decidedAt.isBefore(since.plus(SETTLED_AFTER));
  }

  /** Whether {@code other} defines the same audience (whatever its version). */
  public boolean sameDefinitionAs(Audience other) {
    return name.equals(other.name) && condition.equals(other.condition);
  }

  /** The conditions that remember behaviour, by slot. */
  public List<AudienceCondition> behaviours() {
    List<AudienceCondition> slots = new ArrayList<>();
    condition.visit(
        node -> {
          if (node instanceof AudienceCondition.EventWindow
              || node instanceof AudienceCondition.NotFollowedBy) {
            slots.add(node);
          }
        });
    return slots;
  }

  /** The audiences this one's condition refers to. */
  public List<String> references() {
    List<String> references = new ArrayList<>();
    condition.visit(
        node -> {
          if (node instanceof AudienceCondition.InAudience in) {
            references.add(in.audience());
          }
        });
    return references;
  }

  /**
   * Whether the condition reads nothing but the behaviour its user remembers for it and the time:
   * its membership changes only when an event changes that behaviour, or at a moment that behaviour
   * and the condition alone tell.
   */
  public boolean readsOnlyOwnBehaviourAndTime() {
    boolean[] only = {true};
    condition.visit(
        node -> {
          if (!(node instanceof AudienceCondition.All
              || node instanceof AudienceCondition.Any
              || node instanceof AudienceCondition.Not
              || node instanceof AudienceCondition.EventWindow
              || node instanceof AudienceCondition.NotFollowedBy
              || node instanceof AudienceCondition.During)) {
            only[0] = false;
          }
        });
    return only[0];
  }

  /**
   * Every way this audience is wrong among {@code models} and the {@code others} audiences of its
   * tenant: its id and name, unknown models, bands or audiences, tests out of bounds. The shape of
   * the tree (depth, width, cycles) is checked by {@link Audiences#problemsWith}.
   */
  public List<String> problems(ScoringModels models, Audiences others) {
    List<String> problems = new ArrayList<>();
    if (!isValidId(id)) {
      problems.add(
          "id must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit");
    }
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      problems.add("name must have 1 to " + MAX_NAME_LENGTH + " characters");
    }
    condition.visit(node -> problems.addAll(problemsOf(node, models, others)));
    return problems;
  }

  private List<String> problemsOf(AudienceCondition node, ScoringModels models, Audiences others) {
    List<String> problems = new ArrayList<>();
    if (node instanceof AudienceCondition.All all && all.conditions().isEmpty()) {
      problems.add("condition: 'all' takes at least one condition");
    } else if (node instanceof AudienceCondition.Any any && any.conditions().isEmpty()) {
      problems.add("condition: 'any' takes at least one condition");
    } else if (node instanceof AudienceCondition.ScoreTest score) {
      Optional<ScoringModel> model = models.get(score.model());
      if (model.isEmpty()) {
        problems.add("condition: score.model '" + score.model() + "' is not a scoring model");
      } else if (score.band() != null
          && model.get().bands().stream().map(Band::name).noneMatch(score.band()::equals)) {
        problems.add(
            "condition: score.band '"
                + score.band()
                + "' is not a band of model '"
                + score.model()
                + "' ("
                + String.join(", ", model.get().bands().stream().map(Band::name).toList())
                + ")");
      }
    } else if (node instanceof AudienceCondition.During during) {
      if (during.from() != null
          && during.until() != null
          && !during.from().isBefore(during.until())) {
        problems.add("condition: during.from must be before during.until");
      }
    } else if (node instanceof AudienceCondition.InAudience in) {
      if (in.audience().equals(id)) {
        problems.add("condition: audience '" + id + "' refers to itself");
      } else if (others.get(in.audience()).isEmpty()) {
        problems.add("condition: audience '" + in.audience() + "' does not exist");
      }
    } else if (node instanceof AudienceCondition.EventWindow window) {
      problems.addAll(matchProblems("event", window.event()));
      problems.addAll(withinProblems(window.within()));
      double threshold = window.count().threshold();
      if (threshold < 0 || threshold > MAX_COUNT || threshold != Math.floor(threshold)) {
        problems.add("condition: count must compare with a whole number from 0 to " + MAX_COUNT);
      }
    } else if (node instanceof AudienceCondition.NotFollowedBy absence) {
      problems.addAll(matchProblems("event", absence.first()));
      problems.addAll(matchProblems("notFollowedBy", absence.then()));
      problems.addAll(withinProblems(absence.within()));
    }
    return problems;
  }

  private static List<String> matchProblems(String field, EventMatch match) {
    List<String> problems = new ArrayList<>();
    if (match.type().isBlank()) {
      problems.add("condition: " + field + " must name an event type");
    }
    for (Condition where : match.where()) {
      where.problem().ifPresent(problem -> problems.add("condition: where: " + problem));
    }
    return problems;
  }

  private static List<String> withinProblems(Duration within) {
    if (within.isNegative() || within.isZero() || within.compareTo(MAX_WITHIN) > 0) {
      return List.of("condition: within must be a positive duration of at most P400D");
    }
    return List.of();
  }

  /** The tree with its behaviour conditions numbered in depth-first order. */
  private static AudienceCondition numbered(AudienceCondition node, int[] next) {
    if (node instanceof AudienceCondition.All all) {
      return new AudienceCondition.All(
          all.conditions().stream().map(child -> numbered(child, next)).toList());
    }
    if (node instanceof AudienceCondition.Any any) {
      return new AudienceCondition.Any(
          any.conditions().stream().map(child -> numbered(child, next)).toList());
    }
    if (node instanceof AudienceCondition.Not not) {
      return new AudienceCondition.Not(numbered(not.condition(), next));
    }
    if (node instanceof AudienceCondition.EventWindow window) {
      return new AudienceCondition.EventWindow(
          window.event(), window.within(), window.count(), next[0]++);
    }
    if (node instanceof AudienceCondition.NotFollowedBy absence) {
      return new AudienceCondition.NotFollowedBy(
          absence.first(), absence.then(), absence.within(), next[0]++);
    }
    return node;
  }
}

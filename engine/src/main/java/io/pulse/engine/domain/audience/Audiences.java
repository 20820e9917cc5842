package io.pulse.engine.domain.audience;

import io.pulse.engine.domain.ScoringModels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The audiences of one tenant, by id. */
public record Audiences(Map<String, Audience> byId) {

  public static final Audiences NONE = new Audiences(Map.of());

  public Audiences {
    byId =
        byId instanceof AudienceMap held ? held : new AudienceMap(byId == null ? Map.of() : byId);
  }

  public static Audiences of(Audience... audiences) {
    Map<String, Audience> byId = new TreeMap<>();
    for (Audience audience : audiences) {
      byId.put(audience.id(), audience);
    }
    return new Audiences(byId);
  }

  public Collection<Audience> all() {
    return byId.values();
  }

  public boolean isEmpty() {
    return byId.isEmpty();
  }

  public Optional<Audience> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public Audiences with(Audience audience) {
    Map<String, Audience> next = new TreeMap<>(byId);
    next.put(audience.id(), audience);
    return new Audiences(next);
  }

  public Audiences without(String id) {
    Map<String, Audience> next = new TreeMap<>(byId);
    next.remove(id);
    return new Audiences(next);
  }

  /** The audiences whose conditions refer to {@code id}. */
  public List<String> referring(String id) {
    return byId.values().stream()
        .filter(audience -> audience.references().contains(id))
        .map(Audience::id)
        .toList();
  }

  /**
   * Every audience, each after the ones its condition refers to, so that a round of evaluation
   * knows a referred audience's membership before it is needed.
   */
  public List<Audience> ordered() {
    return ((AudienceMap) byId).ordered();
  }

  /** Where audience {@code id} is in {@link #ordered()}, or -1 when there is no such audience. */
  int position(String id) {
    return ((AudienceMap) byId).position(id);
  }

  /** As {@link AudienceMap#timedByOwnBehaviour}. */
  boolean timedByOwnBehaviour(int position) {
    return ((AudienceMap) byId).timedByOwnBehaviour(position);
  }

  /** As {@link AudienceMap#referred}. */
  boolean referred(int position) {
    return ((AudienceMap) byId).referred(position);
  }

  /** The conditions that remember behaviour, audience by audience. */
  List<AudienceMap.Behaviour> behaviours() {
    return ((AudienceMap) byId).behaviours();
  }

  /**
   * Everything wrong with {@code candidate} as a new or changed audience among these: its own
   * problems, a tree deeper than {@link Audience#MAX_DEPTH} or with more than {@link
   * Audience#MAX_LEAVES} tests, and a cycle of references through it.
   */
  public List<String> problemsWith(Audience candidate, ScoringModels models) {
    List<String> problems = new ArrayList<>(candidate.problems(models, this));
    int depth = depth(candidate.condition());
    if (depth > Audience.MAX_DEPTH) {
      problems.add(
          "condition: the tree is " + depth + " levels deep; at most " + Audience.MAX_DEPTH);
    }
    int[] leaves = {0};
    candidate
        .condition()
        .visit(
            node -> {
              if (!(node instanceof AudienceCondition.All)
                  && !(node instanceof AudienceCondition.Any)
                  && !(node instanceof AudienceCondition.Not)) {
                leaves[0]++;
              }
            });
    if (leaves[0] > Audience.MAX_LEAVES) {
      problems.add(
          "condition: the tree has " + leaves[0] + " tests; at most " + Audience.MAX_LEAVES);
    }
    if (!candidate.references().contains(candidate.id())) {
      // A reference to itself is named by the audience's own problems.
      cycleThrough(candidate, with(candidate))
          .ifPresent(
              cycle ->
                  problems.add("condition: audiences refer to each other in a cycle: " + cycle));
    }
    return problems;
  }

  private static Optional<String> cycleThrough(Audience start, Audiences all) {
    return cycle(start.id(), all, new ArrayList<>(List.of(start.id())));
  }

  private static Optional<String> cycle(String at, Audiences all, List<String> path) {
    Audience audience = all.byId.get(at);
    if (audience == null) {
      return Optional.empty();
    }
    for (String next : audience.references()) {
      if (next.equals(path.get(0))) {
        List<String> loop = new ArrayList<>(path);
        loop.add(next);
        return Optional.of(String.join(" -> ", loop));
      }
      if (!path.contains(next)) {
        path.add(next);
        Optional<String> found = cycle(next, all, path);
        if (found.isPresent()) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return Optional.empty();
  }

  private static int depth(AudienceCondition node) {
    if (node instanceof AudienceCondition.All all) {
      return 1 + all.conditions().stream().mapToInt(Audiences::depth).max().orElse(0);
    }
    if (node instanceof AudienceCondition.Any any) {
      return 1 + any.conditions().stream().mapToInt(Audiences::depth).max().orElse(0);
    }
    if (node instanceof AudienceCondition.Not not) {
      return 1 + depth(not.condition());
    }
    return 1;
  }
}

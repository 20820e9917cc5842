package io.pulse.engine.domain.audience;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A tenant's audiences by id, read-only, which works out once what every event of every user would
 * otherwise work out again: the order of evaluation and the conditions that remember behaviour. It
 * is a plain map to everything else, serialized as one, so that the stored shape of {@link
 * Audiences} does not depend on it.
 */
final class AudienceMap extends AbstractMap<String, Audience> {

  /** One condition that remembers behaviour, with the audience it belongs to. */
  record Behaviour(Audience audience, AudienceCondition condition) {}

  private final Map<String, Audience> byId;
  // Derived from byId alone: computing them twice in a race gives equal lists.
  private volatile List<Audience> ordered;
  private volatile List<Behaviour> behaviours;
  private volatile Map<String, Integer> positions;
  private volatile boolean[] timedByOwnBehaviour;
  private volatile boolean[] referred;

  AudienceMap(Map<String, Audience> byId) {
    this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
  }

  @Override
  public Set<Entry<String, Audience>> entrySet() {
    return byId.entrySet();
  }

  @Override
  public Audience get(Object key) {
    return byId.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return byId.containsKey(key);
  }

  @Override
  public int size() {
    return byId.size();
  }

  /**
   * Every audience, each after the ones its condition refers to, so that a round of evaluation
   * knows a referred audience's membership before it is needed.
   */
  List<Audience> ordered() {
    List<Audience> held = ordered;
    if (held == null) {
      List<Audience> order = new ArrayList<>(byId.size());
      Set<String> placed = new HashSet<>();
      for (Audience audience : byId.values()) {
        place(audience, placed, new LinkedHashSet<>(), order);
      }
      held = List.copyOf(order);
      ordered = held;
    }
    return held;
  }

  /** Where audience {@code id} is in {@link #ordered()}, or -1 when there is no such audience. */
  int position(String id) {
    if (id == null) {
      return -1;
    }
    Map<String, Integer> held = positions;
    if (held == null) {
      List<Audience> order = ordered();
      Map<String, Integer> byPosition = new HashMap<>();
      for (int i = 0; i < order.size(); i++) {
        byPosition.put(order.get(i).id(), i);
      }
      held = Map.copyOf(byPosition);
      positions = held;
    }
    Integer position = held.get(id);
    return position == null ? -1 : position;
  }

  /**
   * Whether the audience at {@code position} of {@link #ordered()} reads nothing but its own
   * behaviour and the time ({@link Audience#readsOnlyOwnBehaviourAndTime}).
   */
  boolean timedByOwnBehaviour(int position) {
    boolean[] held = timedByOwnBehaviour;
    if (held == null) {
      List<Audience> order = ordered();
      held = new boolean[order.size()];
      for (int i = 0; i < held.length; i++) {
        held[i] = order.get(i).readsOnlyOwnBehaviourAndTime();
      }
      timedByOwnBehaviour = held;
    }
    return held[position];
  }

  /** Whether another audience's condition refers to the audience at {@code position}. */
  boolean referred(int position) {
    boolean[] held = referred;
    if (held == null) {
      List<Audience> order = ordered();
      held = new boolean[order.size()];
      for (Audience audience : order) {
        for (String reference : audience.references()) {
          int at = position(reference);
          if (at >= 0) {
            held[at] = true;
          }
        }
      }
      referred = held;
    }
    return held[position];
  }

  /** The conditions that remember behaviour, audience by audience, each in slot order. */
  List<Behaviour> behaviours() {
    List<Behaviour> held = behaviours;
    if (held == null) {
      List<Behaviour> all = new ArrayList<>();
      for (Audience audience : byId.values()) {
        for (AudienceCondition condition : audience.behaviours()) {
          all.add(new Behaviour(audience, condition));
        }
      }
      held = List.copyOf(all);
      behaviours = held;
    }
    return held;
  }

  private void place(
      Audience audience, Set<String> placed, Set<String> path, List<Audience> order) {
    if (placed.contains(audience.id()) || !path.add(audience.id())) {
      return;
    }
    for (String reference : audience.references()) {
      Audience referred = byId.get(reference);
      if (referred != null) {
        place(referred, placed, path, order);
      }
    }
    placed.add(audience.id());
    order.add(audience);
  }
}

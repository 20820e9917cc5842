package io.pulse.engine.domain;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The set of models in force, each evaluated for every event; ordered by id. */
public record ScoringModels(Map<String, ScoringModel> byId) {

  public ScoringModels {
    byId = java.util.Collections.unmodifiableMap(new TreeMap<>(byId));
  }

  public static ScoringModels of(ScoringModel... models) {
    Map<String, ScoringModel> byId = new TreeMap<>();
    for (ScoringModel model : models) {
      byId.put(model.id(), model);
    }
    return new ScoringModels(byId);
  }

  public Collection<ScoringModel> all() {
    return byId.values();
  }

  public Optional<ScoringModel> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public ScoringModels with(ScoringModel model) {
    Map<String, ScoringModel> copy = new TreeMap<>(byId);
    copy.put(model.id(), model);
    return new ScoringModels(copy);
  }

  public ScoringModels without(String id) {
    Map<String, ScoringModel> copy = new TreeMap<>(byId);
    copy.remove(id);
    return new ScoringModels(copy);
  }
}

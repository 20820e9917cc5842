package io.pulse.engine.domain;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The set of models in force, each evaluated for every event; ordered by id. While a changed model
 * re-scores its users, the version it replaced stays in {@code previous}, so that users not yet
 * re-scored are shown under the version their points were earned with.
 */
public record ScoringModels(Map<String, ScoringModel> byId, Map<String, ScoringModel> previous) {

  public ScoringModels {
    byId = Collections.unmodifiableMap(new TreeMap<>(byId));
    previous = previous == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(previous));
  }

  /** Models with no re-scoring under way. */
  public ScoringModels(Map<String, ScoringModel> byId) {
    this(byId, Map.of());
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

  /** The version a user should be read under: the current one once re-scored, else the previous. */
  public ScoringModel forReading(ScoringModel current, UserEngagement user) {
    ScoringModel replaced = previous.get(current.id());
    return replaced == null || user.scoredUnder(current) ? current : replaced;
  }

  /** Adds or replaces a model; a replaced version is kept as previous until re-scoring ends. */
  public ScoringModels with(ScoringModel model) {
    Map<String, ScoringModel> models = new TreeMap<>(byId);
    Map<String, ScoringModel> replaced = new TreeMap<>(previous);
    ScoringModel old = models.put(model.id(), model);
    if (old != null && !replaced.containsKey(model.id())) {
      replaced.put(model.id(), old);
    }
    return new ScoringModels(models, replaced);
  }

  /** Removes a model; its last version stays as previous until its standings are removed. */
  public ScoringModels without(String id) {
    Map<String, ScoringModel> models = new TreeMap<>(byId);
    ScoringModel removed = models.remove(id);
    Map<String, ScoringModel> replaced = new TreeMap<>(previous);
    replaced.remove(id);
    if (removed != null) {
      replaced.put(id, removed);
    }
    return new ScoringModels(models, replaced);
  }

  /** Re-scoring of {@code id} has finished: its previous version is no longer needed. */
  public ScoringModels rescored(String id) {
    Map<String, ScoringModel> replaced = new TreeMap<>(previous);
    replaced.remove(id);
    return new ScoringModels(byId, replaced);
  }
}

package io.pulse.engine.model;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.ScoringModels;
import java.util.Map;

/**
 * The models in force after the registry's {@code revision}-th change, and the re-scorings those
 * changes started; a node keeps the highest revision it has seen, so a late answer never replaces a
 * newer catalog.
 */
public record ModelCatalogRevision(
    long revision, ScoringModels models, Map<String, RescoringProgress> rescorings)
    implements CborSerializable {

  public ModelCatalogRevision {
    rescorings = rescorings == null ? Map.of() : Map.copyOf(rescorings);
  }

  /** A catalog with no re-scoring recorded. */
  public ModelCatalogRevision(long revision, ScoringModels models) {
    this(revision, models, Map.of());
  }
}

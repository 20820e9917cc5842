package io.pulse.engine.model;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.ScoringModels;

/**
 * The models in force after the registry's {@code revision}-th change; a node keeps the highest
 * revision it has seen, so a late answer never replaces a newer catalog.
 */
public record ModelCatalogRevision(long revision, ScoringModels models)
    implements CborSerializable {}

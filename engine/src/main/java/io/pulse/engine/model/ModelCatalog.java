package io.pulse.engine.model;

import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.ScoringModels;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * This node's copy of one tenant's models in force, read on every event without a round trip; kept
 * up to date by {@link ModelCatalogs}.
 */
public final class ModelCatalog implements Supplier<ScoringModels> {

  private static final Definitions NOTHING = Definitions.of(ScoringModels.of());

  /** A revision and the definitions built from it once, rather than on every event. */
  private record Held(ModelCatalogRevision revision, Definitions definitions) {}

  private final AtomicReference<ModelCatalogRevision> current = new AtomicReference<>();
  private volatile Held held;

  /** The models in force; empty until the first catalog has arrived. */
  @Override
  public ScoringModels get() {
    ModelCatalogRevision catalog = current.get();
    return catalog == null ? ScoringModels.of() : catalog.models();
  }

  /** Everything the tenant's users are evaluated against; no models until loaded. */
  public Definitions definitions() {
    ModelCatalogRevision catalog = current.get();
    if (catalog == null) {
      return NOTHING;
    }
    Held known = held;
    if (known != null && known.revision() == catalog) {
      return known.definitions();
    }
    // Two threads may build it at once: both build the same, and either is kept.
    Definitions built = catalog.definitions();
    held = new Held(catalog, built);
    return built;
  }

  /** The latest revision this node holds, if any. */
  public java.util.Optional<ModelCatalogRevision> revisionHeld() {
    return java.util.Optional.ofNullable(current.get());
  }

  public boolean isLoaded() {
    return current.get() != null;
  }

  public long revision() {
    ModelCatalogRevision catalog = current.get();
    return catalog == null ? -1 : catalog.revision();
  }

  /** Keeps {@code candidate} unless this node already holds a newer revision. */
  public void offer(ModelCatalogRevision candidate) {
    current.accumulateAndGet(
        candidate,
        (held, offered) -> held == null || offered.revision() > held.revision() ? offered : held);
  }
}

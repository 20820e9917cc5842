package io.pulse.engine.model;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.access.TenantId;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.watch.CampaignWatch;
import io.pulse.engine.domain.watch.Watches;
import java.util.Map;

/**
 * The models of {@code tenant} in force after its registry's {@code revision}-th change, its
 * audiences, what its campaigns watch (by campaign), and the re-scorings those changes started; a
 * node keeps the highest revision it has seen, so a late answer never replaces a newer catalog.
 */
public record ModelCatalogRevision(
    String tenant,
    long revision,
    ScoringModels models,
    Map<String, RescoringProgress> rescorings,
    Audiences audiences,
    Map<String, CampaignWatch> watches)
    implements CborSerializable {

  public ModelCatalogRevision {
    // Announced without a tenant by nodes that predate tenants, which served only the default.
    tenant = tenant == null ? TenantId.DEFAULT.value() : tenant;
    rescorings = rescorings == null ? Map.of() : Map.copyOf(rescorings);
    audiences = audiences == null ? Audiences.NONE : audiences;
    watches = watches == null ? Map.of() : Map.copyOf(watches);
  }

  /** A catalog of {@code tenant} whose campaigns watch nothing. */
  public ModelCatalogRevision(
      String tenant,
      long revision,
      ScoringModels models,
      Map<String, RescoringProgress> rescorings,
      Audiences audiences) {
    this(tenant, revision, models, rescorings, audiences, Map.of());
  }

  /** A catalog of {@code tenant} with no audience. */
  public ModelCatalogRevision(
      String tenant,
      long revision,
      ScoringModels models,
      Map<String, RescoringProgress> rescorings) {
    this(tenant, revision, models, rescorings, Audiences.NONE);
  }

  /** A catalog of {@code tenant} with no re-scoring recorded. */
  public ModelCatalogRevision(String tenant, long revision, ScoringModels models) {
    this(tenant, revision, models, Map.of());
  }

  /** Everything the tenant's users are evaluated against. */
  public Definitions definitions() {
    return new Definitions(models, audiences, Watches.of(revision, watches.values()));
  }

  /** The re-scoring or re-evaluation of a model or an audience, if one was started. */
  public RescoringProgress progressOf(String id, boolean audience) {
    return rescorings.get(RescoringProgress.keyOf(id, audience));
  }
}

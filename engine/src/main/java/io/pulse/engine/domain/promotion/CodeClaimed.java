package io.pulse.engine.domain.promotion;

import java.time.Instant;
import java.util.Objects;

/**
 * A voucher code was claimed, system-wide, for the voucher of one tenant's campaign and transition.
 * Claims journaled before tenants existed have no tenant: they are the default tenant's.
 */
public record CodeClaimed(
    String code, String campaignId, String userId, String transitionId, Instant at, String tenant)
    implements PromotionJournaled {

  public CodeClaimed {
    tenant = tenant == null ? "default" : tenant;
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(campaignId, "campaignId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(transitionId, "transitionId");
    Objects.requireNonNull(at, "at");
  }

  /** Whether this is the claim of the voucher a tenant's campaign issued for a transition. */
  public boolean isFor(String owner, String campaign, String transition) {
    return tenant.equals(owner) && campaignId.equals(campaign) && transitionId.equals(transition);
  }
}

package io.pulse.engine.domain.promotion;

import java.time.Instant;
import java.util.Objects;

/** A voucher code was claimed, system-wide, for the voucher of one campaign and transition. */
public record CodeClaimed(
    String code, String campaignId, String userId, String transitionId, Instant at)
    implements PromotionJournaled {

  public CodeClaimed {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(campaignId, "campaignId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(transitionId, "transitionId");
    Objects.requireNonNull(at, "at");
  }

  /** Whether this is the claim of the voucher a campaign issued for a transition. */
  public boolean isFor(String campaign, String transition) {
    return campaignId.equals(campaign) && transitionId.equals(transition);
  }
}

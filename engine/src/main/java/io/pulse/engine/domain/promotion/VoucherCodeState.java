package io.pulse.engine.domain.promotion;

import java.time.Instant;
import java.util.Optional;

/**
 * One voucher code across the whole system: free, or claimed by exactly one voucher. A campaign
 * draws codes at random; claiming the code here, in the single writer for that code, is what makes
 * it unique across campaigns and nodes.
 */
public record VoucherCodeState(CodeClaimed claim) implements PromotionJournaled {

  public static final VoucherCodeState FREE = new VoucherCodeState(null);

  /**
   * The event that claims the code for a campaign's voucher; empty when the code is already that
   * voucher's (a retried claim) or another's (check {@link #grants}).
   */
  public Optional<CodeClaimed> claimFor(
      String code,
      String tenant,
      String campaignId,
      String userId,
      String transitionId,
      Instant now) {
    if (claim != null) {
      return Optional.empty();
    }
    return Optional.of(new CodeClaimed(code, campaignId, userId, transitionId, now, tenant));
  }

  /** Whether the code belongs to the voucher a tenant's campaign issued for a transition. */
  public boolean grants(String tenant, String campaignId, String transitionId) {
    return claim != null && claim.isFor(tenant, campaignId, transitionId);
  }

  public VoucherCodeState apply(CodeClaimed claimed) {
    return new VoucherCodeState(claimed);
  }
}

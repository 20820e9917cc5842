package io.pulse.engine.domain.promotion;

import io.pulse.engine.CborSerializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One unique code issued to one user by one campaign for one transition. It carries the offer and
 * minimum order in force when it was issued, so that a later change of the campaign does not change
 * what the user was promised. {@code claimed} turns true once the code is known to be unique across
 * the system; {@code redemption} is set once it is used.
 */
public record Voucher(
    String code,
    String campaignId,
    String userId,
    String transitionId,
    String band,
    Offer offer,
    double minimumOrderAmount,
    Instant issuedAt,
    Instant expiresAt,
    boolean claimed,
    Redemption redemption)
    implements CborSerializable {

  public Voucher {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(campaignId, "campaignId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(transitionId, "transitionId");
    Objects.requireNonNull(offer, "offer");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public VoucherStatus statusAt(Instant now) {
    if (!claimed) {
      return VoucherStatus.PENDING;
    }
    if (redemption != null) {
      return VoucherStatus.REDEEMED;
    }
    return now.isBefore(expiresAt) ? VoucherStatus.ACTIVE : VoucherStatus.EXPIRED;
  }

  Voucher withClaim() {
    return new Voucher(
        code,
        campaignId,
        userId,
        transitionId,
        band,
        offer,
        minimumOrderAmount,
        issuedAt,
        expiresAt,
        true,
        redemption);
  }

  Voucher withCode(String newCode) {
    return new Voucher(
        newCode,
        campaignId,
        userId,
        transitionId,
        band,
        offer,
        minimumOrderAmount,
        issuedAt,
        expiresAt,
        false,
        redemption);
  }

  Voucher withRedemption(Redemption used) {
    return new Voucher(
        code,
        campaignId,
        userId,
        transitionId,
        band,
        offer,
        minimumOrderAmount,
        issuedAt,
        expiresAt,
        claimed,
        used);
  }
}

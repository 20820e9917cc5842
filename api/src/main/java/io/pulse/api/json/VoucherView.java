package io.pulse.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulse.api.json.CampaignDocument.OfferDocument;
import io.pulse.engine.domain.promotion.Redemption;
import io.pulse.engine.domain.promotion.Voucher;
import java.time.Instant;

/**
 * A voucher on the wire, with its status now: {@code active}, {@code redeemed} or {@code expired}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VoucherView(
    String code,
    String campaignId,
    String userId,
    String status,
    OfferDocument offer,
    String band,
    double minimumOrderAmount,
    String issuedAt,
    String expiresAt,
    RedemptionView redemption) {

  /** When and on what order a voucher was used, and the discount it gave. */
  public record RedemptionView(String redeemedAt, double orderAmount, double discount) {

    static RedemptionView of(Redemption redemption) {
      return new RedemptionView(
          redemption.at().toString(), redemption.orderAmount(), redemption.discount());
    }
  }

  public static VoucherView of(Voucher voucher, Instant now) {
    return new VoucherView(
        voucher.code(),
        voucher.campaignId(),
        voucher.userId(),
        voucher.statusAt(now).wireName(),
        OfferDocument.of(voucher.offer()),
        voucher.band(),
        voucher.minimumOrderAmount(),
        voucher.issuedAt().toString(),
        voucher.expiresAt().toString(),
        voucher.redemption() == null ? null : RedemptionView.of(voucher.redemption()));
  }
}

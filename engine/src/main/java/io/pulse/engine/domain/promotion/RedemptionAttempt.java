package io.pulse.engine.domain.promotion;

/** The result of asking to redeem a voucher: the event to journal, or why not. */
public record RedemptionAttempt(VoucherRedeemed redeemed, RedemptionRefusal refusal) {

  static RedemptionAttempt refused(RedemptionRefusal refusal) {
    return new RedemptionAttempt(null, refusal);
  }

  static RedemptionAttempt accepted(VoucherRedeemed redeemed) {
    return new RedemptionAttempt(redeemed, null);
  }

  public boolean succeeded() {
    return redeemed != null;
  }
}

package io.pulse.engine.domain.promotion;

import java.util.Locale;
import java.util.Optional;

/** Why a voucher cannot be redeemed. */
public enum RedemptionRefusal {
  UNKNOWN_CODE,
  NOT_OWNER,
  ALREADY_REDEEMED,
  EXPIRED,
  CAMPAIGN_INACTIVE,
  NOT_ELIGIBLE,
  BELOW_MINIMUM_ORDER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<RedemptionRefusal> fromWire(String name) {
    for (RedemptionRefusal refusal : values()) {
      if (refusal.wireName().equals(name)) {
        return Optional.of(refusal);
      }
    }
    return Optional.empty();
  }
}

package io.pulse.engine.domain.promotion;

import java.util.Locale;

/** What a campaign did with a transition that matched its trigger, and why. */
public enum Outcome {
  /** A voucher was issued. */
  ISSUED,
  /** The user is in the control group: recorded, no voucher. */
  CONTROL,
  /** The campaign was switched off. */
  INACTIVE,
  /** The transition happened before the campaign's start. */
  NOT_STARTED,
  /** The transition happened, or arrived, after the campaign's end. */
  ENDED,
  /** The user already had as many vouchers (or control assignments) as the per-user limit. */
  USER_LIMIT,
  /** No offer applies to the band entered (a tiered campaign without a default offer). */
  NO_OFFER,
  /** Another voucher would exceed the maximum number of vouchers or the discount budget. */
  BUDGET_EXHAUSTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

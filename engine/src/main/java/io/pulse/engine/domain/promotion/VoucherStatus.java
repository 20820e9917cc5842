package io.pulse.engine.domain.promotion;

import java.util.Locale;

/**
 * Where a voucher stands: {@code PENDING} until its code is claimed system-wide, then {@code
 * ACTIVE}, and finally {@code REDEEMED} or {@code EXPIRED}.
 */
public enum VoucherStatus {
  PENDING,
  ACTIVE,
  REDEEMED,
  EXPIRED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package io.pulse.engine.domain.promotion;

import java.util.ArrayList;
import java.util.List;

/**
 * What a campaign may spend: at most {@code maxVouchers} vouchers and at most {@code maxDiscount}
 * in discounts; either may be null for no limit.
 */
public record Budget(Integer maxVouchers, Double maxDiscount) {

  public static final Budget UNLIMITED = new Budget(null, null);

  public List<String> problems(String at) {
    List<String> problems = new ArrayList<>();
    if (maxVouchers != null && maxVouchers < 0) {
      problems.add(at + ".maxVouchers must not be negative");
    }
    if (maxDiscount != null && (!Double.isFinite(maxDiscount) || maxDiscount < 0)) {
      problems.add(at + ".maxDiscount must be a non-negative amount");
    }
    return problems;
  }

  /** Whether one more voucher that may cost up to {@code cost} fits after what is spent. */
  public boolean allows(long vouchersIssued, double discountCommitted, double cost) {
    if (maxVouchers != null && vouchersIssued >= maxVouchers) {
      return false;
    }
    // A cent of slack absorbs floating-point error in sums of cent amounts.
    return maxDiscount == null || discountCommitted + cost <= maxDiscount + 0.005;
  }
}

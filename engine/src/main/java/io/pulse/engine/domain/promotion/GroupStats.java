package io.pulse.engine.domain.promotion;

/** One arm of a campaign: its users, how many converted, and the rate (0 without users). */
public record GroupStats(long users, long conversions, double conversionRate) {

  static GroupStats of(long users, long conversions) {
    return new GroupStats(users, conversions, users == 0 ? 0 : (double) conversions / users);
  }
}

package io.pulse.loadtest.gen;

import java.util.random.RandomGenerator;

/**
 * Zipf distribution over ranks 1..n, P(k) proportional to 1/k^s, sampled by rejection-inversion (W.
 * Hörmann and G. Derflinger, "Rejection-inversion to generate variates from monotone discrete
 * distributions", 1996). Constant memory and expected constant time per sample whatever n is, so
 * ten million users cost nothing to set up, unlike a cumulative table.
 */
public final class ZipfSampler implements UserSampler {
  private final long n;
  private final double exponent;
  private final double hIntegralX1;
  private final double hIntegralN;
  private final double squeeze;

  public ZipfSampler(long n, double exponent) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    if (!(exponent > 0) || Double.isInfinite(exponent)) {
      throw new IllegalArgumentException("Zipf exponent must be positive, got " + exponent);
    }
    this.n = n;
    this.exponent = exponent;
    this.hIntegralX1 = hIntegral(1.5) - 1.0;
    this.hIntegralN = hIntegral(n + 0.5);
    this.squeeze = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0));
  }

  /** A rank in 1..n; rank 1 is the most frequent. */
  public long sampleRank(RandomGenerator random) {
    while (true) {
      // u is uniform in (hIntegralX1, hIntegralN]; its inverse image is the continuous candidate.
      double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
      double x = hIntegralInverse(u);
      long k = (long) (x + 0.5);
      if (k < 1) {
        k = 1;
      } else if (k > n) {
        k = n;
      }
      // The squeeze accepts most candidates without evaluating the exact (costlier) bound.
      if (k - x <= squeeze || u >= hIntegral(k + 0.5) - h(k)) {
        return k;
      }
    }
  }

  @Override
  public long nextUserIndex(RandomGenerator random) {
    return sampleRank(random) - 1;
  }

  @Override
  public long users() {
    return n;
  }

  /** H(x), an antiderivative of h(x) = 1/x^s, written to stay accurate when s is close to 1. */
  private double hIntegral(double x) {
    double logX = Math.log(x);
    return expm1OverX((1.0 - exponent) * logX) * logX;
  }

  private double h(double x) {
    return Math.exp(-exponent * Math.log(x));
  }

  private double hIntegralInverse(double x) {
    double t = x * (1.0 - exponent);
    if (t < -1.0) {
      // Rounding can push t just below -1, where log1p is undefined.
      t = -1.0;
    }
    return Math.exp(log1pOverX(t) * x);
  }

  /** log(1+x)/x, with its Taylor series near 0 where the quotient loses precision. */
  private static double log1pOverX(double x) {
    if (Math.abs(x) > 1e-8) {
      return Math.log1p(x) / x;
    }
    return 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
  }

  /** (exp(x)-1)/x, with its Taylor series near 0. */
  private static double expm1OverX(double x) {
    if (Math.abs(x) > 1e-8) {
      return Math.expm1(x) / x;
    }
    return 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
  }
}

package io.pulse.loadtest.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZipfSamplerTest {

  /**
   * Pearson's chi-square against P(k) = k^-s / H(n, s). The bound is the 99.9th percentile of the
   * chi-square distribution for n-1 degrees of freedom, so a correct sampler fails about once in a
   * thousand seeds; the seed is fixed, so the test is deterministic.
   */
  @ParameterizedTest
  @CsvSource({"10, 1.0, 27.88", "10, 0.5, 27.88", "50, 1.2, 85.35", "20, 2.5, 43.82"})
  void frequenciesMatchTheory(int n, double exponent, double chiSquareBound) {
    ZipfSampler sampler = new ZipfSampler(n, exponent);
    SplittableRandom random = new SplittableRandom(7);
    int samples = 400_000;
    long[] observed = new long[n + 1];
    for (int i = 0; i < samples; i++) {
      observed[(int) sampler.sampleRank(random)]++;
    }
    double normaliser = 0;
    for (int k = 1; k <= n; k++) {
      normaliser += Math.pow(k, -exponent);
    }
    double chiSquare = 0;
    for (int k = 1; k <= n; k++) {
      double expected = samples * Math.pow(k, -exponent) / normaliser;
      chiSquare += Math.pow(observed[k] - expected, 2) / expected;
    }
    assertEquals(0, observed[0], "rank 0 never drawn");
    assertTrue(
        chiSquare < chiSquareBound, "chi-square " + chiSquare + " for n=" + n + " s=" + exponent);
  }

  @Test
  void tenMillionUsersStayInRangeWithTheExpectedHead() {
    long n = 10_000_000;
    ZipfSampler sampler = new ZipfSampler(n, 1.0);
    SplittableRandom random = new SplittableRandom(11);
    int samples = 1_000_000;
    long firstRank = 0;
    long secondRank = 0;
    long beyondMillion = 0;
    for (int i = 0; i < samples; i++) {
      long rank = sampler.sampleRank(random);
      assertTrue(rank >= 1 && rank <= n, "rank " + rank);
      if (rank == 1) {
        firstRank++;
      } else if (rank == 2) {
        secondRank++;
      }
      if (rank > 1_000_000) {
        beyondMillion++;
      }
    }
    // H(10^7, 1) = ln(10^7) + Euler-Mascheroni + 1/(2n): about 16.695.
    double harmonic = Math.log(n) + 0.5772156649 + 0.5 / n;
    assertEquals(1 / harmonic, firstRank / (double) samples, 0.002);
    assertEquals(0.5 / harmonic, secondRank / (double) samples, 0.0015);
    // P(rank > 10^6) = (H(10^7) - H(10^6)) / H(10^7), about ln(10) / 16.695.
    assertEquals(Math.log(10) / harmonic, beyondMillion / (double) samples, 0.003);
  }

  @Test
  void userIndexIsRankMinusOneAndCoversEdges() {
    ZipfSampler single = new ZipfSampler(1, 1.0);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 1000; i++) {
      assertEquals(0, single.nextUserIndex(random));
    }
    ZipfSampler two = new ZipfSampler(2, 3.0);
    long seen = 0;
    for (int i = 0; i < 10_000; i++) {
      long index = two.nextUserIndex(random);
      assertTrue(index == 0 || index == 1);
      seen |= 1L << index;
    }
    assertEquals(3, seen, "both users drawn");
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, 0));
    assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, Double.NaN));
  }

  @Test
  void uniformSamplerCoversAllUsersEvenly() {
    UniformUserSampler sampler = new UniformUserSampler(4);
    SplittableRandom random = new SplittableRandom(5);
    long[] counts = new long[4];
    for (int i = 0; i < 40_000; i++) {
      counts[(int) sampler.nextUserIndex(random)]++;
    }
    for (long count : counts) {
      assertEquals(10_000, count, 500);
    }
  }
}

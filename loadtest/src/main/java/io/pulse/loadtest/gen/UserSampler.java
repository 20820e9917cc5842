package io.pulse.loadtest.gen;

import java.util.random.RandomGenerator;

/** Chooses which of {@code users()} users the next event belongs to (an index 0..users-1). */
public interface UserSampler {

  long nextUserIndex(RandomGenerator random);

  long users();

  /**
   * The sampler for a skew: uniform, Zipf where user index 0 is the most active, or cyclic (every
   * user in turn).
   */
  static UserSampler of(Skew skew, long users, double zipfExponent) {
    return switch (skew) {
      case UNIFORM -> new UniformUserSampler(users);
      case ZIPF -> new ZipfSampler(users, zipfExponent);
      case CYCLIC -> new CyclicUserSampler(users);
    };
  }

  /** How activity is spread over users. */
  enum Skew {
    UNIFORM,
    ZIPF,
    CYCLIC
  }
}

package io.pulse.loadtest.gen;

import java.util.random.RandomGenerator;

/** Every user equally likely. */
public final class UniformUserSampler implements UserSampler {
  private final long users;

  public UniformUserSampler(long users) {
    if (users < 1) {
      throw new IllegalArgumentException("users must be at least 1, got " + users);
    }
    this.users = users;
  }

  @Override
  public long nextUserIndex(RandomGenerator random) {
    return users == 1 ? 0 : random.nextLong(users);
  }

  @Override
  public long users() {
    return users;
  }
}

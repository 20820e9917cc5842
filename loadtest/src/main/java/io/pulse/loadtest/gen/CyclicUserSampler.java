package io.pulse.loadtest.gen;

import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Users in turn, 0, 1, ..., users-1, then again from 0: every user is touched once per cycle, so a
 * run of at least {@code users} events is sure to reach all of them (for scale and memory runs).
 */
public final class CyclicUserSampler implements UserSampler {
  private final long users;
  private final AtomicLong next = new AtomicLong();

  public CyclicUserSampler(long users) {
    if (users < 1) {
      throw new IllegalArgumentException("users must be at least 1, got " + users);
    }
    this.users = users;
  }

  @Override
  public long nextUserIndex(RandomGenerator random) {
    return Math.floorMod(next.getAndIncrement(), users);
  }

  @Override
  public long users() {
    return users;
  }
}

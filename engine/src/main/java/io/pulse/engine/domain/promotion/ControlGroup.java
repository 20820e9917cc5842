package io.pulse.engine.domain.promotion;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic assignment of users to a campaign's control group: the SHA-256 of campaign and user
 * puts each user in one of a million buckets, and the first {@code percent}% of buckets are the
 * control group. The same user is always in the same group of a campaign, on every node and after
 * every restart, and the groups of two campaigns are independent.
 */
public final class ControlGroup {

  static final int BUCKETS = 1_000_000;

  private ControlGroup() {}

  public static boolean contains(String campaignId, String userId, double percent) {
    if (percent <= 0) {
      return false;
    }
    return bucket(campaignId, userId) < percent * (BUCKETS / 100.0);
  }

  static int bucket(String campaignId, String userId) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    sha256.update(campaignId.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    byte[] digest = sha256.digest(userId.getBytes(StandardCharsets.UTF_8));
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (digest[i] & 0xff);
    }
    return (int) Long.remainderUnsigned(value, BUCKETS);
  }
}

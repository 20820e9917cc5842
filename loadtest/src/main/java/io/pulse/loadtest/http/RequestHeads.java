package io.pulse.loadtest.http;

import java.nio.charset.StandardCharsets;

/**
 * The heads of a run's JSON POSTs: one per API key, taken in turn, each written right-aligned in
 * front of its body so that head and body leave in one write. Built once; writing one allocates
 * nothing, so it stays off the garbage collector's books in the request loop.
 */
public final class RequestHeads {
  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

  /** Digits of the largest Content-Length a head leaves room for. */
  private static final int LENGTH_DIGITS = 20;

  private final byte[][] prefixes;
  private final int reserve;
  private int next;
  private int lastKey = -1;

  /**
   * @param firstKey the key the first request takes, so that several I/O threads start apart
   */
  public RequestHeads(TargetUrl target, String path, ApiKeys keys, int firstKey) {
    String common = target.postHeadUpToHeaders(path);
    int count = Math.max(1, keys.size());
    prefixes = new byte[count][];
    int longest = 0;
    for (int i = 0; i < count; i++) {
      String authorization =
          keys.isEmpty() ? "" : "Authorization: Bearer " + keys.secret(i) + "\r\n";
      prefixes[i] =
          (common + authorization + "Content-Length: ").getBytes(StandardCharsets.US_ASCII);
      longest = Math.max(longest, prefixes[i].length);
    }
    reserve = longest + LENGTH_DIGITS + HEAD_END.length;
    next = Math.floorMod(firstKey, count);
  }

  /** Bytes a body must leave free in front of it for any head. */
  public int reserve() {
    return reserve;
  }

  /**
   * Writes the next key's head in front of {@code bodyLength} bytes at {@code bodyStart}, which
   * must be at least {@link #reserve()}.
   *
   * @return where the request starts in {@code buffer}
   */
  public int write(byte[] buffer, int bodyStart, int bodyLength) {
    lastKey = next;
    next = next + 1 == prefixes.length ? 0 : next + 1;
    byte[] prefix = prefixes[lastKey];
    int position = bodyStart - HEAD_END.length;
    System.arraycopy(HEAD_END, 0, buffer, position, HEAD_END.length);
    long value = bodyLength;
    do {
      buffer[--position] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value != 0);
    position -= prefix.length;
    System.arraycopy(prefix, 0, buffer, position, prefix.length);
    return position;
  }

  /** The index of the key the last head carried (0 when the run has no key). */
  public int lastKey() {
    return lastKey;
  }
}

package io.pulse.loadtest.gen;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes epoch milliseconds as ISO-8601 UTC ({@code 2026-11-22T10:00:00.123Z}). The date-time up to
 * the seconds is formatted once per second and reused, so an event costs a few byte copies.
 */
final class IsoTimestampWriter {
  private long cachedSecond = Long.MIN_VALUE;
  private byte[] cachedPrefix = new byte[0];

  void write(JsonBuffer out, long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    if (second != cachedSecond) {
      LocalDateTime time = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
      cachedPrefix =
          String.format(
                  "\"%04d-%02d-%02dT%02d:%02d:%02d.",
                  time.getYear(),
                  time.getMonthValue(),
                  time.getDayOfMonth(),
                  time.getHour(),
                  time.getMinute(),
                  time.getSecond())
              .getBytes(StandardCharsets.US_ASCII);
      cachedSecond = second;
    }
    int millis = Math.floorMod(epochMillis, 1000);
    out.append(cachedPrefix)
        .append((byte) ('0' + millis / 100))
        .append((byte) ('0' + (millis / 10) % 10))
        .append((byte) ('0' + millis % 10))
        .append((byte) 'Z')
        .append((byte) '"');
  }
}

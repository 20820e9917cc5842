package io.pulse.loadtest.gen;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with just the JSON writing the generator needs. Hand-written because a
 * general-purpose generator spends more time on state checks than this spends on the bytes, and
 * because it lets a request header be placed in front of the body without copying.
 */
public final class JsonBuffer {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LONG_MIN =
      Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int length;

  public JsonBuffer(int initialCapacity) {
    this.bytes = new byte[Math.max(16, initialCapacity)];
  }

  /** Discards the content and continues writing at {@code position} (room kept for a header). */
  public void reset(int position) {
    ensureTotalCapacity(position);
    this.length = position;
  }

  public byte[] array() {
    return bytes;
  }

  public int length() {
    return length;
  }

  public JsonBuffer append(byte b) {
    if (length == bytes.length) {
      grow(1);
    }
    bytes[length++] = b;
    return this;
  }

  public JsonBuffer append(byte[] source) {
    int n = source.length;
    if (length + n > bytes.length) {
      grow(n);
    }
    System.arraycopy(source, 0, bytes, length, n);
    length += n;
    return this;
  }

  /** Writes a decimal integer. */
  public JsonBuffer appendLong(long value) {
    if (value == Long.MIN_VALUE) {
      return append(LONG_MIN);
    }
    if (length + 20 > bytes.length) {
      grow(20);
    }
    if (value < 0) {
      bytes[length++] = '-';
      value = -value;
    }
    int digits = digitCount(value);
    int end = length + digits;
    int pos = end;
    do {
      bytes[--pos] = (byte) ('0' + (value % 10));
      value /= 10;
    } while (value != 0);
    length = end;
    return this;
  }

  /**
   * Writes an amount given in hundredths as a JSON number with two decimals, e.g. 4599 as 45.99.
   */
  public JsonBuffer appendCents(long cents) {
    if (cents < 0) {
      append((byte) '-');
      cents = -cents;
    }
    appendLong(cents / 100);
    long fraction = cents % 100;
    append((byte) '.');
    append((byte) ('0' + fraction / 10));
    return append((byte) ('0' + fraction % 10));
  }

  /** Writes a quoted, escaped JSON string. */
  public JsonBuffer appendString(CharSequence value) {
    append((byte) '"');
    appendEscaped(value);
    return append((byte) '"');
  }

  /** Writes the escaped UTF-8 content of a JSON string, without the quotes. */
  public JsonBuffer appendEscaped(CharSequence value) {
    int n = value.length();
    // Worst case is six bytes per char (a \\u escape); reserving it once keeps the loop check-free.
    if (length + 6L * n > bytes.length) {
      grow(6 * n);
    }
    byte[] out = bytes;
    int pos = length;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          out[pos++] = (byte) c;
        } else {
          pos = writeAsciiEscape(out, pos, c);
        }
      } else if (c < 0x800) {
        out[pos++] = (byte) (0xC0 | (c >> 6));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, value.charAt(++i));
        out[pos++] = (byte) (0xF0 | (codePoint >> 18));
        out[pos++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
        out[pos++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
        out[pos++] = (byte) (0x80 | (codePoint & 0x3F));
      } else if (Character.isSurrogate(c)) {
        // A lone surrogate is not valid UTF-8; send the replacement character instead.
        pos = writeUnicodeEscape(out, pos, '\uFFFD');
      } else {
        out[pos++] = (byte) (0xE0 | (c >> 12));
        out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    length = pos;
    return this;
  }

  /** The escaped UTF-8 bytes of a string without quotes, for fragments encoded once up front. */
  public static byte[] escapedUtf8(CharSequence value) {
    JsonBuffer buffer = new JsonBuffer(value.length() * 2 + 16);
    buffer.appendEscaped(value);
    return Arrays.copyOf(buffer.bytes, buffer.length);
  }

  /** Number of decimal digits of a non-negative value. */
  public static int digitCount(long value) {
    int digits = 1;
    long limit = 10;
    while (digits < 19 && value >= limit) {
      digits++;
      limit *= 10;
    }
    return digits;
  }

  private static int writeAsciiEscape(byte[] out, int pos, char c) {
    out[pos++] = '\\';
    switch (c) {
      case '"' -> out[pos++] = '"';
      case '\\' -> out[pos++] = '\\';
      case '\n' -> out[pos++] = 'n';
      case '\r' -> out[pos++] = 'r';
      case '\t' -> out[pos++] = 't';
      case '\b' -> out[pos++] = 'b';
      case '\f' -> out[pos++] = 'f';
      default -> {
        return writeUnicodeEscape(out, pos - 1, c);
      }
    }
    return pos;
  }

  private static int writeUnicodeEscape(byte[] out, int pos, char c) {
    out[pos++] = '\\';
    out[pos++] = 'u';
    out[pos++] = HEX[(c >> 12) & 0xF];
    out[pos++] = HEX[(c >> 8) & 0xF];
    out[pos++] = HEX[(c >> 4) & 0xF];
    out[pos++] = HEX[c & 0xF];
    return pos;
  }

  private void ensureTotalCapacity(int capacity) {
    if (capacity > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
    }
  }

  private void grow(int extra) {
    ensureTotalCapacity(Math.addExact(length, extra));
  }
}

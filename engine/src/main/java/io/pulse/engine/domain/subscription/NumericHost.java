package io.pulse.engine.domain.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A URL's host read as an address the way the C library's resolver reads it, without asking DNS.
 * Resolvers take far more than dotted decimal: {@code 2130706433}, {@code 0x7f000001}, {@code
 * 127.1}, {@code 0177.0.0.1} and {@code 127.000.000.001} all mean 127.0.0.1 to {@code inet_aton}. A
 * check that only knew dotted decimal would take those for names and let them through, so every
 * spelling is decoded here and then checked like any other address.
 *
 * <p>IPv6 text is decoded here too, to its sixteen bytes: the JDK turns {@code ::ffff:127.0.0.1}
 * into an IPv4 address on the way, which hides what the URL said.
 */
public final class NumericHost {

  private NumericHost() {}

  /** The address {@code host} spells (bracketed IPv6 allowed), or empty for a name. */
  public static Optional<byte[]> parse(String host) {
    if (host == null || host.isEmpty()) {
      return Optional.empty();
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      return ipv6(host.substring(1, host.length() - 1));
    }
    if (host.contains(":")) {
      return ipv6(host);
    }
    return ipv4(host);
  }

  /**
   * {@code inet_aton}'s forms: one to four parts, each decimal, octal (a leading {@code 0}) or hex
   * ({@code 0x}); the last part fills the bytes that are left. One trailing dot is ignored, as a
   * resolver ignores the root label's dot.
   */
  public static Optional<byte[]> ipv4(String text) {
    String host = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    if (host.isEmpty() || host.startsWith(".") || host.contains("..")) {
      return Optional.empty();
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return Optional.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Optional<Long> value = number(parts[i]);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      values[i] = value.get();
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 0xff) {
        return Optional.empty();
      }
      address |= values[i] << (8 * (3 - i));
    }
    int lastBytes = 4 - (parts.length - 1);
    long last = values[parts.length - 1];
    if (last >= (1L << (8 * lastBytes))) {
      return Optional.empty();
    }
    address |= last;
    return Optional.of(
        new byte[] {
          (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
        });
  }

  private static Optional<Long> number(String part) {
    String lower = part.toLowerCase(Locale.ROOT);
    int radix = 10;
    String digits = lower;
    if (lower.startsWith("0x")) {
      radix = 16;
      digits = lower.substring(2);
      if (digits.isEmpty()) {
        // inet_aton reads a bare "0x" as zero.
        return Optional.of(0L);
      }
    } else if (lower.length() > 1 && lower.startsWith("0")) {
      radix = 8;
      digits = lower.substring(1);
    }
    if (digits.isEmpty() || digits.length() > 32) {
      return Optional.empty();
    }
    long value = 0;
    for (char c : digits.toCharArray()) {
      int digit = Character.digit(c, radix);
      if (digit < 0) {
        return Optional.empty();
      }
      value = value * radix + digit;
      if (value > 0xffffffffL) {
        return Optional.empty();
      }
    }
    return Optional.of(value);
  }

  /**
   * RFC 4291 text: eight groups of up to four hex digits, one {@code ::} for a run of zeros, the
   * last 32 bits optionally in dotted decimal, and a zone ({@code %eth0}) that is ignored.
   */
  public static Optional<byte[]> ipv6(String text) {
    String address = text;
    int zone = address.indexOf('%');
    if (zone == 0) {
      return Optional.empty();
    }
    if (zone > 0) {
      address = address.substring(0, zone);
    }
    if (!address.contains(":")) {
      return Optional.empty();
    }
    byte[] embedded = null;
    int lastColon = address.lastIndexOf(':');
    String tail = address.substring(lastColon + 1);
    if (tail.contains(".")) {
      Optional<byte[]> dotted = dottedDecimal(tail);
      if (dotted.isEmpty()) {
        return Optional.empty();
      }
      embedded = dotted.get();
      address = address.substring(0, lastColon + 1) + "0:0";
    }
    int gap = address.indexOf("::");
    if (gap >= 0 && address.indexOf("::", gap + 1) >= 0) {
      return Optional.empty();
    }
    List<Integer> head;
    List<Integer> rest;
    if (gap < 0) {
      Optional<List<Integer>> all = groups(address);
      if (all.isEmpty() || all.get().size() != 8) {
        return Optional.empty();
      }
      head = all.get();
      rest = List.of();
    } else {
      Optional<List<Integer>> before = groups(address.substring(0, gap));
      Optional<List<Integer>> after = groups(address.substring(gap + 2));
      if (before.isEmpty() || after.isEmpty() || before.get().size() + after.get().size() > 7) {
        return Optional.empty();
      }
      head = before.get();
      rest = after.get();
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < head.size(); i++) {
      bytes[2 * i] = (byte) (head.get(i) >>> 8);
      bytes[2 * i + 1] = (byte) (int) head.get(i);
    }
    int start = 8 - rest.size();
    for (int i = 0; i < rest.size(); i++) {
      bytes[2 * (start + i)] = (byte) (rest.get(i) >>> 8);
      bytes[2 * (start + i) + 1] = (byte) (int) rest.get(i);
    }
    if (embedded != null) {
      System.arraycopy(embedded, 0, bytes, 12, 4);
    }
    return Optional.of(bytes);
  }

  private static Optional<List<Integer>> groups(String text) {
    List<Integer> groups = new ArrayList<>();
    if (text.isEmpty()) {
      return Optional.of(groups);
    }
    for (String group : text.split(":", -1)) {
      if (group.isEmpty() || group.length() > 4) {
        return Optional.empty();
      }
      int value = 0;
      for (char c : group.toCharArray()) {
        int digit = Character.digit(c, 16);
        if (digit < 0) {
          return Optional.empty();
        }
        value = value * 16 + digit;
      }
      groups.add(value);
    }
    return Optional.of(groups);
  }

  private static Optional<byte[]> dottedDecimal(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
        return Optional.empty();
      }
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    return Optional.of(bytes);
  }
}

package io.pulse.engine.domain.subscription;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * A block of addresses in CIDR form ({@code 10.0.0.0/8}, {@code fc00::/7}). An IPv4 block holds
 * IPv4 addresses only and an IPv6 block IPv6 addresses only; IPv6 forms that carry an IPv4 address
 * are unwrapped by {@link WebhookTargetPolicy}, not here.
 */
public final class IpNetwork {

  private final byte[] prefix;
  private final int length;
  private final String text;

  private IpNetwork(byte[] prefix, int length) {
    this.prefix = prefix;
    this.length = length;
    this.text = render(prefix) + "/" + length;
  }

  /**
   * Parses {@code address/length}; a bare address is a block of one. The address is written the
   * usual way (dotted decimal, or IPv6 text), not in the looser spellings a resolver also takes,
   * because an operator's configuration should mean one thing only.
   */
  public static IpNetwork parse(String cidr) {
    String trimmed = cidr.strip();
    int slash = trimmed.indexOf('/');
    String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = strictAddress(addressText);
    int bits = bytes.length * 8;
    int length = bits;
    if (slash >= 0) {
      String lengthText = trimmed.substring(slash + 1);
      if (!lengthText.matches("[0-9]{1,3}")) {
        throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
      }
      length = Integer.parseInt(lengthText);
      if (length > bits) {
        throw new IllegalArgumentException(
            "'" + cidr + "' has a prefix length over " + bits + " bits");
      }
    }
    return new IpNetwork(masked(bytes, length), length);
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  /** Whether {@code address} (4 or 16 bytes) is in this block. */
  public boolean contains(byte[] address) {
    if (address.length != prefix.length) {
      return false;
    }
    return Arrays.equals(masked(address, length), prefix);
  }

  public boolean isIpv4() {
    return prefix.length == 4;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IpNetwork network
        && network.length == length
        && Arrays.equals(network.prefix, prefix);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(prefix) + length;
  }

  @Override
  public String toString() {
    return text;
  }

  private static byte[] strictAddress(String text) {
    if (text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      byte[] bytes = new byte[4];
      String[] parts = text.split("\\.");
      for (int i = 0; i < 4; i++) {
        int value = Integer.parseInt(parts[i]);
        if (value > 255 || (parts[i].length() > 1 && parts[i].startsWith("0"))) {
          throw new IllegalArgumentException("'" + text + "' is not a dotted-decimal address");
        }
        bytes[i] = (byte) value;
      }
      return bytes;
    }
    if (text.contains(":")) {
      Optional<byte[]> ipv6 = NumericHost.ipv6(text);
      if (ipv6.isPresent()) {
        return ipv6.get();
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not an IP address");
  }

  private static byte[] masked(byte[] address, int length) {
    byte[] result = new byte[address.length];
    for (int i = 0; i < address.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, length - i * 8));
      int mask = bitsHere == 0 ? 0 : (0xff << (8 - bitsHere)) & 0xff;
      result[i] = (byte) (address[i] & mask);
    }
    return result;
  }

  private static String render(byte[] bytes) {
    if (bytes.length == 4) {
      return (bytes[0] & 0xff)
          + "."
          + (bytes[1] & 0xff)
          + "."
          + (bytes[2] & 0xff)
          + "."
          + (bytes[3] & 0xff);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        text.append(':');
      }
      text.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
    }
    return text.toString();
  }
}

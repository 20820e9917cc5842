package io.pulse.api.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Pulse-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw
 * body>" keyed with the subscription's secret>}. Signing the time with the body lets a receiver
 * refuse old requests replayed by someone who captured them.
 */
public final class WebhookSignature {

  public static final String HEADER = "Pulse-Signature";

  private WebhookSignature() {}

  /** The header value for {@code body} sent at {@code unixSeconds}. */
  public static String header(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
  }

  /**
   * Whether {@code header} is a valid signature of {@code body} under {@code secret}, made no more
   * than {@code toleranceSeconds} away from {@code nowUnixSeconds}.
   */
  public static boolean verify(
      String header, String secret, byte[] body, long nowUnixSeconds, long toleranceSeconds) {
    Long timestamp = null;
    byte[] expected = null;
    boolean matched = false;
    for (String part : header.split(",")) {
      String[] pair = part.trim().split("=", 2);
      if (pair.length != 2) {
        continue;
      }
      if (pair[0].equals("t")) {
        try {
          timestamp = Long.parseLong(pair[1]);
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    if (timestamp == null || Math.abs(nowUnixSeconds - timestamp) > toleranceSeconds) {
      return false;
    }
    expected = mac(secret, timestamp, body);
    for (String part : header.split(",")) {
      String[] pair = part.trim().split("=", 2);
      if (pair.length == 2 && pair[0].equals("v1")) {
        try {
          // Constant time, so that timing does not reveal how much of a guess was right.
          matched |= MessageDigest.isEqual(expected, HexFormat.of().parseHex(pair[1]));
        } catch (IllegalArgumentException notHex) {
          // another scheme's value; ignore it
        }
      }
    }
    return matched;
  }

  private static byte[] mac(String secret, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}

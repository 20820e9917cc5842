package io.pulse.engine.domain.watch;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Short, stable names of watched definitions: the same definition gets the same name on every node,
 * in every run and after a round trip through JSON, so that users' journals can refer to it.
 */
final class WatchKeys {

  private WatchKeys() {}

  /** {@code prefix} and the first 16 hex digits of the SHA-256 of {@code canonical}. */
  static String of(String prefix, String canonical) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    byte[] digest = sha256.digest(canonical.getBytes(StandardCharsets.UTF_8));
    return prefix + HexFormat.of().formatHex(digest, 0, 8);
  }

  /**
   * A value written so that equal JSON values write alike: numbers by value (1, 1.0 and 1e0 are
   * one), strings, booleans and null told apart, objects with their keys sorted.
   */
  static String canonical(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Number number) {
      double real = number.doubleValue();
      if (!Double.isFinite(real)) {
        return "n:" + real;
      }
      return "n:" + new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
    }
    if (value instanceof String text) {
      return "s:" + text.length() + ":" + text;
    }
    if (value instanceof Boolean bool) {
      return "b:" + bool;
    }
    if (value instanceof List<?> list) {
      StringBuilder out = new StringBuilder("[");
      for (Object element : list) {
        out.append(canonical(element)).append(',');
      }
      return out.append(']').toString();
    }
    if (value instanceof Map<?, ?> map) {
      StringBuilder out = new StringBuilder("{");
      new TreeMap<>(stringKeys(map))
          .forEach(
              (key, element) ->
                  out.append(canonical(key)).append('=').append(canonical(element)).append(','));
      return out.append('}').toString();
    }
    return "o:" + value;
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> keyed = new TreeMap<>();
    map.forEach((key, element) -> keyed.put(String.valueOf(key), element));
    return keyed;
  }
}

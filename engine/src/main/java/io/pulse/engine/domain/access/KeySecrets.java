package io.pulse.engine.domain.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Key secrets and ids: 256 random bits from {@link SecureRandom}, and the SHA-256 hash that is all
 * the server keeps of a secret. A slow password hash is not needed: the secrets are random, not
 * chosen by people, so the hash cannot be reversed by guessing.
 */
public final class KeySecrets {

  /** How every generated secret starts, so that a leaked one is easy to recognise. */
  public static final String PREFIX = "pulse_";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int HINT_LENGTH = 4;

  private KeySecrets() {}

  /** A new secret: {@code pulse_} and 43 base64url characters (256 bits). */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A new public key id: {@code key_} and 16 hex characters. */
  public static String newKeyId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "key_" + HexFormat.of().formatHex(bytes);
  }

  /** The hex SHA-256 of a secret, under which its key is stored and found. */
  public static String hash(String secret) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The last characters of a secret, shown in listings; nothing of a short secret. */
  public static String hint(String secret) {
    return secret.length() < 16 ? "" : secret.substring(secret.length() - HINT_LENGTH);
  }

  /** Whether a client-chosen secret (the operator's bootstrap key) is strong enough to accept. */
  public static boolean strongEnough(String secret) {
    return secret != null
        && secret.length() >= 24
        && secret.chars().noneMatch(c -> c <= ' ' || c == 127);
  }
}

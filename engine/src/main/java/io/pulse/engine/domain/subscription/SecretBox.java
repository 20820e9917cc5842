package io.pulse.engine.domain.subscription;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook secrets sealed before they are journaled: AES-256-GCM with a random 96-bit nonce per
 * value, bound to the subscription it belongs to (its id is the associated data, so a sealed secret
 * copied onto another subscription does not open). Stored as {@code pulse-sealed:v1:} followed by
 * the base64url of nonce and ciphertext; anything without that mark was journaled before secrets
 * were sealed and is read as it is.
 *
 * <p>A previous key may be given while keys are rotated: values sealed under it still open, and
 * every value sealed from now on uses the current key.
 */
public final class SecretBox {

  /** The mark of a sealed value and its format's version. */
  public static final String PREFIX = "pulse-sealed:v1:";

  public static final int KEY_BYTES = 32;

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final Optional<SecretKeySpec> previous;

  public SecretBox(byte[] key, Optional<byte[]> previousKey) {
    this.key = aesKey(key, "the secret key");
    this.previous = previousKey.map(bytes -> aesKey(bytes, "the previous secret key"));
  }

  /**
   * Decodes base64 keys of {@value #KEY_BYTES} bytes.
   *
   * @throws IllegalArgumentException saying which key is not valid, never what it holds
   */
  public static SecretBox fromBase64(String key, Optional<String> previousKey) {
    return new SecretBox(
        decode(key, "the secret key"),
        previousKey.map(text -> decode(text, "the previous secret key")));
  }

  public static boolean isSealed(String stored) {
    return stored.startsWith(PREFIX);
  }

  /** {@code secret} sealed for subscription {@code subscriptionId} under the current key. */
  public String seal(String subscriptionId, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(subscriptionId));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] stored =
          ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(stored);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * The secret a stored value holds: opened with the current key or the previous one, or the value
   * itself when it was journaled unsealed.
   *
   * @throws IllegalStateException when no key given opens it (it was sealed under another key, or
   *     for another subscription, or altered)
   */
  public String open(String subscriptionId, String stored) {
    if (!isSealed(stored)) {
      return stored;
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("a sealed webhook secret is damaged");
    }
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalStateException("a sealed webhook secret is damaged");
    }
    List<SecretKeySpec> keys = new ArrayList<>();
    keys.add(key);
    previous.ifPresent(keys::add);
    for (SecretKeySpec candidate : keys) {
      Optional<byte[]> opened = open(candidate, subscriptionId, bytes);
      if (opened.isPresent()) {
        return new String(opened.get(), StandardCharsets.UTF_8);
      }
    }
    throw new IllegalStateException(
        "the webhook secret of "
            + subscriptionId
            + " does not open with the configured secret key"
            + (previous.isPresent() ? " or the previous one" : ""));
  }

  /** Whether {@code stored} must be sealed again to be readable with the current key alone. */
  public boolean needsResealing(String subscriptionId, String stored) {
    if (!isSealed(stored)) {
      return true;
    }
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
      return bytes.length < NONCE_BYTES + TAG_BITS / 8
          || open(key, subscriptionId, bytes).isEmpty();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private static Optional<byte[]> open(SecretKeySpec key, String subscriptionId, byte[] bytes) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData(subscriptionId));
      return Optional.of(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES));
    } catch (AEADBadTagException wrongKey) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  private static byte[] associatedData(String subscriptionId) {
    return ("pulse-webhook-secret:" + subscriptionId).getBytes(StandardCharsets.UTF_8);
  }

  private static SecretKeySpec aesKey(byte[] bytes, String name) {
    if (bytes.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          name + " must be " + KEY_BYTES + " bytes (base64), not " + bytes.length);
    }
    return new SecretKeySpec(bytes.clone(), "AES");
  }

  private static byte[] decode(String base64, String name) {
    try {
      return Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not valid base64");
    }
  }
}

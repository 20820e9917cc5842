package io.pulse.engine.domain.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Webhook secrets sealed at rest with AES-256-GCM, and the keys rotated. */
class SecretBoxTest {

  private static final String SECRET = "whsec_0123456789abcdef0123456789abcdef";

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  private static final SecretBox BOX = new SecretBox(key(1), Optional.empty());

  @Test
  void aSealedSecretIsMarkedHoldsNoPlaintextAndOpensForItsSubscription() {
    String sealed = BOX.seal("sub-1", SECRET);

    assertTrue(sealed.startsWith("pulse-sealed:v1:"), sealed);
    assertFalse(sealed.contains("0123456789abcdef"), sealed);
    assertEquals(SECRET, BOX.open("sub-1", sealed));
  }

  @Test
  void everySealingUsesAFreshNonce() {
    String first = BOX.seal("sub-1", SECRET);
    String second = BOX.seal("sub-1", SECRET);

    assertNotEquals(first, second);
    byte[] a = Base64.getUrlDecoder().decode(first.substring(SecretBox.PREFIX.length()));
    byte[] b = Base64.getUrlDecoder().decode(second.substring(SecretBox.PREFIX.length()));
    assertFalse(Arrays.equals(Arrays.copyOf(a, 12), Arrays.copyOf(b, 12)));
  }

  @Test
  void aSealedSecretDoesNotOpenForAnotherSubscriptionOrUnderAnotherKeyOrAltered() {
    String sealed = BOX.seal("sub-1", SECRET);

    assertThrows(IllegalStateException.class, () -> BOX.open("sub-2", sealed));
    assertThrows(
        IllegalStateException.class,
        () -> new SecretBox(key(2), Optional.empty()).open("sub-1", sealed));
    byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(SecretBox.PREFIX.length()));
    bytes[bytes.length - 1] ^= 1;
    String altered =
        SecretBox.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    assertThrows(IllegalStateException.class, () -> BOX.open("sub-1", altered));
    assertThrows(IllegalStateException.class, () -> BOX.open("sub-1", SecretBox.PREFIX + "AAAA"));
  }

  @Test
  void aSecretJournaledBeforeSealingIsReadAsItIs() {
    assertEquals("legacy-plain-secret-123", BOX.open("sub-1", "legacy-plain-secret-123"));
    assertTrue(BOX.needsResealing("sub-1", "legacy-plain-secret-123"));
  }

  @Test
  void afterRotationSecretsSealedUnderThePreviousKeyStillOpenAndAskToBeSealedAgain() {
    SecretBox before = new SecretBox(key(1), Optional.empty());
    String old = before.seal("sub-1", SECRET);
    SecretBox rotated = new SecretBox(key(2), Optional.of(key(1)));

    assertEquals(SECRET, rotated.open("sub-1", old));
    assertTrue(rotated.needsResealing("sub-1", old));
    String resealed = rotated.seal("sub-1", rotated.open("sub-1", old));
    assertFalse(rotated.needsResealing("sub-1", resealed));
    assertEquals(SECRET, new SecretBox(key(2), Optional.empty()).open("sub-1", resealed));
  }

  @Test
  void keysMustBe32BytesOfBase64AndTheErrorNeverShowsTheKey() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    IllegalArgumentException wrongLength =
        assertThrows(
            IllegalArgumentException.class, () -> SecretBox.fromBase64(shortKey, Optional.empty()));
    assertEquals("the secret key must be 32 bytes (base64), not 16", wrongLength.getMessage());
    IllegalArgumentException notBase64 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SecretBox.fromBase64(
                    Base64.getEncoder().encodeToString(key(1)), Optional.of("not*base64!")));
    assertEquals("the previous secret key is not valid base64", notBase64.getMessage());
  }
}

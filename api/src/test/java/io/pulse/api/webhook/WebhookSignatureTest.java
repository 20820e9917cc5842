package io.pulse.api.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final String SECRET = "whsec_test_0123456789abcdef";
  private static final byte[] BODY =
      "{\"specversion\":\"1.0\",\"id\":\"u-42:engagement:3\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theHeaderIsTheHmacOfTheTimeAndTheRawBody() {
    // Computed independently: printf '1795372722.%s' "$body" | openssl dgst -sha256 -hmac "$secret"
    String header = WebhookSignature.header(SECRET, 1795372722L, BODY);
    assertEquals(
        "t=1795372722,v1=79a5d274a01db9442e1700d1245f7d0ff4fb8e76c9709a4d71aa7b54e86295b6", header);
    assertTrue(WebhookSignature.verify(header, SECRET, BODY, 1795372722L, 300));
  }

  @Test
  void aChangedBodySecretOrTimeOrAStaleSignatureFailsVerification() {
    String header = WebhookSignature.header(SECRET, 1795372722L, BODY);
    byte[] changed =
        "{\"specversion\":\"1.0\",\"id\":\"u-42:engagement:4\"}".getBytes(StandardCharsets.UTF_8);

    assertFalse(WebhookSignature.verify(header, SECRET, changed, 1795372722L, 300));
    assertFalse(WebhookSignature.verify(header, SECRET + "x", BODY, 1795372722L, 300));
    assertFalse(
        WebhookSignature.verify(
            header.replace("t=1795372722", "t=1795372723"), SECRET, BODY, 1795372722L, 300));
    assertFalse(WebhookSignature.verify(header, SECRET, BODY, 1795372722L + 301, 300));
    assertFalse(WebhookSignature.verify("v1=abc", SECRET, BODY, 1795372722L, 300));
  }
}

package io.pulse.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.http.Problem;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8BodyTest {

  private static byte[] hex(String bytes) {
    return HexFormat.of().parseHex(bytes.replace(" ", ""));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "41 7F", // ASCII
        "C2 80", // U+0080, the first two-byte character
        "DF BF", // U+07FF
        "E0 A0 80", // U+0800, the first three-byte character
        "ED 9F BF", // U+D7FF, just below the surrogates
        "EE 80 80", // U+E000, just above them
        "EF BF BF", // U+FFFF
        "F0 90 80 80", // U+10000, the first four-byte character
        "F4 8F BF BF", // U+10FFFF, the last code point
        "EF BB BF 7B 7D" // a byte order mark and {}
      })
  void wellFormedSequencesAreWellFormed(String bytes) {
    assertEquals(-1, Utf8Body.firstMalformed(hex(bytes)));
    assertEquals(
        new String(hex(bytes), StandardCharsets.UTF_8), Utf8Body.decodeMarking(hex(bytes)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "41 80", // a continuation byte on its own
        "41 C0 AF", // an overlong '/'
        "41 C1 BF", // an overlong DEL
        "41 E0 80 AF", // an overlong three-byte form
        "41 ED A0 80", // an encoded surrogate (CESU-8)
        "41 ED BF BF", // the last encoded surrogate
        "41 F0 80 80 AF", // an overlong four-byte form
        "41 F4 90 80 80", // above U+10FFFF
        "41 F5 80 80 80", // a lead byte that never occurs
        "41 FE",
        "41 FF",
        "41 C3", // truncated at the end
        "41 E2 82", // truncated at the end
        "41 C3 28" // a lead byte followed by ASCII
      })
  void everyOtherSequenceIsMalformedAtItsFirstByte(String bytes) {
    assertEquals(1, Utf8Body.firstMalformed(hex(bytes)));
  }

  @Test
  void malformedBytesBecomeUnpairedSurrogatesAndTheRestIsDecoded() {
    // given: 'a', a lone continuation byte, 'é', an overlong pair, '😀'
    byte[] body = hex("61 80 C3 A9 C0 AF F0 9F 98 80");

    // then
    assertEquals("a\udc80\u00e9\udcc0\udcaf\ud83d\ude00", Utf8Body.decodeMarking(body));
  }

  @Test
  void aBodyInUtf16OrUtf32IsRefused() {
    for (byte[] body :
        new byte[][] {
          "{}".getBytes(StandardCharsets.UTF_16LE),
          "{}".getBytes(StandardCharsets.UTF_16BE),
          hex("00 00 00 7B 00 00 00 7D")
        }) {
      Problem.Raised raised = assertThrows(Problem.Raised.class, () -> Utf8Body.of(body));
      assertEquals(400, raised.problem().status());
      assertTrue(raised.problem().detail().contains("UTF-8"));
    }
  }
}

package io.pulse.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.pulse.api.http.Problem;
import java.io.IOException;

/**
 * A request body as JSON reads it: UTF-8 and nothing else. Jackson neither checks UTF-8 fully (an
 * overlong or out-of-range sequence is decoded to a wrong character) nor insists on it (a UTF-16
 * body is detected and read). So the bytes are checked here first. A well-formed body (nearly every
 * one) is read as it is; in another, each byte that is not part of well-formed UTF-8 becomes an
 * unpaired surrogate: inside a string it makes that string, and so the field it belongs to, invalid
 * Unicode, which the readers report by name; anywhere else it makes the JSON malformed.
 */
public final class Utf8Body {

  private final byte[] bytes;
  private final String marked;

  private Utf8Body(byte[] bytes, String marked) {
    this.bytes = bytes;
    this.marked = marked;
  }

  /** The body, or a raised 400 for one in UTF-16 or UTF-32. */
  public static Utf8Body of(byte[] body) {
    // JSON text starts with ASCII; a zero among its first bytes means UTF-16 or UTF-32.
    for (int i = 0; i < Math.min(4, body.length); i++) {
      if (body[i] == 0) {
        throw Problem.of(400, "invalid-json", "Malformed JSON", "the body must be JSON in UTF-8")
            .raise();
      }
    }
    int malformed = firstMalformed(body);
    return new Utf8Body(body, malformed < 0 ? null : decodeMarking(body));
  }

  /**
   * The same body read as text. Jackson's byte reader refuses a field name with an unpaired
   * surrogate escape ({@code "\\ud800"}) as malformed JSON, where its text reader reads it; so a
   * body it refused for that is read again as text, and the name is then reported like any other
   * text that is not Unicode.
   */
  public Utf8Body asText() {
    return marked != null ? this : new Utf8Body(bytes, decodeMarking(bytes));
  }

  /** Whether every byte of the body is part of well-formed UTF-8. */
  public boolean wellFormed() {
    return marked == null;
  }

  public JsonParser parser(JsonFactory factory) throws IOException {
    return marked == null ? factory.createParser(bytes) : factory.createParser(marked);
  }

  /** The body as a tree, read with {@code reader}'s settings (trailing content among them). */
  public JsonNode tree(ObjectReader reader) throws IOException {
    return marked == null ? reader.readTree(bytes) : reader.readTree(marked);
  }

  /**
   * The index of the first byte that is not part of well-formed UTF-8 (Unicode's table 3-7: no
   * overlong forms, no surrogates, nothing above U+10FFFF), or -1.
   */
  static int firstMalformed(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      if (bytes[i] >= 0) {
        i++;
        continue;
      }
      int length = sequenceLength(bytes, i);
      if (length == 0) {
        return i;
      }
      i += length;
    }
    return -1;
  }

  /** The length of the well-formed sequence at {@code i} (at least 2), or 0 if there is none. */
  private static int sequenceLength(byte[] bytes, int i) {
    int lead = bytes[i] & 0xFF;
    int left = bytes.length - i - 1;
    if (lead >= 0xC2 && lead <= 0xDF) {
      return left >= 1 && continuation(bytes[i + 1]) ? 2 : 0;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
      if (left < 2) {
        return 0;
      }
      int second = bytes[i + 1] & 0xFF;
      int low = lead == 0xE0 ? 0xA0 : 0x80;
      int high = lead == 0xED ? 0x9F : 0xBF;
      return second >= low && second <= high && continuation(bytes[i + 2]) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
      if (left < 3) {
        return 0;
      }
      int second = bytes[i + 1] & 0xFF;
      int low = lead == 0xF0 ? 0x90 : 0x80;
      int high = lead == 0xF4 ? 0x8F : 0xBF;
      return second >= low
              && second <= high
              && continuation(bytes[i + 2])
              && continuation(bytes[i + 3])
          ? 4
          : 0;
    }
    return 0;
  }

  private static boolean continuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /**
   * The body as text, each byte outside well-formed UTF-8 as the unpaired surrogate U+DC80 to
   * U+DCFF (only bytes from 0x80 up can be outside it).
   */
  static String decodeMarking(byte[] bytes) {
    StringBuilder text = new StringBuilder(bytes.length);
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i];
      if (b >= 0) {
        text.append((char) b);
        i++;
        continue;
      }
      int length = sequenceLength(bytes, i);
      if (length == 0) {
        text.append((char) (0xDC00 | (b & 0xFF)));
        i++;
        continue;
      }
      int codePoint = (b & (0xFF >> (length + 1)));
      for (int k = 1; k < length; k++) {
        codePoint = (codePoint << 6) | (bytes[i + k] & 0x3F);
      }
      text.appendCodePoint(codePoint);
      i += length;
    }
    return text.toString();
  }
}

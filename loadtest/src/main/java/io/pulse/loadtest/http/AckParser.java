package io.pulse.loadtest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads the {@code 202 {"accepted": n, "duplicates": d, "rejected": [...]}} answer with a streaming
 * parser (no tree), and the {@code title}/{@code detail} of an error problem.
 */
public final class AckParser {
  private static final JsonFactory JSON = new JsonFactory();

  private long accepted;
  private long duplicates;
  private long rejected;

  /**
   * Parses an acknowledgement; the counts are then available from this object.
   *
   * @param rejectionError receives the {@code error} text of each rejected event
   * @return false if the body is not an acknowledgement (no {@code accepted} count)
   */
  public boolean parse(byte[] body, int offset, int length, Consumer<String> rejectionError) {
    accepted = -1;
    duplicates = 0;
    rejected = 0;
    try (JsonParser parser = JSON.createParser(body, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "accepted" -> accepted = value.isNumeric() ? parser.getLongValue() : -1;
          case "duplicates" -> duplicates = value.isNumeric() ? parser.getLongValue() : 0;
          case "rejected" -> rejected = countRejections(parser, value, rejectionError);
          default -> parser.skipChildren();
        }
      }
      return accepted >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  public long accepted() {
    return accepted;
  }

  public long duplicates() {
    return duplicates;
  }

  public long rejected() {
    return rejected;
  }

  /** The {@code detail} (else {@code title}) of a problem+json body, else the raw text. */
  public static String problemSummary(byte[] body, int offset, int length) {
    String title = null;
    String detail = null;
    try (JsonParser parser = JSON.createParser(body, offset, length)) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (value == JsonToken.VALUE_STRING && field.equals("title")) {
            title = parser.getText();
          } else if (value == JsonToken.VALUE_STRING && field.equals("detail")) {
            detail = parser.getText();
          } else {
            parser.skipChildren();
          }
        }
      }
    } catch (IOException e) {
      // Not JSON: fall through to the raw text below.
    }
    String summary = detail != null ? detail : title;
    if (summary == null) {
      summary = new String(body, offset, Math.min(length, 200), StandardCharsets.UTF_8);
    }
    return summary.length() > 200 ? summary.substring(0, 200) : summary;
  }

  private static long countRejections(
      JsonParser parser, JsonToken value, Consumer<String> rejectionError) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      return 0;
    }
    long count = 0;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
      count++;
      if (token == JsonToken.START_OBJECT) {
        String error = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken fieldValue = parser.nextToken();
          if (field.equals("error") && fieldValue == JsonToken.VALUE_STRING) {
            error = parser.getText();
          } else {
            parser.skipChildren();
          }
        }
        rejectionError.accept(error == null ? "(no error text)" : error);
      } else {
        parser.skipChildren();
        rejectionError.accept("(not an object)");
      }
    }
    return count;
  }
}

package io.pulse.api.http;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The token of an {@code Authorization: Bearer <token>} header (RFC 6750), if a request has one.
 */
final class BearerToken {

  private static final String SCHEME = "bearer";

  private BearerToken() {}

  static Optional<String> of(HttpRequest request) {
    for (HttpHeader header : request.getHeaders()) {
      if (header.is("authorization")) {
        return parse(header.value());
      }
    }
    return Optional.empty();
  }

  /** The token after a case-insensitive {@code Bearer} and one or more spaces. */
  static Optional<String> parse(String value) {
    String trimmed = value.strip();
    if (trimmed.length() <= SCHEME.length()
        || !trimmed.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        || trimmed.charAt(SCHEME.length()) != ' ') {
      return Optional.empty();
    }
    String token = trimmed.substring(SCHEME.length()).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}

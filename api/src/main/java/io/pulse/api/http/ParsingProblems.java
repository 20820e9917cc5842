package io.pulse.api.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ParserSettings;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers a request the server could not parse (a URI or a header field over the limits, too many
 * header fields, a malformed request line) with a problem, like every other error. These answers
 * are made before any route runs, so they are built here, from the limits the parser enforced.
 * Pekko HTTP instantiates this class by name from {@code pekko.http.server.parsing.error-handler}.
 */
public final class ParsingProblems extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    // Anyone can send unparseable requests: not worth more than a debug line each.
    log.debug("Unparseable request answered {}: {}", status.intValue(), info.summary());
    ParserSettings limits = settings.parserSettings();
    String detail =
        switch (status.intValue()) {
          case 414 -> "the request target is longer than " + limits.maxUriLength() + " characters";
          case 431 ->
              "a header field's name is longer than "
                  + limits.maxHeaderNameLength()
                  + " or its value longer than "
                  + limits.maxHeaderValueLength()
                  + " characters";
          default -> info.summary();
        };
    String reason = status.reason();
    String body =
        "{\"type\":\"urn:pulse:problem:"
            + reason.toLowerCase(Locale.ROOT).replace(' ', '-')
            + "\",\"title\":\""
            + quoted(reason)
            + "\",\"status\":"
            + status.intValue()
            + ",\"detail\":\""
            + quoted(detail)
            + "\"}";
    return HttpResponse.create()
        .withStatus(status.intValue())
        .withEntity(
            HttpEntities.create(JsonResponses.PROBLEM_JSON, body.getBytes(StandardCharsets.UTF_8)));
  }

  private static String quoted(String text) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(text));
  }
}

package io.pulse.api.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests that Pekko's server refuses before any route sees them (a URI too long or
 * malformed, a header too large or broken, a declared body beyond the server's limit, an unknown
 * method or protocol) as problems, like every other error of the API. Named by {@code
 * pekko.http.server.parsing.error-handler}; Pekko creates it, so it writes its small document
 * itself.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {

  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    int code = status.intValue();
    log.warning("Refused a request before routing, {}: {}", code, error.summary());
    Problem problem = problemFor(code, status.reason(), error.summary(), settings);
    HttpResponse response =
        HttpResponse.create()
            .withStatus(code)
            .withEntity(JsonResponses.PROBLEM_JSON, json(problem));
    return PulseRoutes.answerHeaders(response, true);
  }

  static Problem problemFor(int status, String reason, String summary, ServerSettings settings) {
    return switch (status) {
      case 413 ->
          Problem.of(413, "body-too-large", "Body too large", "the request body is too large");
      case 414 ->
          Problem.of(
              414,
              "uri-too-long",
              "URI too long",
              "the request URI is longer than the "
                  + settings.parserSettings().maxUriLength()
                  + " characters allowed");
      case 431 ->
          Problem.of(
              431,
              "headers-too-large",
              "Header fields too large",
              PublicText.orElse(summary, "the request's header fields are too large"));
      case 501 ->
          Problem.of(
              501,
              "not-implemented",
              "Not implemented",
              PublicText.orElse(
                  summary, "the request's method or transfer coding is not supported"));
      case 505 ->
          Problem.of(
              505,
              "http-version-not-supported",
              "HTTP version not supported",
              "only HTTP/1.0 and HTTP/1.1 are supported");
      case 400 ->
          Problem.of(
              400,
              "malformed-request",
              "Malformed request",
              "the request line or a header is malformed: "
                  + PublicText.orElse(summary, "it could not be parsed"));
      default ->
          Problem.of(status, PulseRoutes.slug(reason), reason, PublicText.orElse(summary, reason));
    };
  }

  private static byte[] json(Problem problem) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("type", problem.type());
      json.writeStringField("title", problem.title());
      json.writeNumberField("status", problem.status());
      json.writeStringField("detail", problem.detail());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

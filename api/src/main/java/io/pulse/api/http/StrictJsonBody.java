package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractStrictEntity;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/**
 * Reads a request body into a wire document strictly: an unknown field, a value of the wrong type
 * or trailing content is a problem that names where it is, so a typo never passes silently.
 */
public final class StrictJsonBody<T> {

  private final ObjectReader reader;
  private final String slug;
  private final String title;
  private final String expected;

  /**
   * A reader of {@code type}; field problems are answered as {@code 400 <slug>} with {@code title},
   * and an empty body says the body must be {@code expected}.
   */
  public StrictJsonBody(
      ObjectMapper mapper, Class<T> type, String slug, String title, String expected) {
    this.reader =
        mapper
            .readerFor(type)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    this.slug = slug;
    this.title = title;
    this.expected = expected;
  }

  /**
   * Reads the whole request body, up to the server's size limit (413 beyond it), and completes with
   * what {@code handle} answers for it: the one way a document-bearing route takes its body.
   */
  public static Route completeWithBody(
      HttpSettings settings, Function<ByteString, CompletionStage<HttpResponse>> handle) {
    return withSizeLimit(
        settings.maxBodyBytes(),
        () ->
            extractStrictEntity(
                settings.askTimeout(),
                entity -> completeWithFuture(handle.apply(entity.getData()))));
  }

  /** The document, or a raised 400 problem: empty body, malformed JSON, or a field at fault. */
  public T read(ByteString body) {
    if (body.isEmpty()) {
      throw Problem.of(400, "empty-body", "Empty body", "the body must be " + expected).raise();
    }
    try {
      return reader.readValue(body.toArray());
    } catch (IOException e) {
      throw problem(e).raise();
    }
  }

  private Problem problem(IOException failure) {
    if (failure instanceof UnrecognizedPropertyException unknown) {
      String at = pathOf(unknown);
      return fieldProblem(
          "unknown field '" + unknown.getPropertyName() + "'" + (at.isEmpty() ? "" : " at " + at));
    }
    if (failure instanceof JsonMappingException mapping) {
      return fieldProblem(
          "wrong type at '" + pathOf(mapping) + "': " + mapping.getOriginalMessage());
    }
    String detail =
        failure instanceof JsonProcessingException processing
            ? processing.getOriginalMessage()
            : failure.getMessage();
    return Problem.of(400, "invalid-json", "Malformed JSON", detail);
  }

  private Problem fieldProblem(String detail) {
    return Problem.of(400, slug, title, detail).withErrors(List.of(detail));
  }

  private static String pathOf(JsonMappingException failure) {
    List<JsonMappingException.Reference> path = failure.getPath();
    if (failure instanceof UnrecognizedPropertyException) {
      path = path.subList(0, Math.max(0, path.size() - 1));
    }
    return path.stream()
        .map(
            reference ->
                reference.getFieldName() != null
                    ? "." + reference.getFieldName()
                    : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }
}

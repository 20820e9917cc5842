package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractMaterializer;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.pulse.api.json.JsonProblems;
import io.pulse.api.json.Utf8Body;
import io.pulse.engine.domain.InputText;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request body into a wire document strictly: an unknown field, a field given twice, a
 * value of the wrong kind (no coercion: see {@code StrictJsonMappers}), text that is not Unicode or
 * trailing content is a problem that names where it is, so a typo never passes silently.
 */
public final class StrictJsonBody<T> {

  private static final Logger log = LoggerFactory.getLogger(StrictJsonBody.class);

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
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    this.slug = slug;
    this.title = title;
    this.expected = expected;
  }

  /**
   * A reader of a free-form JSON object (a merge patch of traits, say): still strict about its
   * text, duplicate keys and trailing content.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static StrictJsonBody<Map<String, Object>> ofMap(
      ObjectMapper mapper, String slug, String title) {
    return (StrictJsonBody<Map<String, Object>>)
        (StrictJsonBody) new StrictJsonBody<>(mapper, Map.class, slug, title, "a JSON object");
  }

  /**
   * Reads the whole request body, up to the server's size limit (413 beyond it) and within the ask
   * timeout (408 beyond it), and completes with what {@code handle} answers for it: the one way a
   * document-bearing route takes its body.
   */
  public static Route completeWithBody(
      HttpSettings settings, Function<ByteString, CompletionStage<HttpResponse>> handle) {
    return extractMaterializer(
        materializer ->
            extractRequestEntity(
                entity ->
                    completeWithFuture(
                        strictBody(entity, settings, materializer).thenCompose(handle))));
  }

  /** The body, or a failure with a raised problem: too large or too slow. */
  private static CompletionStage<ByteString> strictBody(
      RequestEntity entity, HttpSettings settings, Materializer materializer) {
    OptionalLong declared = entity.getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > settings.maxBodyBytes()) {
      // Read the body to its end before answering: a connection closed mid-upload loses the
      // answer. A body beyond what the server reads at all fails the discarding at once.
      return entity
          .discardBytes(materializer)
          .completionStage()
          .handle(
              (done, failure) -> {
                throw tooLarge(settings).raise();
              });
    }
    return entity
        .withSizeLimit(settings.maxBodyBytes())
        .toStrict(settings.askTimeout().toMillis(), materializer)
        .handle(
            (strict, failure) -> {
              if (failure == null) {
                return strict.getData();
              }
              throw readFailure(failure, settings)
                  .<RuntimeException>map(Problem::raise)
                  .orElseGet(() -> new CompletionException(failure));
            });
  }

  private static Problem tooLarge(HttpSettings settings) {
    return Problem.of(
        413,
        "body-too-large",
        "Body too large",
        "a request body may have at most " + settings.maxBodyBytes() + " bytes");
  }

  /** The problem of a body that could not be read: too large, or too slow to arrive. */
  static Optional<Problem> readFailure(Throwable failure, HttpSettings settings) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof EntityStreamSizeException) {
      return Optional.of(tooLarge(settings));
    }
    if (cause instanceof TimeoutException) {
      return Optional.of(
          Problem.of(
              408,
              "request-timeout",
              "Body too slow",
              "the request body did not arrive within "
                  + settings.askTimeout().toMillis()
                  + " ms"));
    }
    return Optional.empty();
  }

  /** The answer to a body over the limit of {@code maxBytes}. */
  static Problem tooLarge(long maxBytes) {
    return Problem.of(
        413,
        "body-too-large",
        "Body too large",
        "a request body may have at most " + maxBytes + " bytes");
  }

  /** The document, or a raised 400 problem: empty body, malformed JSON, or a field at fault. */
  public T read(ByteString body) {
    if (body.isEmpty()) {
      throw Problem.of(400, "empty-body", "Empty body", "the body must be " + expected).raise();
    }
    Utf8Body source = Utf8Body.of(body.toArray());
    try {
      JsonNode tree;
      try {
        tree = source.tree(reader);
      } catch (IOException e) {
        if (!JsonProblems.surrogateInFieldName(e)) {
          throw e;
        }
        tree = source.asText().tree(reader);
      }
      return readValue(tree);
    } catch (IOException e) {
      JsonProblems.Described described = JsonProblems.describe(e);
      throw (described.field()
              ? fieldProblem(described.detail())
              : Problem.of(400, "invalid-json", "Malformed JSON", described.detail()))
          .raise();
    }
  }

  private T readValue(JsonNode tree) throws IOException {
    if (tree.isMissingNode()) {
      throw Problem.of(400, "empty-body", "Empty body", "the body must be " + expected).raise();
    }
    Optional<String> notUnicode = notUnicode(tree, "");
    if (notUnicode.isPresent()) {
      log.warn("Refused a {} for text that is not valid Unicode", expected);
      throw fieldProblem(notUnicode.get()).raise();
    }
    return reader.readValue(tree);
  }

  private Problem fieldProblem(String detail) {
    return Problem.of(400, slug, title, detail).withErrors(List.of(detail));
  }

  /** The first string or field name of the tree that is not well-formed Unicode, by its path. */
  private static Optional<String> notUnicode(JsonNode node, String at) {
    if (node.isTextual()) {
      return InputText.isWellFormed(node.textValue())
          ? Optional.empty()
          : Optional.of((at.isEmpty() ? "the body" : at) + NOT_UNICODE);
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (!InputText.isWellFormed(field.getKey())) {
          return Optional.of("a field name" + (at.isEmpty() ? "" : " in " + at) + NOT_UNICODE);
        }
        Optional<String> found =
            notUnicode(field.getValue(), at.isEmpty() ? field.getKey() : at + "." + field.getKey());
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> found = notUnicode(node.get(i), at + "[" + i + "]");
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static final String NOT_UNICODE = " " + InputText.NOT_UNICODE;
}

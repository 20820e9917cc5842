package io.pulse.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;

/** Builds JSON and problem responses with the one Jackson configuration of the server. */
public final class JsonResponses {

  public static final ContentType.WithFixedCharset PROBLEM_JSON =
      MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8).toContentType();

  private final ObjectMapper mapper;

  public JsonResponses(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public HttpResponse json(int status, Object body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, bytes(body));
  }

  public HttpResponse problem(Problem problem) {
    return HttpResponse.create()
        .withStatus(problem.status())
        .withEntity(PROBLEM_JSON, bytes(problem));
  }

  /** A 503 or 429 that tells the client when to come back. */
  public HttpResponse retryLater(Problem problem, Duration after) {
    return problem(problem).addHeader(RetryAfter.create(Math.max(1, after.toSeconds())));
  }

  public HttpResponse noContent() {
    return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
  }

  private byte[] bytes(Object body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body.getClass().getSimpleName(), e);
    }
  }
}

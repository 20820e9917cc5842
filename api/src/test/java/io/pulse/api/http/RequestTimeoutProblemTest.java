package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.Test;

/**
 * A request the server cannot answer within {@code pekko.http.server.request-timeout} gets a 503
 * problem with {@code Retry-After} and the headers of every answer, on a real port. (The timeout
 * runs from the end of the request, so only a route that does not answer can show it.)
 */
class RequestTimeoutProblemTest {

  @Test
  void aRequestThatIsNotAnsweredInTimeGetsA503Problem() throws Exception {
    Config config =
        ConfigFactory.parseString(
                // The management libraries bring an older pekko-discovery; the node allows it too.
                "pekko.http.server.request-timeout = 300ms\npekko.fail-mixed-versions = off")
            .withFallback(ConfigFactory.parseResources("http.conf"))
            .withFallback(ConfigFactory.defaultReference());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "request-timeout", config);
    try {
      JsonResponses responses = new JsonResponses(new ObjectMapper());
      ServerBinding binding =
          Http.get(system)
              .newServerAt("127.0.0.1", 0)
              .bind(
                  PulseRoutes.withAnswerHeaders(
                      PulseRoutes.withTimeoutProblem(
                          responses,
                          () -> path("v1", () -> completeWithFuture(new CompletableFuture<>())))))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

      HttpResponse<String> answer =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/v1"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertEquals(503, answer.statusCode(), answer.body());
      assertTrue(
          answer
              .headers()
              .firstValue("content-type")
              .orElse("")
              .startsWith("application/problem+json"));
      JsonNode problem = new ObjectMapper().readTree(answer.body());
      assertEquals("urn:pulse:problem:timeout", problem.get("type").asText());
      assertEquals("1", answer.headers().firstValue("retry-after").orElse(""));
      assertEquals("nosniff", answer.headers().firstValue("x-content-type-options").orElse(""));
      assertEquals("no-store", answer.headers().firstValue("cache-control").orElse(""));
      assertFalse(answer.headers().firstValue("server").isPresent(), answer.headers().toString());
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}

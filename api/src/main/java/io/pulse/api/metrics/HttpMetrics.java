package io.pulse.api.metrics;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /metrics} in Prometheus text format, and a count of every HTTP answer by status. */
final class HttpMetrics {

  /** Prometheus text exposition format 0.0.4, which every Prometheus version reads. */
  static final ContentType PROMETHEUS_TEXT =
      ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

  private final PrometheusMeterRegistry registry;
  private final Supplier<CompletableFuture<Void>> beforeScrape;
  private final Map<Integer, Counter> responses = new ConcurrentHashMap<>();

  HttpMetrics(PrometheusMeterRegistry registry, Supplier<CompletableFuture<Void>> beforeScrape) {
    this.registry = registry;
    this.beforeScrape = beforeScrape;
  }

  /** {@code api} with every answer counted by status. */
  Route counting(Route api) {
    return mapResponse(this::count, () -> api);
  }

  /** The answer to {@code GET /metrics}. */
  Route scrape() {
    return completeWithFuture(
        beforeScrape
            .get()
            .handle((done, failure) -> null)
            .thenApply(
                done ->
                    HttpResponse.create()
                        .withEntity(
                            HttpEntities.create(
                                PROMETHEUS_TEXT,
                                registry.scrape().getBytes(StandardCharsets.UTF_8)))));
  }

  private HttpResponse count(HttpResponse response) {
    responses.computeIfAbsent(response.status().intValue(), this::counter).increment();
    return response;
  }

  private Counter counter(int status) {
    MeterRegistry meters = registry;
    return Counter.builder("pulse.http.responses")
        .description("HTTP answers of this node by status")
        .tag("status", Integer.toString(status))
        .register(meters);
  }
}

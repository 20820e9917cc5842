package io.pulse.api.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.api.observability.PromQlSelectors.Selector;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the observability test reads as metric names in an expression, and what it does not. */
class PromQlSelectorsTest {

  @Test
  void aHistogramQuantileReadsTheBucketsAndNotTheFunctionsOrTheGroupingLabels() {
    assertEquals(
        List.of(new Selector("pulse_ingest_latency_seconds_bucket", Set.of("status", "instance"))),
        PromQlSelectors.of(
            "histogram_quantile(0.99, sum by (le, instance) (rate("
                + "pulse_ingest_latency_seconds_bucket{status=\"202\", instance=~\"$instance\"}"
                + "[$__rate_interval])))"));
  }

  @Test
  void aggregationClausesAfterTheArgumentsAndVectorMatchingAreNotMetrics() {
    assertEquals(
        List.of(
            new Selector("pulse_http_responses_total", Set.of("status")),
            new Selector("pulse_http_responses_total", Set.of())),
        PromQlSelectors.of(
            "sum(rate(pulse_http_responses_total{status=~\"5..\"}[5m])) by (instance)"
                + " / ignoring(status) group_left"
                + " sum without (status) (rate(pulse_http_responses_total[5m])) > bool 0.05"));
  }

  @Test
  void offsetsSubqueriesNumbersStringsAndVariablesAreNotMetrics() {
    assertEquals(
        List.of(
            new Selector("pulse_cluster_members", Set.of("status")),
            new Selector("pulse_cluster_members", Set.of("status")),
            new Selector("up", Set.of())),
        PromQlSelectors.of(
            "max(pulse_cluster_members{status=\"up\"} offset 1h)"
                + " < max_over_time(max(pulse_cluster_members{status='up'})[1h:1m])"
                + " and on() vector(1e-3) * 2 unless label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")"
                + " or ${tenant} == 0x1f"));
  }

  @Test
  void aMetricNamedLikeAnAggregationIsStillAMetricWhenNotCalled() {
    assertEquals(
        List.of(new Selector("count", Set.of()), new Selector("node_up", Set.of("job"))),
        PromQlSelectors.of("count + on(job) node_up{job=\"pulse\",}"));
  }

  @Test
  void anExpressionItCannotReadIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> PromQlSelectors.of("rate(x[5m]"));
    assertThrows(IllegalArgumentException.class, () -> PromQlSelectors.of("x{a=1}"));
    assertThrows(IllegalArgumentException.class, () -> PromQlSelectors.of("{__name__=\"x\"}"));
    assertThrows(IllegalArgumentException.class, () -> PromQlSelectors.of("sum(x) by status"));
    assertThrows(IllegalArgumentException.class, () -> PromQlSelectors.of("x{a=\"b\""));
    assertThrows(IllegalArgumentException.class, () -> PromQlSelectors.of("x ; y"));
  }
}

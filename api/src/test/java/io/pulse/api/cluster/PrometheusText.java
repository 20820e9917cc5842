package io.pulse.api.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** Samples of a Prometheus text exposition, by series ({@code name{labels}}). */
final class PrometheusText {

  private final Map<String, Double> samples;

  private PrometheusText(Map<String, Double> samples) {
    this.samples = samples;
  }

  static PrometheusText parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int split = line.lastIndexOf(' ');
      samples.put(line.substring(0, split).trim(), Double.parseDouble(line.substring(split + 1)));
    }
    return new PrometheusText(samples);
  }

  /** The value of one series, e.g. {@code pulse_http_responses_total{status="202"}}. */
  OptionalDouble value(String series) {
    Double value = samples.get(series);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /** The value of a series that must be there. */
  double get(String series) {
    return value(series)
        .orElseThrow(() -> new AssertionError("no series " + series + " in /metrics"));
  }

  /** Whether some series' name starts with {@code prefix}. */
  boolean has(String prefix) {
    return samples.keySet().stream().anyMatch(series -> series.startsWith(prefix));
  }

  @Override
  public String toString() {
    return samples.toString();
  }
}

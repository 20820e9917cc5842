package io.pulse.api.observability;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a node exports, read from its Prometheus text exposition: each metric family with its type,
 * the sample names of each family, the label names each sample name carries, and each series'
 * value.
 */
public final class PrometheusExposition {

  /** Labels Prometheus adds to every series of a target when it scrapes it. */
  private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

  private final Map<String, String> types = new HashMap<>();
  private final Map<String, Set<String>> labelsBySample = new HashMap<>();
  private final Map<String, Double> series = new HashMap<>();

  private PrometheusExposition() {}

  public static PrometheusExposition parse(String text) {
    PrometheusExposition exposition = new PrometheusExposition();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring("# TYPE ".length()).trim().split(" ");
        exposition.types.put(parts[0], parts[1]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        exposition.sample(line);
      }
    }
    return exposition;
  }

  private void sample(String line) {
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    String name;
    Set<String> labels = new LinkedHashSet<>();
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      String body = line.substring(brace + 1, line.lastIndexOf('}'));
      // Label values are quoted and may hold commas or '=': read name="value" pairs in turn.
      int i = 0;
      while (i < body.length()) {
        int equals = body.indexOf('=', i);
        labels.add(body.substring(i, equals).trim());
        int j = equals + 2;
        while (body.charAt(j) != '"') {
          j += body.charAt(j) == '\\' ? 2 : 1;
        }
        i = j + 1;
        if (i < body.length() && body.charAt(i) == ',') {
          i++;
        }
      }
    } else {
      name = line.substring(0, space).trim();
    }
    labelsBySample.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(labels);
    series.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1)));
  }

  /** The value of one series as exported, e.g. {@code pulse_ready} or {@code x{a="b"}}. */
  public OptionalDouble value(String oneSeries) {
    Double value = series.get(oneSeries);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /**
   * What is wrong with reading {@code metric} with matchers on {@code labels} from this node, if
   * anything: a metric it does not export, a {@code _bucket}, {@code _sum} or {@code _count} of a
   * family that has none, or a label the metric does not carry.
   */
  public Optional<String> problemWith(String metric, Set<String> labels) {
    Set<String> carried = labelsBySample.get(metric);
    if (carried == null) {
      return Optional.of(metric + " is not exported" + suffixHint(metric));
    }
    Set<String> unknown = new TreeSet<>(labels);
    unknown.removeAll(carried);
    unknown.removeAll(TARGET_LABELS);
    if (!unknown.isEmpty()) {
      return Optional.of(
          metric + " carries no label " + unknown + " (it carries " + new TreeSet<>(carried) + ")");
    }
    return Optional.empty();
  }

  /** The family {@code metric} belongs to: a histogram's buckets, sum and count map to it. */
  public String familyOf(String metric) {
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (metric.endsWith(suffix)) {
        String family = metric.substring(0, metric.length() - suffix.length());
        String type = types.get(family);
        if ("histogram".equals(type) || (!suffix.equals("_bucket") && "summary".equals(type))) {
          return family;
        }
      }
    }
    return metric;
  }

  private String suffixHint(String metric) {
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (metric.endsWith(suffix)) {
        String family = metric.substring(0, metric.length() - suffix.length());
        if (types.containsKey(family)) {
          return " (" + family + " is a " + types.get(family) + ", without " + suffix + ")";
        }
      }
    }
    return "";
  }
}

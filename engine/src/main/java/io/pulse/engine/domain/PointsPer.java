package io.pulse.engine.domain;

import java.util.Objects;

/**
 * Points in proportion to a number an event carries: {@code points} for each unit of the value at
 * {@code property} (a dotted path such as {@code properties.minutes}).
 */
public record PointsPer(String property, double points) {

  public PointsPer {
    Objects.requireNonNull(property, "property");
  }

  /** The points for {@code event}, or NaN when it carries no finite number at the property. */
  double pointsFor(BehaviouralEvent event) {
    Object value = event.valueAt(property).orElse(null);
    if (!(value instanceof Number number)) {
      return Double.NaN;
    }
    double units = number.doubleValue();
    return Double.isFinite(units) ? units * points : Double.NaN;
  }
}

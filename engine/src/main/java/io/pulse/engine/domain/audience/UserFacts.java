package io.pulse.engine.domain.audience;

import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.CustomerMetrics;
import io.pulse.engine.domain.profile.Traits;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What is known about a user outside its audiences: traits, figures and scores. */
public interface UserFacts {

  Traits traits();

  CustomerMetrics metrics();

  /** The score in {@code model} at {@code at}, decay applied; empty for an unknown model. */
  Optional<Double> score(String model, Instant at);

  /** The band of {@code score} in {@code model}. */
  Optional<String> band(String model, double score);

  /** The bands of {@code model}, each beginning at its {@code from} score; none for no model. */
  List<Band> bands(String model);

  /** When decay alone takes the score in {@code model} down to {@code score}, after {@code at}. */
  Optional<Instant> scoreReaches(String model, double score, Instant at);
}

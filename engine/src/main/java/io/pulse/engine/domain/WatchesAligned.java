package io.pulse.engine.domain;

import io.pulse.engine.domain.watch.UserWatches;
import java.time.Instant;
import java.util.Objects;

/**
 * The user's marks were brought in line with what the tenant's campaigns watch, at {@code at}: the
 * counts and dates it now keeps, replacing the ones it kept before.
 */
public record WatchesAligned(UserWatches watches, Instant at) implements EngagementChange {

  public WatchesAligned {
    Objects.requireNonNull(watches, "watches");
    Objects.requireNonNull(at, "at");
  }
}

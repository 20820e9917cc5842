package io.pulse.api.cluster;

import io.pulse.persistence.TaggedEventFeed;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * A Pekko Management readiness check (configured under {@code
 * pekko.management.health-checks.readiness-checks}): ready only while the journal answers a query,
 * as {@code /health/ready} requires; the cluster-membership check that comes with
 * management-cluster-http covers the Up member.
 */
public final class JournalReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private static final String PROBE_TAG = "pulse-readiness-probe";
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final TaggedEventFeed feed;

  /** Management creates the check reflectively with the classic system. */
  public JournalReadinessCheck(ActorSystem system) {
    this.feed = new TaggedEventFeed(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return feed.page(PROBE_TAG, 0, 1)
        .toCompletableFuture()
        .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .handle((envelopes, failure) -> failure == null);
  }
}

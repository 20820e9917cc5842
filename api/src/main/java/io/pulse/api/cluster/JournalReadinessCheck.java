package io.pulse.api.cluster;

import io.pulse.engine.journal.JournalAvailability;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * A Pekko Management readiness check (configured under {@code
 * pekko.management.health-checks.readiness-checks}): ready only while the node finds its journal
 * database answering, as {@code /health/ready} requires, from the same status the node's journal
 * probe keeps, so that it answers at once; the cluster-membership check that comes with
 * management-cluster-http covers the Up member.
 */
public final class JournalReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private final JournalAvailability journal;

  /** Management creates the check reflectively with the classic system. */
  public JournalReadinessCheck(ActorSystem system) {
    this.journal = JournalAvailability.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(journal.isAvailable());
  }
}

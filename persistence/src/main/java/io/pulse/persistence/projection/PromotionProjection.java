package io.pulse.persistence.projection;

import com.typesafe.config.Config;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.promotion.PromotionDelivery;
import io.pulse.engine.user.JournalTags;
import io.pulse.persistence.DatabaseSettings;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Delivers the journal's promotion feed (transitions and purchases, tagged {@value
 * JournalTags#PROMOTION}) to the campaigns, at least once, in stretches of up to {@code
 * group-after-envelopes} envelopes or {@code group-after-duration}, with the offset stored in the
 * same database after each stretch. It runs once in the cluster, as a sharded daemon process of one
 * instance, which sharding moves to another node when its node leaves.
 */
public final class PromotionProjection {

  /** The projection's name and key in the offset store. */
  public static final ProjectionId ID = ProjectionId.of("promotions", JournalTags.PROMOTION);

  private PromotionProjection() {}

  /** Starts the projection on this node's share of the cluster. */
  public static void init(
      ActorSystem<?> system, DatabaseSettings database, PromotionDelivery delivery) {
    Projection<EventEnvelope<EngagementChange>> projection =
        create(system, ProjectionDataSource.start(system, database), delivery);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            "promotion-projection",
            1,
            instance -> ProjectionBehavior.create(projection),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  static Projection<EventEnvelope<EngagementChange>> create(
      ActorSystem<?> system, ProjectionDataSource dataSource, PromotionDelivery delivery) {
    SourceProvider<Offset, EventEnvelope<EngagementChange>> source =
        EventSourcedProvider.eventsByTag(
            system, JdbcReadJournal.Identifier(), JournalTags.PROMOTION);
    Config settings = system.settings().config().getConfig("pulse.promotions.projection");
    // Grouped: one look-up of the campaigns serves a whole stretch of the feed, and the offset
    // is stored once the stretch is handled.
    return JdbcProjection.groupedWithinAsync(
            ID, source, dataSource::newSession, () -> new PromotionHandler(delivery), system)
        .withGroup(
            settings.getInt("group-after-envelopes"), settings.getDuration("group-after-duration"))
        .withStatusObserver(new ProjectionFailureLog<>(JournalAvailability.get(system)));
  }
}

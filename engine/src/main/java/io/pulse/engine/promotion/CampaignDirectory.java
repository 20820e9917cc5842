package io.pulse.engine.promotion;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.promotion.CampaignDirectoryState;
import io.pulse.engine.domain.promotion.CampaignListed;
import io.pulse.engine.domain.promotion.Trigger;
import io.pulse.engine.journal.JournalFailures;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaigns of a tenant and their triggers, one sharded entity per tenant: what the promotion
 * delivery asks to know which campaigns a transition concerns, and what {@code GET /v1/campaigns}
 * lists.
 */
public final class CampaignDirectory
    extends EventSourcedBehaviorWithEnforcedReplies<
        CampaignDirectory.Command, CampaignListed, CampaignDirectoryState> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "campaign-directory");

  /** Messages the directory understands. */
  public sealed interface Command extends CborSerializable permits ListCampaign, GetDirectory {}

  /**
   * Lists a campaign with the trigger of version {@code campaignVersion} of its definition (0 when
   * not known); a campaign already so listed, or listed with a newer version's, changes nothing.
   */
  public record ListCampaign(
      String campaignId, Trigger trigger, long campaignVersion, ActorRef<Done> replyTo)
      implements Command {}

  /** Asks for every campaign and its trigger. */
  public record GetDirectory(ActorRef<CampaignDirectoryState> replyTo) implements Command {}

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, context -> create(context.getEntityId())));
  }

  public static Behavior<Command> create(String tenant) {
    return Behaviors.setup(
        context -> new CampaignDirectory(tenant, JournalFailures.of(context.getSystem())));
  }

  public static EntityRef<Command> refFor(ActorSystem<?> system, String tenant) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, tenant);
  }

  private static final Logger log = LoggerFactory.getLogger(CampaignDirectory.class);

  private final JournalFailures failures;

  private CampaignDirectory(String tenant, JournalFailures failures) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), tenant),
        // Stopped on a journal failure and started again by its next message, rather than kept in
        // a restart backoff that outlasts the outage.
        JournalFailures.stopOnFirstFailure());
    this.failures = failures;
  }

  @Override
  public CampaignDirectoryState emptyState() {
    return CampaignDirectoryState.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<Command, CampaignListed, CampaignDirectoryState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(
            ListCampaign.class,
            (state, command) ->
                state
                    .list(command.campaignId(), command.trigger(), command.campaignVersion())
                    .map(
                        listed ->
                            Effect()
                                .persist(listed)
                                .thenReply(command.replyTo(), after -> Done.getInstance()))
                    .orElseGet(() -> Effect().reply(command.replyTo(), Done.getInstance())))
        .onCommand(GetDirectory.class, (state, command) -> Effect().reply(command.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<CampaignDirectoryState, CampaignListed> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(CampaignDirectoryState::apply);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<CampaignDirectoryState> signalHandler() {
    return failures.reportedIn(newSignalHandlerBuilder(), log, persistenceId().id()).build();
  }
}

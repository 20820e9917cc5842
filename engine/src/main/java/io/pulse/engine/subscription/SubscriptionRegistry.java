package io.pulse.engine.subscription;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.journal.JournalFailures;
import java.util.ArrayList;
import java.util.List;
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
 * The ids of a tenant's webhook subscriptions, in creation order: what lists them and what keeps
 * their delivery runs going after a restart ({@link SubscriptionKeeper}). The definitions and
 * delivery state live in each {@link SubscriptionEntity}.
 */
public final class SubscriptionRegistry
    extends EventSourcedBehaviorWithEnforcedReplies<
        SubscriptionRegistry.Command, SubscriptionRegistry.Event, SubscriptionRegistry.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "webhook-subscription-registry");

  /** Messages the registry understands. */
  public sealed interface Command extends CborSerializable permits Register, Unregister, ListIds {}

  /** Adds a subscription id; registering an id twice is harmless. */
  public record Register(String subscriptionId, ActorRef<Done> replyTo) implements Command {}

  /** Removes a subscription id; removing an unknown id is harmless. */
  public record Unregister(String subscriptionId, ActorRef<Done> replyTo) implements Command {}

  /** Asks for the ids. */
  public record ListIds(ActorRef<SubscriptionIds> replyTo) implements Command {}

  /** The registered ids, oldest first. */
  public record SubscriptionIds(List<String> ids) implements CborSerializable {
    public SubscriptionIds {
      ids = List.copyOf(ids);
    }
  }

  /** Journaled changes of the registry. */
  public sealed interface Event extends CborSerializable permits Registered, Unregistered {}

  /** A subscription id was added. */
  public record Registered(String subscriptionId) implements Event {}

  /** A subscription id was removed. */
  public record Unregistered(String subscriptionId) implements Event {}

  /** The registered ids, oldest first. */
  public record State(List<String> ids) implements CborSerializable {
    public State {
      ids = List.copyOf(ids);
    }

    State apply(Event event) {
      List<String> next = new ArrayList<>(ids);
      if (event instanceof Registered registered) {
        next.add(registered.subscriptionId());
      } else {
        next.remove(((Unregistered) event).subscriptionId());
      }
      return new State(next);
    }
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, context -> create(context.getEntityId())));
  }

  public static EntityRef<Command> refFor(ActorSystem<?> system, String tenant) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, tenant);
  }

  public static Behavior<Command> create(String tenant) {
    return Behaviors.setup(
        context -> new SubscriptionRegistry(tenant, JournalFailures.of(context.getSystem())));
  }

  private static final Logger log = LoggerFactory.getLogger(SubscriptionRegistry.class);

  private final JournalFailures failures;

  private SubscriptionRegistry(String tenant, JournalFailures failures) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), tenant),
        // Stopped on a journal failure and started again by its next message, rather than kept in
        // a restart backoff that outlasts the outage.
        JournalFailures.stopOnFirstFailure());
    this.failures = failures;
  }

  @Override
  public State emptyState() {
    return new State(List.of());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(
            Register.class,
            (state, command) ->
                state.ids().contains(command.subscriptionId())
                    ? Effect().reply(command.replyTo(), Done.getInstance())
                    : Effect()
                        .persist(new Registered(command.subscriptionId()))
                        .thenReply(command.replyTo(), after -> Done.getInstance()))
        .onCommand(
            Unregister.class,
            (state, command) ->
                state.ids().contains(command.subscriptionId())
                    ? Effect()
                        .persist(new Unregistered(command.subscriptionId()))
                        .thenReply(command.replyTo(), after -> Done.getInstance())
                    : Effect().reply(command.replyTo(), Done.getInstance()))
        .onCommand(
            ListIds.class,
            (state, command) -> Effect().reply(command.replyTo(), new SubscriptionIds(state.ids())))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return failures.reportedIn(newSignalHandlerBuilder(), log, persistenceId().id()).build();
  }
}

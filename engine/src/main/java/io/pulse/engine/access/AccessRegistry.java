package io.pulse.engine.access;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.access.AccessChange;
import io.pulse.engine.domain.access.AccessState;
import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.NewKey;
import io.pulse.engine.domain.access.TenantId;
import io.pulse.engine.journal.JournalFailures;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable source of truth for tenants and API keys: one entity for the whole cluster, the
 * single writer that makes a tenant id or a key unique. Every change is announced on a cluster-wide
 * topic so that each node's {@link AccessCatalog} follows it at once; a revoked key stops working
 * on every node as soon as the announcement arrives, and at the latest at the catalog's next read.
 */
public final class AccessRegistry
    extends EventSourcedBehaviorWithEnforcedReplies<
        AccessRegistry.Command, AccessChange, AccessState> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "access-registry");

  /** The one entity of the registry. */
  static final String ENTITY_ID = "access";

  /** The cluster-wide topic on which every change of the tenants and keys is announced. */
  public static final String TOPIC = "pulse-access";

  /** Messages the registry understands. */
  public sealed interface Command extends CborSerializable
      permits CreateTenant,
          CreateKey,
          RevokeKey,
          GetAccess,
          RecordUse,
          EnsureKey,
          BootstrapIfEmpty {}

  /** Creates a tenant; an error reply says why it cannot be created. */
  public record CreateTenant(String tenant, ActorRef<StatusReply<AccessState>> replyTo)
      implements Command {}

  /**
   * Creates a key whose secret the caller generated and keeps: only its hash and hint travel here.
   * An error reply lists what is wrong with the request.
   */
  public record CreateKey(
      NewKey request,
      String keyId,
      String secretHash,
      String hint,
      ActorRef<StatusReply<ApiKey>> replyTo)
      implements Command {}

  /**
   * Revokes a key; {@code asTenant} limits it to that tenant's keys (null for the operator, who may
   * revoke any). An error reply means there is no such key for the caller.
   */
  public record RevokeKey(String keyId, TenantId asTenant, ActorRef<StatusReply<ApiKey>> replyTo)
      implements Command {}

  /** Asks for the tenants and keys. */
  public record GetAccess(ActorRef<AccessState> replyTo) implements Command {}

  /** Last uses of keys seen by a node. */
  public record RecordUse(Map<String, Instant> lastUse, ActorRef<Done> replyTo)
      implements Command {}

  /**
   * Makes sure a key exists (the operator's bootstrap key from the configuration): created unless a
   * key with the same secret hash is already stored.
   */
  public record EnsureKey(ApiKey key, ActorRef<Done> replyTo) implements Command {}

  /**
   * Creates the first key, only while there is none at all; the answer says whether this one was
   * created, so that exactly one node of a cluster starting together writes its key file.
   */
  public record BootstrapIfEmpty(ApiKey key, ActorRef<Boolean> replyTo) implements Command {}

  private final Clock clock;
  private final ActorRef<Topic.Command<AccessState>> topic;

  public static void init(ActorSystem<?> system, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, context -> create(clock)));
  }

  public static EntityRef<Command> refFor(ActorSystem<?> system) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, ENTITY_ID);
  }

  public static Behavior<Command> create(Clock clock) {
    return Behaviors.setup(
        context ->
            new AccessRegistry(
                clock,
                context.spawn(Topic.create(AccessState.class, TOPIC), "topic"),
                JournalFailures.of(context.getSystem())));
  }

  private static final Logger log = LoggerFactory.getLogger(AccessRegistry.class);

  private final JournalFailures failures;

  private AccessRegistry(
      Clock clock, ActorRef<Topic.Command<AccessState>> topic, JournalFailures failures) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), ENTITY_ID),
        // Stopped on a journal failure and started again by its next message, rather than kept in
        // a restart backoff that outlasts the outage.
        JournalFailures.stopOnFirstFailure());
    this.failures = failures;
    this.clock = clock;
    this.topic = topic;
  }

  @Override
  public AccessState emptyState() {
    return AccessState.initial();
  }

  @Override
  public CommandHandlerWithReply<Command, AccessChange, AccessState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(CreateTenant.class, this::onCreateTenant)
        .onCommand(CreateKey.class, this::onCreateKey)
        .onCommand(RevokeKey.class, this::onRevokeKey)
        .onCommand(GetAccess.class, (state, command) -> Effect().reply(command.replyTo(), state))
        .onCommand(RecordUse.class, this::onRecordUse)
        .onCommand(EnsureKey.class, this::onEnsureKey)
        .onCommand(BootstrapIfEmpty.class, this::onBootstrapIfEmpty)
        .build();
  }

  private ReplyEffect<AccessChange, AccessState> onCreateTenant(
      AccessState state, CreateTenant command) {
    var refusal = state.tenantRefusal(command.tenant());
    if (refusal.isPresent()) {
      return Effect().reply(command.replyTo(), StatusReply.error(refusal.get()));
    }
    return Effect()
        .persist(new AccessChange.TenantCreated(new TenantId(command.tenant()), clock.instant()))
        .thenRun(this::announce)
        .thenReply(command.replyTo(), StatusReply::success);
  }

  private ReplyEffect<AccessChange, AccessState> onCreateKey(AccessState state, CreateKey command) {
    List<String> problems = state.keyProblems(command.request());
    if (!problems.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.error(String.join("; ", problems)));
    }
    if (state.key(command.keyId()).isPresent()
        || state.keyWithHash(command.secretHash()).isPresent()) {
      // 64 random bits for the id and 256 for the secret: a clash means a retried command.
      return Effect()
          .reply(command.replyTo(), StatusReply.error("a key with this id or secret exists"));
    }
    ApiKey key =
        new ApiKey(
            command.keyId(),
            command.request().tenant(),
            command.request().name(),
            command.request().scopes(),
            command.request().limits(),
            command.secretHash(),
            command.hint(),
            clock.instant(),
            null,
            null);
    return Effect()
        .persist(new AccessChange.KeyCreated(key))
        .thenRun(this::announce)
        .thenReply(command.replyTo(), after -> StatusReply.success(key));
  }

  private ReplyEffect<AccessChange, AccessState> onRevokeKey(AccessState state, RevokeKey command) {
    ApiKey key = state.key(command.keyId()).orElse(null);
    if (key == null || (command.asTenant() != null && !key.tenant().equals(command.asTenant()))) {
      return Effect()
          .reply(command.replyTo(), StatusReply.error("no key '" + command.keyId() + "'"));
    }
    if (key.revoked()) {
      return Effect().reply(command.replyTo(), StatusReply.success(key));
    }
    return Effect()
        .persist(new AccessChange.KeyRevoked(key.id(), clock.instant()))
        .thenRun(this::announce)
        .thenReply(
            command.replyTo(), after -> StatusReply.success(after.key(key.id()).orElseThrow()));
  }

  private ReplyEffect<AccessChange, AccessState> onRecordUse(AccessState state, RecordUse command) {
    Map<String, Instant> worth =
        state.usesWorthRecording(command.lastUse(), AccessCatalog.LAST_USE_PRECISION);
    if (worth.isEmpty()) {
      return Effect().reply(command.replyTo(), Done.getInstance());
    }
    // Not announced: a last use changes no answer to a request, and the catalogs read it soon.
    return Effect()
        .persist(new AccessChange.KeysUsed(worth))
        .thenReply(command.replyTo(), after -> Done.getInstance());
  }

  private ReplyEffect<AccessChange, AccessState> onEnsureKey(AccessState state, EnsureKey command) {
    if (state.keyWithHash(command.key().secretHash()).isPresent()) {
      return Effect().reply(command.replyTo(), Done.getInstance());
    }
    return Effect()
        .persist(new AccessChange.KeyCreated(command.key()))
        .thenRun(this::announce)
        .thenReply(command.replyTo(), after -> Done.getInstance());
  }

  private ReplyEffect<AccessChange, AccessState> onBootstrapIfEmpty(
      AccessState state, BootstrapIfEmpty command) {
    if (state.hasKeys()) {
      return Effect().reply(command.replyTo(), false);
    }
    return Effect()
        .persist(new AccessChange.KeyCreated(command.key()))
        .thenRun(this::announce)
        .thenReply(command.replyTo(), after -> true);
  }

  private void announce(AccessState state) {
    topic.tell(Topic.publish(state));
  }

  @Override
  public EventHandler<AccessState, AccessChange> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(AccessState::apply);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  @Override
  public SignalHandler<AccessState> signalHandler() {
    return failures.reportedIn(newSignalHandlerBuilder(), log, persistenceId().id()).build();
  }
}

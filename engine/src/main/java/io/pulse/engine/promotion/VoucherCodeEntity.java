package io.pulse.engine.promotion;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.promotion.CodeClaimed;
import io.pulse.engine.domain.promotion.VoucherCodeState;
import io.pulse.engine.journal.JournalFailures;
import java.time.Clock;
import java.util.regex.Pattern;
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
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One voucher code, sharded by the code itself, so that exactly one writer in the cluster decides
 * who owns it: the durable guarantee that a code is unique across campaigns and nodes, and the
 * lookup from a code to its campaign.
 */
public final class VoucherCodeEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        VoucherCodeEntity.Command, CodeClaimed, VoucherCodeState> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "voucher-code");

  /** What a code may look like; anything else is not a code of this system. */
  private static final Pattern CODE = Pattern.compile("[A-Z0-9_-]{1,64}");

  /** Messages a voucher code understands. */
  public sealed interface Command extends CborSerializable permits Claim, Lookup {}

  /**
   * Claims the code for the voucher a tenant's campaign issued for a transition; granted when the
   * code was free or already that voucher's.
   */
  public record Claim(
      String tenant,
      String campaignId,
      String userId,
      String transitionId,
      ActorRef<ClaimVerdict> replyTo)
      implements Command {}

  /** Asks who owns the code. */
  public record Lookup(ActorRef<CodeOwner> replyTo) implements Command {}

  /** The answer to a claim. */
  public record ClaimVerdict(boolean granted) implements CborSerializable {}

  /** The claim on a code; {@code claim} is null for a free code. */
  public record CodeOwner(CodeClaimed claim) implements CborSerializable {}

  private final String code;
  private final Clock clock;

  public static void init(ActorSystem<?> system, Clock clock) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, context -> create(context.getEntityId(), clock)));
  }

  public static Behavior<Command> create(String code, Clock clock) {
    return Behaviors.setup(
        context -> new VoucherCodeEntity(code, clock, JournalFailures.of(context.getSystem())));
  }

  /** Whether {@code code} has the shape of a voucher code (and so may name an entity). */
  public static boolean isWellFormed(String code) {
    return code != null && CODE.matcher(code).matches();
  }

  public static EntityRef<Command> refFor(ActorSystem<?> system, String code) {
    if (!isWellFormed(code)) {
      throw new IllegalArgumentException("not a voucher code: " + code);
    }
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, code);
  }

  private static final Logger log = LoggerFactory.getLogger(VoucherCodeEntity.class);

  private final JournalFailures failures;

  private VoucherCodeEntity(String code, Clock clock, JournalFailures failures) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), code),
        // Stopped on a journal failure and started again by its next message, rather than kept in
        // a restart backoff that outlasts the outage.
        JournalFailures.stopOnFirstFailure());
    this.failures = failures;
    this.code = code;
    this.clock = clock;
  }

  @Override
  public VoucherCodeState emptyState() {
    return VoucherCodeState.FREE;
  }

  @Override
  public CommandHandlerWithReply<Command, CodeClaimed, VoucherCodeState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Claim.class, this::onClaim)
        .onCommand(
            Lookup.class,
            (state, command) -> Effect().reply(command.replyTo(), new CodeOwner(state.claim())))
        .build();
  }

  private ReplyEffect<CodeClaimed, VoucherCodeState> onClaim(
      VoucherCodeState state, Claim command) {
    return state
        .claimFor(
            code,
            command.tenant(),
            command.campaignId(),
            command.userId(),
            command.transitionId(),
            clock.instant())
        .map(
            claimed ->
                Effect()
                    .persist(claimed)
                    .thenReply(command.replyTo(), after -> new ClaimVerdict(true)))
        .orElseGet(
            () ->
                Effect()
                    .reply(
                        command.replyTo(),
                        new ClaimVerdict(
                            state.grants(
                                command.tenant(), command.campaignId(), command.transitionId()))));
  }

  @Override
  public EventHandler<VoucherCodeState, CodeClaimed> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(VoucherCodeState::apply);
  }

  @Override
  public SignalHandler<VoucherCodeState> signalHandler() {
    return failures.reportedIn(newSignalHandlerBuilder(), log, persistenceId().id()).build();
  }
}

package io.pulse.engine.promotion;

import io.pulse.engine.CborSerializable;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.promotion.Campaign;
import io.pulse.engine.domain.promotion.CampaignEvent;
import io.pulse.engine.domain.promotion.CampaignState;
import io.pulse.engine.domain.promotion.CampaignStats;
import io.pulse.engine.domain.promotion.Occasion;
import io.pulse.engine.domain.promotion.OccasionConsidered;
import io.pulse.engine.domain.promotion.Outcome;
import io.pulse.engine.domain.promotion.RedemptionAttempt;
import io.pulse.engine.domain.promotion.TransitionConsidered;
import io.pulse.engine.domain.promotion.Voucher;
import io.pulse.engine.journal.JournalFailures;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
 * One campaign, sharded and persistent: the single writer of its budget, its vouchers and its
 * participants, so that no two decisions, on any node, can spend the same budget. It hosts {@link
 * CampaignState}; the decisions are the domain's.
 */
public final class CampaignEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        CampaignEntity.Command, CampaignEvent, CampaignState> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "campaign");

  /** The error of a {@link StatusReply} about a campaign that was never defined. */
  public static final String NOT_FOUND = "campaign-not-found";

  /** Messages a campaign understands. */
  public sealed interface Command extends CborSerializable
      permits Define,
          GetCampaign,
          Consider,
          ConsiderOccasion,
          ConfirmCode,
          ReplaceCode,
          RecordPurchase,
          Redeem,
          GetStats,
          GetVouchers {}

  /**
   * Creates the campaign or replaces its definition; its vouchers, participants and totals stay. An
   * invalid definition is an error reply naming every problem.
   */
  public record Define(Campaign campaign, ActorRef<StatusReply<CampaignDetails>> replyTo)
      implements Command {}

  /** Asks for the definition; an error reply {@link #NOT_FOUND} if there is none. */
  public record GetCampaign(ActorRef<StatusReply<CampaignDetails>> replyTo) implements Command {}

  /**
   * Offers a transition that matches the trigger, found at journal {@code offset}. A transition
   * considered before is answered with what was decided then, and changes nothing.
   */
  public record Consider(SegmentTransition transition, long offset, ActorRef<Decision> replyTo)
      implements Command {}

  /**
   * Offers an occasion found at journal {@code offset} for the trigger whose key it carries. One
   * considered before is answered with what was decided then, and changes nothing; one found for
   * another trigger than the campaign's now, nothing.
   */
  public record ConsiderOccasion(Occasion occasion, long offset, ActorRef<Decision> replyTo)
      implements Command {}

  /** The code of a pending voucher is claimed system-wide: the voucher becomes usable. */
  public record ConfirmCode(String code, ActorRef<Done> replyTo) implements Command {}

  /** The code of a pending voucher is taken elsewhere: draw another. */
  public record ReplaceCode(String code, ActorRef<Decision> replyTo) implements Command {}

  /**
   * A purchase of a user, found at journal {@code offset}: a conversion if it falls in a window.
   */
  public record RecordPurchase(
      String userId, String eventId, long offset, Instant at, ActorRef<Done> replyTo)
      implements Command {}

  /**
   * Redeems a voucher of this campaign for a user who is a member of {@code memberships} now; an
   * error reply carries the {@code RedemptionRefusal}'s wire name.
   */
  public record Redeem(
      String code,
      String userId,
      double orderAmount,
      List<String> memberships,
      ActorRef<StatusReply<Voucher>> replyTo)
      implements Command {

    public Redeem {
      memberships = memberships == null ? List.of() : List.copyOf(memberships);
    }

    /** A redemption by a user known to be in no audience. */
    public Redeem(
        String code, String userId, double orderAmount, ActorRef<StatusReply<Voucher>> replyTo) {
      this(code, userId, orderAmount, List.of(), replyTo);
    }
  }

  /** Asks for the campaign's results. */
  public record GetStats(ActorRef<StatusReply<CampaignStats>> replyTo) implements Command {}

  /** Asks for a user's usable vouchers of this campaign. */
  public record GetVouchers(String userId, ActorRef<UserVouchers> replyTo) implements Command {}

  /** A campaign's definition, how often it changed, and whether this request created it. */
  public record CampaignDetails(
      Campaign campaign, long version, Instant createdAt, Instant updatedAt, boolean created)
      implements CborSerializable {}

  /**
   * What was done with a transition. {@code outcome} is null when there was nothing to decide (a
   * transition considered before that got no voucher, or no campaign); {@code code} and {@code
   * claimed} describe the voucher of an issued outcome.
   */
  public record Decision(
      String transitionId, String userId, Outcome outcome, String code, boolean claimed)
      implements CborSerializable {

    public boolean needsClaim() {
      return outcome == Outcome.ISSUED && !claimed;
    }

    static Decision of(Voucher voucher) {
      return new Decision(
          voucher.transitionId(),
          voucher.userId(),
          Outcome.ISSUED,
          voucher.code(),
          voucher.claimed());
    }

    static Decision nothing(SegmentTransition transition) {
      return new Decision(transition.id(), transition.userId(), null, null, false);
    }

    static Decision nothing(Occasion occasion) {
      return new Decision(occasion.id(), occasion.userId(), null, null, false);
    }
  }

  /** A user's vouchers of one campaign. */
  public record UserVouchers(List<Voucher> vouchers) implements CborSerializable {

    public UserVouchers {
      vouchers = List.copyOf(vouchers);
    }
  }

  private final String campaignId;
  private final Clock clock;
  private final RandomGenerator random;
  private final PromotionSettings settings;

  /** Registers the entity type with sharding on this node; codes come from {@link SecureRandom}. */
  public static void init(ActorSystem<?> system, Clock clock, PromotionSettings settings) {
    SecureRandom random = new SecureRandom();
    init(system, clock, settings, entityId -> random);
  }

  /** The same with another source of codes per entity, for tests that need codes to collide. */
  public static void init(
      ActorSystem<?> system,
      Clock clock,
      PromotionSettings settings,
      Function<String, RandomGenerator> randomOfEntity) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_KEY,
                context ->
                    create(
                        context.getEntityId(),
                        clock,
                        randomOfEntity.apply(context.getEntityId()),
                        settings)));
  }

  public static Behavior<Command> create(
      String entityId, Clock clock, RandomGenerator random, PromotionSettings settings) {
    return Behaviors.setup(
        context ->
            new CampaignEntity(
                entityId, clock, random, settings, JournalFailures.of(context.getSystem())));
  }

  public static EntityRef<Command> refFor(ActorSystem<?> system, String tenant, String campaignId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, entityId(tenant, campaignId));
  }

  /** {@code <tenant>|<campaignId>}, as for users. */
  public static String entityId(String tenant, String campaignId) {
    return tenant + "|" + campaignId;
  }

  public static String campaignIdOf(String entityId) {
    return entityId.substring(entityId.indexOf('|') + 1);
  }

  /** {@code campaign|<tenant>|<campaignId>}. */
  public static PersistenceId persistenceIdOf(String entityId) {
    return PersistenceId.ofUniqueId(ENTITY_KEY.name() + "|" + entityId);
  }

  private static final Logger log = LoggerFactory.getLogger(CampaignEntity.class);

  private final JournalFailures failures;

  private CampaignEntity(
      String entityId,
      Clock clock,
      RandomGenerator random,
      PromotionSettings settings,
      JournalFailures failures) {
    super(
        persistenceIdOf(entityId),
        // Stopped on a journal failure and started again by its next message, rather than kept in
        // a restart backoff that outlasts the outage.
        JournalFailures.stopOnFirstFailure());
    this.failures = failures;
    this.campaignId = campaignIdOf(entityId);
    this.clock = clock;
    this.random = random;
    this.settings = settings;
  }

  @Override
  public CampaignState emptyState() {
    return CampaignState.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, CampaignEvent, CampaignState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Define.class, this::onDefine)
        .onCommand(GetCampaign.class, this::onGet)
        .onCommand(Consider.class, this::onConsider)
        .onCommand(ConsiderOccasion.class, this::onConsiderOccasion)
        .onCommand(ConfirmCode.class, this::onConfirm)
        .onCommand(ReplaceCode.class, this::onReplace)
        .onCommand(RecordPurchase.class, this::onPurchase)
        .onCommand(Redeem.class, this::onRedeem)
        .onCommand(GetStats.class, this::onStats)
        .onCommand(GetVouchers.class, this::onVouchers)
        .build();
  }

  private ReplyEffect<CampaignEvent, CampaignState> onDefine(CampaignState state, Define command) {
    Campaign campaign = command.campaign();
    List<String> problems = campaign.problems(settings.limits());
    if (!campaign.id().equals(campaignId)) {
      problems =
          List.of("id '" + campaign.id() + "' is not this campaign's id '" + campaignId + "'");
    }
    if (!problems.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.error(String.join("; ", problems)));
    }
    boolean created = !state.defined();
    return state
        .define(campaign, clock.instant())
        .map(
            defined ->
                Effect()
                    .persist((CampaignEvent) defined)
                    .thenReply(
                        command.replyTo(), after -> StatusReply.success(details(after, created))))
        .orElseGet(
            () -> Effect().reply(command.replyTo(), StatusReply.success(details(state, false))));
  }

  private ReplyEffect<CampaignEvent, CampaignState> onGet(
      CampaignState state, GetCampaign command) {
    return Effect()
        .reply(
            command.replyTo(),
            state.defined()
                ? StatusReply.success(details(state, false))
                : StatusReply.error(NOT_FOUND));
  }

  private static CampaignDetails details(CampaignState state, boolean created) {
    return new CampaignDetails(
        state.campaign(), state.version(), state.createdAt(), state.updatedAt(), created);
  }

  private ReplyEffect<CampaignEvent, CampaignState> onConsider(
      CampaignState state, Consider command) {
    SegmentTransition transition = command.transition();
    if (!state.defined() || !state.campaign().trigger().matches(transition)) {
      return Effect().reply(command.replyTo(), Decision.nothing(transition));
    }
    if (state.hasConsidered(transition)) {
      Decision earlier =
          state.voucherFor(transition).map(Decision::of).orElse(Decision.nothing(transition));
      return Effect().reply(command.replyTo(), earlier);
    }
    TransitionConsidered considered =
        state.decide(transition, command.offset(), clock.instant(), random);
    Decision decision =
        considered.voucher() == null
            ? new Decision(transition.id(), transition.userId(), considered.outcome(), null, false)
            : Decision.of(considered.voucher());
    return Effect()
        .persist((CampaignEvent) considered)
        .thenReply(command.replyTo(), after -> decision);
  }

  private ReplyEffect<CampaignEvent, CampaignState> onConsiderOccasion(
      CampaignState state, ConsiderOccasion command) {
    Occasion occasion = command.occasion();
    if (!state.defined() || !state.campaign().trigger().key().equals(occasion.trigger())) {
      return Effect().reply(command.replyTo(), Decision.nothing(occasion));
    }
    if (state.hasConsidered(occasion, command.offset())) {
      Decision earlier =
          state.voucherFor(occasion).map(Decision::of).orElse(Decision.nothing(occasion));
      return Effect().reply(command.replyTo(), earlier);
    }
    OccasionConsidered considered =
        state.decide(occasion, command.offset(), clock.instant(), random);
    Decision decision =
        considered.voucher() == null
            ? new Decision(occasion.id(), occasion.userId(), considered.outcome(), null, false)
            : Decision.of(considered.voucher());
    return Effect()
        .persist((CampaignEvent) considered)
        .thenReply(command.replyTo(), after -> decision);
  }

  private ReplyEffect<CampaignEvent, CampaignState> onConfirm(
      CampaignState state, ConfirmCode command) {
    return state
        .confirm(command.code())
        .map(
            confirmed ->
                Effect()
                    .persist((CampaignEvent) confirmed)
                    .thenReply(command.replyTo(), after -> Done.getInstance()))
        .orElseGet(() -> Effect().reply(command.replyTo(), Done.getInstance()));
  }

  private ReplyEffect<CampaignEvent, CampaignState> onReplace(
      CampaignState state, ReplaceCode command) {
    Voucher voucher = state.vouchers().get(command.code());
    if (voucher == null) {
      return Effect()
          .reply(command.replyTo(), new Decision(null, null, null, command.code(), false));
    }
    return state
        .replace(command.code(), random)
        .map(
            replaced ->
                Effect()
                    .persist((CampaignEvent) replaced)
                    .thenReply(
                        command.replyTo(),
                        after -> Decision.of(after.vouchers().get(replaced.newCode()))))
        .orElseGet(() -> Effect().reply(command.replyTo(), Decision.of(voucher)));
  }

  private ReplyEffect<CampaignEvent, CampaignState> onPurchase(
      CampaignState state, RecordPurchase command) {
    return state
        .purchase(command.userId(), command.eventId(), command.offset(), command.at())
        .map(
            conversion ->
                Effect()
                    .persist((CampaignEvent) conversion)
                    .thenReply(command.replyTo(), after -> Done.getInstance()))
        .orElseGet(() -> Effect().reply(command.replyTo(), Done.getInstance()));
  }

  private ReplyEffect<CampaignEvent, CampaignState> onRedeem(CampaignState state, Redeem command) {
    if (!state.defined()) {
      return Effect().reply(command.replyTo(), StatusReply.error(NOT_FOUND));
    }
    RedemptionAttempt attempt =
        state.redeem(
            command.code(),
            command.userId(),
            command.orderAmount(),
            command.memberships(),
            clock.instant());
    if (!attempt.succeeded()) {
      return Effect().reply(command.replyTo(), StatusReply.error(attempt.refusal().wireName()));
    }
    return Effect()
        .persist((CampaignEvent) attempt.redeemed())
        .thenReply(
            command.replyTo(), after -> StatusReply.success(after.vouchers().get(command.code())));
  }

  private ReplyEffect<CampaignEvent, CampaignState> onStats(CampaignState state, GetStats command) {
    return Effect()
        .reply(
            command.replyTo(),
            state.defined() ? StatusReply.success(state.stats()) : StatusReply.error(NOT_FOUND));
  }

  private ReplyEffect<CampaignEvent, CampaignState> onVouchers(
      CampaignState state, GetVouchers command) {
    List<Voucher> vouchers = state.defined() ? state.vouchersOf(command.userId()) : List.of();
    return Effect().reply(command.replyTo(), new UserVouchers(vouchers));
  }

  @Override
  public EventHandler<CampaignState, CampaignEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(CampaignState::apply);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }

  @Override
  public SignalHandler<CampaignState> signalHandler() {
    return failures.reportedIn(newSignalHandlerBuilder(), log, persistenceId().id()).build();
  }
}

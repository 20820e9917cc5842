package io.pulse.engine.promotion;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.promotion.CampaignDirectoryState;
import io.pulse.engine.domain.promotion.Occasion;
import io.pulse.engine.domain.promotion.Trigger;
import io.pulse.engine.promotion.CampaignEntity.Decision;
import io.pulse.engine.promotion.VoucherCodeEntity.ClaimVerdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Hands what the promotion feed carries to the campaigns: a transition, an accepted event or a date
 * reached to each campaign whose trigger fires on it, then claims the code of any voucher issued; a
 * purchase to every campaign, for conversions. Each campaign gets its items one at a time in feed
 * order, so it sees a user's transitions in sequence and a purchase after the transition it
 * follows; campaigns run side by side. Every step is idempotent, so delivering the same items
 * again, after a crash or in a replay from offset 0, issues nothing new and finishes any voucher
 * left pending.
 */
public final class PromotionDelivery {

  private static final CompletionStage<Done> DONE = CompletableFuture.completedFuture(Done.done());

  private final ActorSystem<?> system;
  private final PromotionSettings settings;

  public PromotionDelivery(ActorSystem<?> system, PromotionSettings settings) {
    this.system = system;
    this.settings = settings;
  }

  /** The tenant in a user's persistence id, {@code user|<tenant>|<userId>}. */
  public static String tenantOfUser(String persistenceId) {
    int first = persistenceId.indexOf('|');
    int second = persistenceId.indexOf('|', first + 1);
    if (first < 0 || second < 0) {
      throw new IllegalArgumentException("not a user persistence id: " + persistenceId);
    }
    return persistenceId.substring(first + 1, second);
  }

  /** Offers one transition found at journal {@code offset}. */
  public CompletionStage<Done> transition(
      String tenant, SegmentTransition transition, long offset) {
    return deliver(List.of(PromotionFeedItem.transition(tenant, offset, transition)));
  }

  /** Offers one purchase found at journal {@code offset}. */
  public CompletionStage<Done> purchase(String tenant, BehaviouralEvent purchase, long offset) {
    return deliver(List.of(PromotionFeedItem.purchase(tenant, offset, purchase)));
  }

  /**
   * Delivers a stretch of the feed, in order; completes once every campaign has handled its part
   * and every voucher issued is usable. One look-up of the campaigns serves the whole stretch.
   */
  public CompletionStage<Done> deliver(List<PromotionFeedItem> items) {
    Map<String, List<PromotionFeedItem>> byTenant = new LinkedHashMap<>();
    for (PromotionFeedItem item : items) {
      byTenant.computeIfAbsent(item.tenant(), tenant -> new ArrayList<>()).add(item);
    }
    return all(
        List.copyOf(byTenant.keySet()),
        tenant ->
            directory(tenant)
                .thenCompose(
                    directory ->
                        all(
                            directory.ids(),
                            campaignId ->
                                inOrder(
                                    concerning(
                                        directory.campaigns().get(campaignId),
                                        byTenant.get(tenant)),
                                    step -> handOver(tenant, campaignId, step)))));
  }

  /** What of {@code items} goes to a campaign with {@code trigger}, each once, in order. */
  private static List<Step> concerning(Trigger trigger, List<PromotionFeedItem> items) {
    Function<EngagementChange, Optional<Occasion>> occasions = trigger.occasions();
    List<Step> steps = new ArrayList<>();
    for (PromotionFeedItem item : items) {
      EngagementChange change = item.change();
      if (change instanceof SegmentTransition transition) {
        if (trigger.matches(transition)) {
          steps.add(new Step(item, transition, null));
        }
        continue;
      }
      occasions.apply(change).ifPresent(occasion -> steps.add(new Step(item, null, occasion)));
      if (item.purchase() != null) {
        steps.add(new Step(item, null, null));
      }
    }
    return steps;
  }

  /** One thing to hand a campaign: a transition, an occasion, or else the item's purchase. */
  private record Step(PromotionFeedItem item, SegmentTransition transition, Occasion occasion) {}

  private CompletionStage<Done> handOver(String tenant, String campaignId, Step step) {
    PromotionFeedItem item = step.item();
    if (step.transition() != null) {
      return consider(
          tenant,
          campaignId,
          replyTo -> new CampaignEntity.Consider(step.transition(), item.offset(), replyTo));
    }
    if (step.occasion() != null) {
      return consider(
          tenant,
          campaignId,
          replyTo -> new CampaignEntity.ConsiderOccasion(step.occasion(), item.offset(), replyTo));
    }
    BehaviouralEvent purchase = item.purchase();
    return CampaignEntity.refFor(system, tenant, campaignId)
        .ask(
            replyTo ->
                new CampaignEntity.RecordPurchase(
                    purchase.userId(),
                    purchase.eventId(),
                    item.offset(),
                    purchase.timestamp(),
                    replyTo),
            settings.askTimeout());
  }

  private CompletionStage<CampaignDirectoryState> directory(String tenant) {
    return CampaignDirectory.refFor(system, tenant)
        .ask(CampaignDirectory.GetDirectory::new, settings.askTimeout());
  }

  /** Asks the campaign to decide, then claims the code of a voucher it issued. */
  private CompletionStage<Done> consider(
      String tenant,
      String campaignId,
      Function<ActorRef<Decision>, CampaignEntity.Command> consideration) {
    return CampaignEntity.refFor(system, tenant, campaignId)
        .<Decision>ask(consideration::apply, settings.askTimeout())
        .thenCompose(decision -> settle(tenant, campaignId, decision, 1));
  }

  /**
   * Claims a pending voucher's code; a code taken by another voucher is replaced by a fresh one and
   * claimed again.
   */
  private CompletionStage<Done> settle(
      String tenant, String campaignId, Decision decision, int attempt) {
    if (!decision.needsClaim()) {
      return DONE;
    }
    if (attempt > settings.maxCodeAttempts()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "no free code for campaign "
                  + campaignId
                  + " after "
                  + settings.maxCodeAttempts()
                  + " attempts; is its code pattern too short?"));
    }
    var campaign = CampaignEntity.refFor(system, tenant, campaignId);
    return VoucherCodeEntity.refFor(system, decision.code())
        .<ClaimVerdict>ask(
            replyTo ->
                new VoucherCodeEntity.Claim(
                    tenant, campaignId, decision.userId(), decision.transitionId(), replyTo),
            settings.askTimeout())
        .thenCompose(
            verdict ->
                verdict.granted()
                    ? campaign.<Done>ask(
                        replyTo -> new CampaignEntity.ConfirmCode(decision.code(), replyTo),
                        settings.askTimeout())
                    : campaign
                        .<Decision>ask(
                            replyTo -> new CampaignEntity.ReplaceCode(decision.code(), replyTo),
                            settings.askTimeout())
                        .thenCompose(next -> settle(tenant, campaignId, next, attempt + 1)));
  }

  /** Runs {@code step} for every id side by side. */
  private static CompletionStage<Done> all(
      List<String> ids, Function<String, CompletionStage<Done>> step) {
    if (ids.isEmpty()) {
      return DONE;
    }
    CompletableFuture<?>[] steps =
        ids.stream()
            .map(step)
            .map(CompletionStage::toCompletableFuture)
            .toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(steps).thenApply(ignored -> Done.done());
  }

  /** Runs {@code handOver} for every step, each once the one before it has finished. */
  private static CompletionStage<Done> inOrder(
      List<Step> steps, Function<Step, CompletionStage<Done>> handOver) {
    CompletionStage<Done> chain = DONE;
    for (Step step : steps) {
      chain = chain.thenCompose(done -> handOver.apply(step));
    }
    return chain;
  }
}

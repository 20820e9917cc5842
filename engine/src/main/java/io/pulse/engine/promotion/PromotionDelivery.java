package io.pulse.engine.promotion;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.promotion.CampaignDirectoryState;
import io.pulse.engine.promotion.CampaignEntity.Decision;
import io.pulse.engine.promotion.VoucherCodeEntity.ClaimVerdict;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Hands what the promotion feed carries to the campaigns: a transition to each campaign whose
 * trigger it matches, then claims the code of any voucher issued; a purchase to every campaign, for
 * conversions. Every step is idempotent, so delivering the same transition or purchase again, after
 * a crash or in a replay from offset 0, issues nothing new and finishes any voucher left pending.
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

  /**
   * Offers a transition found at journal {@code offset}; completes once every voucher is usable.
   */
  public CompletionStage<Done> transition(
      String tenant, SegmentTransition transition, long offset) {
    return directory(tenant)
        .thenCompose(
            directory ->
                all(
                    directory.matching(transition),
                    campaignId -> consider(tenant, campaignId, transition, offset)));
  }

  /** Offers a purchase found at journal {@code offset} to every campaign, for conversions. */
  public CompletionStage<Done> purchase(String tenant, BehaviouralEvent purchase, long offset) {
    return directory(tenant)
        .thenCompose(
            directory ->
                all(
                    directory.ids(),
                    campaignId ->
                        CampaignEntity.refFor(system, tenant, campaignId)
                            .<Done>ask(
                                replyTo ->
                                    new CampaignEntity.RecordPurchase(
                                        purchase.userId(),
                                        purchase.eventId(),
                                        offset,
                                        purchase.timestamp(),
                                        replyTo),
                                settings.askTimeout())));
  }

  private CompletionStage<CampaignDirectoryState> directory(String tenant) {
    return CampaignDirectory.refFor(system, tenant)
        .ask(CampaignDirectory.GetDirectory::new, settings.askTimeout());
  }

  private CompletionStage<Done> consider(
      String tenant, String campaignId, SegmentTransition transition, long offset) {
    return CampaignEntity.refFor(system, tenant, campaignId)
        .<Decision>ask(
            replyTo -> new CampaignEntity.Consider(transition, offset, replyTo),
            settings.askTimeout())
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
                    campaignId, decision.userId(), decision.transitionId(), replyTo),
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

  private static CompletionStage<Done> all(
      List<String> campaignIds, Function<String, CompletionStage<Done>> step) {
    if (campaignIds.isEmpty()) {
      return DONE;
    }
    CompletableFuture<?>[] steps =
        campaignIds.stream()
            .map(step)
            .map(CompletionStage::toCompletableFuture)
            .toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(steps).thenApply(ignored -> Done.done());
  }
}

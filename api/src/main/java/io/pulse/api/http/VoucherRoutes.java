package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.CampaignDocument.OfferDocument;
import io.pulse.api.json.RedemptionRequest;
import io.pulse.api.json.VoucherView;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.promotion.CampaignDirectoryState;
import io.pulse.engine.domain.promotion.RedemptionRefusal;
import io.pulse.engine.domain.promotion.Voucher;
import io.pulse.engine.promotion.CampaignDirectory;
import io.pulse.engine.promotion.CampaignEntity;
import io.pulse.engine.promotion.VoucherCodeEntity;
import io.pulse.engine.user.UserEntity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /v1/users/{userId}/vouchers} and {@code POST /v1/vouchers/{code}/redeem}. A code is
 * found through its voucher-code entity, and redeemed by its campaign, the single writer that makes
 * two redemptions of one code at the same moment give exactly one success; the campaign is told the
 * audiences the user is in at that moment, which its eligible audience is checked against.
 */
public final class VoucherRoutes {

  /** A redemption answer: the voucher, what it took off, and when. */
  public record Redeemed(
      String code,
      String campaignId,
      String userId,
      double orderAmount,
      double discount,
      String redeemedAt,
      OfferDocument offer) {}

  private final ActorSystem<?> system;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final Clock clock;
  private final StrictJsonBody<RedemptionRequest> redemptionBody;

  public VoucherRoutes(
      ActorSystem<?> system, JsonResponses responses, HttpSettings settings, Clock clock) {
    this.system = system;
    this.responses = responses;
    this.settings = settings;
    this.clock = clock;
    this.redemptionBody =
        new StrictJsonBody<>(
            responses.mapper(),
            RedemptionRequest.class,
            "invalid-redemption",
            "Invalid redemption",
            "{\"userId\", \"orderAmount\"}");
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.tenant(
            "GET",
            "/v1/users/{userId}/vouchers",
            Scope.USERS_READ,
            call -> completeWithFuture(vouchers(call.tenant(), call.parameter(0)))),
        Endpoint.tenant(
            "POST",
            "/v1/vouchers/{code}/redeem",
            Scope.VOUCHERS_REDEEM,
            call ->
                StrictJsonBody.completeWithBody(
                    settings, body -> redeem(call.tenant(), call.parameter(0), body))));
  }

  private CompletionStage<HttpResponse> vouchers(String tenant, String userId) {
    return CampaignDirectory.refFor(system, tenant)
        .<CampaignDirectoryState>ask(CampaignDirectory.GetDirectory::new, settings.askTimeout())
        .thenCompose(
            directory -> {
              List<CompletableFuture<CampaignEntity.UserVouchers>> reads = new ArrayList<>();
              for (String campaignId : directory.ids()) {
                reads.add(
                    CampaignEntity.refFor(system, tenant, campaignId)
                        .<CampaignEntity.UserVouchers>ask(
                            replyTo -> new CampaignEntity.GetVouchers(userId, replyTo),
                            settings.askTimeout())
                        .toCompletableFuture());
              }
              return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done -> {
                        List<VoucherView> views =
                            reads.stream()
                                .flatMap(read -> read.join().vouchers().stream())
                                .sorted(
                                    Comparator.comparing(Voucher::issuedAt)
                                        .thenComparing(Voucher::code))
                                .map(voucher -> VoucherView.of(voucher, clock.instant()))
                                .toList();
                        return responses.json(200, Map.of("userId", userId, "vouchers", views));
                      });
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> redeem(String tenant, String code, ByteString body) {
    RedemptionRequest request;
    try {
      request = redemptionBody.read(body);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    List<String> problems = request.problems(settings.limits());
    if (!problems.isEmpty()) {
      return CompletableFuture.completedFuture(
          responses.problem(
              Problem.of(
                      400, "invalid-redemption", "Invalid redemption", String.join("; ", problems))
                  .withErrors(problems)));
    }
    if (!VoucherCodeEntity.isWellFormed(code)) {
      return CompletableFuture.completedFuture(
          responses.problem(refusal(RedemptionRefusal.UNKNOWN_CODE, code)));
    }
    return VoucherCodeEntity.refFor(system, code)
        .<VoucherCodeEntity.CodeOwner>ask(VoucherCodeEntity.Lookup::new, settings.askTimeout())
        .thenCompose(
            owner -> {
              if (owner.claim() == null || !owner.claim().tenant().equals(tenant)) {
                // Another tenant's code is unknown here, exactly like a code never issued.
                return CompletableFuture.completedFuture(
                    responses.problem(refusal(RedemptionRefusal.UNKNOWN_CODE, code)));
              }
              // The owner's audiences: anyone else is refused as not the owner before they count.
              return ClusterSharding.get(system)
                  .entityRefFor(
                      UserEntity.ENTITY_KEY, UserEntity.entityId(tenant, owner.claim().userId()))
                  .<UserEntity.Memberships>ask(
                      UserEntity.GetMemberships::new, settings.askTimeout())
                  .thenCompose(
                      memberships ->
                          CampaignEntity.refFor(system, tenant, owner.claim().campaignId())
                              .<StatusReply<Voucher>>ask(
                                  replyTo ->
                                      new CampaignEntity.Redeem(
                                          code,
                                          request.userId(),
                                          request.orderAmount(),
                                          memberships.audiences(),
                                          replyTo),
                                  settings.askTimeout()))
                  .thenApply(reply -> answer(code, reply));
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private HttpResponse answer(String code, StatusReply<Voucher> reply) {
    if (reply.isError()) {
      RedemptionRefusal refusal =
          RedemptionRefusal.fromWire(reply.getError().getMessage())
              .orElse(RedemptionRefusal.UNKNOWN_CODE);
      return responses.problem(refusal(refusal, code));
    }
    Voucher voucher = reply.getValue();
    return responses.json(
        200,
        new Redeemed(
            voucher.code(),
            voucher.campaignId(),
            voucher.userId(),
            voucher.redemption().orderAmount(),
            voucher.redemption().discount(),
            voucher.redemption().at().toString(),
            OfferDocument.of(voucher.offer())));
  }

  /** The one mapping from a refused redemption to its status and problem type. */
  static Problem refusal(RedemptionRefusal refusal, String code) {
    return switch (refusal) {
      case UNKNOWN_CODE ->
          Problem.of(404, "voucher-not-found", "Voucher not found", "no voucher '" + code + "'");
      case NOT_OWNER ->
          Problem.of(
              403,
              "voucher-not-yours",
              "Voucher of another user",
              "voucher '" + code + "' was issued to another user");
      case ALREADY_REDEEMED ->
          Problem.of(
              409, "voucher-used", "Voucher already used", "voucher '" + code + "' was redeemed");
      case EXPIRED ->
          Problem.of(
              410, "voucher-expired", "Voucher expired", "voucher '" + code + "' has expired");
      case CAMPAIGN_INACTIVE ->
          Problem.of(
              409,
              "campaign-inactive",
              "Campaign switched off",
              "the campaign of voucher '" + code + "' is not active");
      case NOT_ELIGIBLE ->
          Problem.of(
              422,
              "not-eligible",
              "User not eligible",
              "the user is not in the audience that the campaign of voucher '"
                  + code
                  + "' is restricted to");
      case BELOW_MINIMUM_ORDER ->
          Problem.of(
              422,
              "below-minimum-order",
              "Order below the minimum",
              "the order is below the minimum amount of voucher '" + code + "'");
    };
  }
}

package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.CampaignDocument;
import io.pulse.api.json.CampaignStatsView;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.promotion.Campaign;
import io.pulse.engine.domain.promotion.CampaignDirectoryState;
import io.pulse.engine.domain.promotion.CampaignStats;
import io.pulse.engine.domain.watch.CampaignWatch;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.model.ModelCatalogs;
import io.pulse.engine.model.ModelRegistry;
import io.pulse.engine.promotion.CampaignDirectory;
import io.pulse.engine.promotion.CampaignEntity;
import io.pulse.engine.promotion.CampaignEntity.CampaignDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/campaigns}: create or replace, read and list campaigns, and read their stats. A
 * campaign is checked against the scoring models this node knows: a band trigger and tiers must
 * name a model and bands of it (or {@code inactive}); and against the tenant's registry, which
 * keeps what it watches: the audiences it names must exist, and its users mark the events or the
 * date it fires on.
 */
public final class CampaignRoutes {

  private static final Logger log = LoggerFactory.getLogger(CampaignRoutes.class);

  private final ActorSystem<?> system;
  private final ModelCatalogs catalogs;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final StrictJsonBody<CampaignDocument> campaignBody;

  public CampaignRoutes(
      ActorSystem<?> system,
      ModelCatalogs catalogs,
      JsonResponses responses,
      HttpSettings settings) {
    this.system = system;
    this.catalogs = catalogs;
    this.responses = responses;
    this.settings = settings;
    this.campaignBody =
        new StrictJsonBody<>(
            responses.mapper(),
            CampaignDocument.class,
            "invalid-campaign",
            "Invalid campaign",
            "a campaign");
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.tenant(
            "GET",
            "/v1/campaigns",
            Scope.CAMPAIGNS_READ,
            call -> completeWithFuture(list(call.tenant()))),
        Endpoint.tenant(
            "GET",
            "/v1/campaigns/{campaignId}",
            Scope.CAMPAIGNS_READ,
            call -> completeWithFuture(read(call.tenant(), call.parameter(0)))),
        Endpoint.tenant(
            "PUT",
            "/v1/campaigns/{campaignId}",
            Scope.CAMPAIGNS_WRITE,
            call ->
                StrictJsonBody.completeWithBody(
                    settings, body -> define(call.tenant(), call.parameter(0), body))),
        Endpoint.tenant(
            "GET",
            "/v1/campaigns/{campaignId}/stats",
            Scope.CAMPAIGNS_READ,
            call -> completeWithFuture(stats(call.tenant(), call.parameter(0)))));
  }

  private CompletionStage<HttpResponse> list(String tenant) {
    return CampaignDirectory.refFor(system, tenant)
        .<CampaignDirectoryState>ask(CampaignDirectory.GetDirectory::new, settings.askTimeout())
        .thenCompose(
            directory -> {
              List<CompletableFuture<StatusReply<CampaignDetails>>> reads = new ArrayList<>();
              for (String campaignId : directory.ids()) {
                reads.add(details(tenant, campaignId).toCompletableFuture());
              }
              return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done ->
                          responses.json(
                              200,
                              Map.of(
                                  "campaigns",
                                  reads.stream()
                                      .map(CompletableFuture::join)
                                      .filter(StatusReply::isSuccess)
                                      .map(reply -> documentOf(reply.getValue()))
                                      .toList())));
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> read(String tenant, String campaignId) {
    if (!Campaign.isValidId(campaignId)) {
      return CompletableFuture.completedFuture(responses.problem(notFound(campaignId)));
    }
    return details(tenant, campaignId)
        .thenApply(
            reply ->
                reply.isSuccess()
                    ? responses.json(200, documentOf(reply.getValue()))
                    : responses.problem(notFound(campaignId)))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> stats(String tenant, String campaignId) {
    if (!Campaign.isValidId(campaignId)) {
      return CompletableFuture.completedFuture(responses.problem(notFound(campaignId)));
    }
    return CampaignEntity.refFor(system, tenant, campaignId)
        .<StatusReply<CampaignStats>>ask(CampaignEntity.GetStats::new, settings.askTimeout())
        .thenApply(
            reply ->
                reply.isSuccess()
                    ? responses.json(200, CampaignStatsView.of(reply.getValue()))
                    : responses.problem(notFound(campaignId)))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> define(String tenant, String campaignId, ByteString body) {
    if (!Campaign.isValidId(campaignId)) {
      return CompletableFuture.completedFuture(
          responses.problem(
              invalid(
                  List.of(
                      "id must be 1 to 64 letters, digits, '_' or '-', starting with a letter or"
                          + " digit"))));
    }
    CampaignDocument document;
    try {
      document = campaignBody.read(body);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    CampaignDocument.Result result = document.toCampaign(campaignId, settings.limits());
    List<String> problems = new ArrayList<>(result.problems());
    if (result.campaign() != null) {
      problems.addAll(result.campaign().problemsAgainst(catalogs.catalog(tenant).get()));
    }
    if (!problems.isEmpty()) {
      return CompletableFuture.completedFuture(responses.problem(invalid(problems)));
    }
    Campaign campaign = result.campaign();
    return ModelRegistry.refFor(system, tenant)
        .<StatusReply<ModelCatalogRevision>>ask(
            replyTo -> new ModelRegistry.WatchCampaign(campaignId, campaign.watch(), replyTo),
            settings.askTimeout())
        .thenCompose(
            watched -> {
              if (watched.isError()) {
                // Refused: the registry changed nothing.
                return CompletableFuture.completedFuture(
                    responses.problem(
                        invalid(List.of(watched.getError().getMessage().split("; ")))));
              }
              // Users on this node mark what the campaign watches from the moment it is stored.
              catalogs.catalog(tenant).offer(watched.getValue());
              return store(tenant, campaignId, campaign);
            })
        .exceptionally(
            failure -> {
              reconcile(tenant, campaignId);
              return PulseRoutes.unavailable(responses, failure);
            });
  }

  /**
   * Stores a campaign its registry watches already, tells the registry and the directory the
   * version it was stored as, then answers with it.
   */
  private CompletionStage<HttpResponse> store(String tenant, String campaignId, Campaign campaign) {
    return CampaignEntity.refFor(system, tenant, campaignId)
        .<StatusReply<CampaignDetails>>ask(
            replyTo -> new CampaignEntity.Define(campaign, replyTo), settings.askTimeout())
        .thenCompose(
            reply -> {
              if (reply.isError()) {
                reconcile(tenant, campaignId);
                return CompletableFuture.completedFuture(
                    responses.problem(invalid(List.of(reply.getError().getMessage()))));
              }
              CampaignDetails details = reply.getValue();
              return follow(tenant, campaignId, details)
                  .thenApply(
                      followed -> {
                        HttpResponse answer =
                            responses.json(details.created() ? 201 : 200, documentOf(details));
                        return details.created()
                            ? answer.addHeader(Location.create("/v1/campaigns/" + campaignId))
                            : answer;
                      });
            });
  }

  /**
   * Tells the registry (what users mark) and the directory (which campaigns a transition is offered
   * to) the stored version {@code details} of the campaign. Both keep what the newest version they
   * were told of needs, so of two definitions stored concurrently the one stored last decides,
   * whatever order the two requests reach them in. Listed after it is stored: a failure here leaves
   * it unlisted, never listed without a definition.
   */
  private CompletionStage<Done> follow(String tenant, String campaignId, CampaignDetails details) {
    return ModelRegistry.refFor(system, tenant)
        .<StatusReply<ModelCatalogRevision>>ask(
            replyTo ->
                new ModelRegistry.WatchCampaign(
                    campaignId, details.campaign().watch(), details.version(), replyTo),
            settings.askTimeout())
        .thenCompose(
            confirmed -> {
              if (confirmed.isSuccess()) {
                catalogs.catalog(tenant).offer(confirmed.getValue());
              }
              return CampaignDirectory.refFor(system, tenant)
                  .<Done>ask(
                      replyTo ->
                          new CampaignDirectory.ListCampaign(
                              campaignId, details.campaign().trigger(), details.version(), replyTo),
                      settings.askTimeout());
            });
  }

  /**
   * After a PUT failed part way (its watch sent, its definition perhaps not stored, or stored and
   * not followed), brings the registry and the directory back to what is stored, in the background:
   * the watch of the stored version, or none when nothing is stored. The client, told to retry, may
   * do the rest.
   */
  private void reconcile(String tenant, String campaignId) {
    details(tenant, campaignId)
        .thenCompose(
            stored -> {
              if (stored.isSuccess()) {
                return follow(tenant, campaignId, stored.getValue());
              }
              return ModelRegistry.refFor(system, tenant)
                  .<StatusReply<ModelCatalogRevision>>ask(
                      replyTo ->
                          new ModelRegistry.WatchCampaign(campaignId, CampaignWatch.NONE, replyTo),
                      settings.askTimeout())
                  .thenApply(cleared -> Done.getInstance());
            })
        .whenComplete(
            (done, failure) -> {
              if (failure != null) {
                log.debug(
                    "Campaign {} of {} not reconciled after a failed PUT: {}",
                    campaignId,
                    tenant,
                    failure.toString());
              }
            });
  }

  private CompletionStage<StatusReply<CampaignDetails>> details(String tenant, String campaignId) {
    return CampaignEntity.refFor(system, tenant, campaignId)
        .ask(CampaignEntity.GetCampaign::new, settings.askTimeout());
  }

  private static CampaignDocument documentOf(CampaignDetails details) {
    return CampaignDocument.of(
        details.campaign(), details.version(), details.createdAt(), details.updatedAt());
  }

  private static Problem invalid(List<String> problems) {
    return Problem.of(400, "invalid-campaign", "Invalid campaign", String.join("; ", problems))
        .withErrors(problems);
  }

  private static Problem notFound(String campaignId) {
    return Problem.of(
        404, "campaign-not-found", "Campaign not found", "no campaign '" + campaignId + "'");
  }
}

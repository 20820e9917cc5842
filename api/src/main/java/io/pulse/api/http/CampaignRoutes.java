package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.CampaignDocument;
import io.pulse.api.json.CampaignStatsView;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.promotion.Campaign;
import io.pulse.engine.domain.promotion.CampaignDirectoryState;
import io.pulse.engine.domain.promotion.CampaignStats;
import io.pulse.engine.promotion.CampaignDirectory;
import io.pulse.engine.promotion.CampaignEntity;
import io.pulse.engine.promotion.CampaignEntity.CampaignDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.util.ByteString;

/**
 * {@code /v1/campaigns}: create or replace, read and list campaigns, and read their stats. A
 * campaign is checked against the scoring models this node knows: its trigger and tiers must name a
 * model and bands of it (or {@code inactive}).
 */
public final class CampaignRoutes {

  private final ActorSystem<?> system;
  private final String tenant;
  private final Supplier<ScoringModels> models;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final StrictJsonBody<CampaignDocument> campaignBody;

  public CampaignRoutes(
      ActorSystem<?> system,
      String tenant,
      Supplier<ScoringModels> models,
      JsonResponses responses,
      HttpSettings settings) {
    this.system = system;
    this.tenant = tenant;
    this.models = models;
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

  public Route route() {
    return pathPrefix(
        "campaigns",
        () ->
            concat(
                pathEnd(() -> get(() -> completeWithFuture(list()))),
                pathPrefix(
                    PathMatchers.segment(),
                    campaignId ->
                        concat(
                            pathEnd(
                                () ->
                                    concat(
                                        get(() -> completeWithFuture(read(campaignId))),
                                        put(
                                            () ->
                                                StrictJsonBody.completeWithBody(
                                                    settings, body -> define(campaignId, body))))),
                            path(
                                "stats",
                                () -> get(() -> completeWithFuture(stats(campaignId))))))));
  }

  private CompletionStage<HttpResponse> list() {
    return CampaignDirectory.refFor(system, tenant)
        .<CampaignDirectoryState>ask(CampaignDirectory.GetDirectory::new, settings.askTimeout())
        .thenCompose(
            directory -> {
              List<CompletableFuture<StatusReply<CampaignDetails>>> reads = new ArrayList<>();
              for (String campaignId : directory.ids()) {
                reads.add(details(campaignId).toCompletableFuture());
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

  private CompletionStage<HttpResponse> read(String campaignId) {
    if (!Campaign.isValidId(campaignId)) {
      return CompletableFuture.completedFuture(responses.problem(notFound(campaignId)));
    }
    return details(campaignId)
        .thenApply(
            reply ->
                reply.isSuccess()
                    ? responses.json(200, documentOf(reply.getValue()))
                    : responses.problem(notFound(campaignId)))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> stats(String campaignId) {
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

  private CompletionStage<HttpResponse> define(String campaignId, ByteString body) {
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
    CampaignDocument.Result result = document.toCampaign(campaignId);
    List<String> problems = new ArrayList<>(result.problems());
    if (result.campaign() != null) {
      problems.addAll(againstModels(result.campaign(), models.get()));
    }
    if (!problems.isEmpty()) {
      return CompletableFuture.completedFuture(responses.problem(invalid(problems)));
    }
    Campaign campaign = result.campaign();
    return CampaignEntity.refFor(system, tenant, campaignId)
        .<StatusReply<CampaignDetails>>ask(
            replyTo -> new CampaignEntity.Define(campaign, replyTo), settings.askTimeout())
        .thenCompose(
            reply -> {
              if (reply.isError()) {
                return CompletableFuture.completedFuture(
                    responses.problem(invalid(List.of(reply.getError().getMessage()))));
              }
              CampaignDetails details = reply.getValue();
              // Listed after it is stored: a failure here leaves it unlisted until the next PUT,
              // never listed without a definition.
              return CampaignDirectory.refFor(system, tenant)
                  .<Done>ask(
                      replyTo ->
                          new CampaignDirectory.ListCampaign(
                              campaignId, campaign.trigger(), replyTo),
                      settings.askTimeout())
                  .thenApply(
                      listed -> responses.json(details.created() ? 201 : 200, documentOf(details)));
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<StatusReply<CampaignDetails>> details(String campaignId) {
    return CampaignEntity.refFor(system, tenant, campaignId)
        .ask(CampaignEntity.GetCampaign::new, settings.askTimeout());
  }

  private static CampaignDocument documentOf(CampaignDetails details) {
    return CampaignDocument.of(
        details.campaign(), details.version(), details.createdAt(), details.updatedAt());
  }

  /** The trigger's model must exist, and every band it or a tier names must be one of its. */
  static List<String> againstModels(Campaign campaign, ScoringModels models) {
    String modelId = campaign.trigger().model();
    if (modelId == null || modelId.isBlank()) {
      return List.of();
    }
    Optional<ScoringModel> model = models.get(modelId);
    if (model.isEmpty()) {
      return List.of("trigger.model '" + modelId + "' is not a scoring model");
    }
    List<String> bands = new ArrayList<>(model.get().bands().stream().map(Band::name).toList());
    bands.add(SegmentTransition.INACTIVE);
    String known = "a band of model '" + modelId + "' (" + String.join(", ", bands) + ")";
    List<String> problems = new ArrayList<>();
    String direction = campaign.trigger().direction().wireName();
    for (String band : campaign.trigger().bands()) {
      if (!bands.contains(band)) {
        problems.add("trigger." + direction + " '" + band + "' is not " + known);
      }
    }
    for (String band : campaign.tiers().keySet()) {
      if (!bands.contains(band)) {
        problems.add("tiers." + band + " is not " + known);
      }
    }
    return problems;
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

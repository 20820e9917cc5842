package io.pulse.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ConditionOperator;
import io.pulse.engine.domain.Scale;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.ScoringRule;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.AudienceCondition;
import io.pulse.engine.domain.audience.EventMatch;
import io.pulse.engine.domain.watch.CampaignWatch;
import io.pulse.engine.domain.watch.DateWatch;
import io.pulse.engine.domain.watch.EventWatch;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

  private static ActorTestKit testKit;
  private static EventSourcedBehaviorTestKit<
          ModelRegistry.Command, ModelRegistry.Event, ModelRegistry.State>
      registry;

  @BeforeAll
  static void startSystem() {
    testKit =
        ActorTestKit.create(
            "ModelRegistryTest",
            EngineTestConfig.resolve(
                EngineTestConfig.engine().withFallback(EventSourcedBehaviorTestKit.config())));
    registry =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            ModelRegistry.create("acme"),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clearJournal() {
    registry.clear();
  }

  /** A valid model other than the default; {@code points} varies its definition. */
  private static ScoringModel loyalty(long version, double points) {
    return new ScoringModel(
        "loyalty",
        "Loyalty",
        version,
        List.of(
            ScoringRule.of("purchase", null, points),
            new ScoringRule(
                "page_view",
                Channel.WEB,
                1,
                List.of(new Condition("properties.path", ConditionOperator.EQ, "/rewards")),
                3)),
        14.0,
        Scale.DEFAULT,
        List.of(new Band("cold", 1, 5), new Band("warm", 5, 10)),
        20);
  }

  private static CommandResultWithReply<
          ModelRegistry.Command,
          ModelRegistry.Event,
          ModelRegistry.State,
          StatusReply<ModelRegistry.ModelPut>>
      put(ScoringModel model) {
    return registry.runCommand(replyTo -> new ModelRegistry.PutModel(model, replyTo));
  }

  private static CommandResultWithReply<
          ModelRegistry.Command,
          ModelRegistry.Event,
          ModelRegistry.State,
          ModelRegistry.ModelDeleted>
      delete(String modelId) {
    return registry.runCommand(replyTo -> new ModelRegistry.DeleteModel(modelId, replyTo));
  }

  @Test
  void aFreshRegistryHoldsTheDefaultModel() {
    var result = registry.<ModelCatalogRevision>runCommand(ModelRegistry.GetCatalog::new);

    assertTrue(result.hasNoEvents());
    assertEquals(
        new ModelCatalogRevision("acme", 0, ScoringModels.of(ScoringModel.defaultEngagement())),
        result.reply());
    ScoringModel engagement = result.reply().models().get("engagement").orElseThrow();
    assertEquals(1, engagement.version());
  }

  @Test
  void aNewModelIsStoredAsVersionOne() {
    var result = put(loyalty(0, 5));

    ScoringModel stored = loyalty(1, 5);
    assertEquals(
        StatusReply.success(new ModelRegistry.ModelPut(stored, true, true, 1)), result.reply());
    assertEquals(List.of(new ModelRegistry.ModelStored(stored)), result.events());
    assertEquals(
        ScoringModels.of(ScoringModel.defaultEngagement(), loyalty(1, 5)).byId(),
        result.state().models().byId());
    assertEquals(1, result.state().revision());
    // A new model re-scores every user's history.
    assertEquals(
        new RescoringProgress("loyalty", 1, false, 0, -1, false),
        result.state().rescorings().get("loyalty"));
  }

  @Test
  void aChangedDefinitionBecomesTheNextVersion() {
    put(loyalty(0, 5));

    // The version a client sends is ignored: the registry numbers versions itself.
    var result = put(loyalty(7, 8));

    ScoringModel stored = loyalty(2, 8);
    assertEquals(
        StatusReply.success(new ModelRegistry.ModelPut(stored, false, true, 2)), result.reply());
    assertEquals(List.of(new ModelRegistry.ModelStored(stored)), result.events());
    assertEquals(stored, result.state().models().get("loyalty").orElseThrow());
  }

  @Test
  void anIdenticalDefinitionIsUnchangedAndPersistsNothing() {
    put(loyalty(0, 5));

    var result = put(loyalty(3, 5));

    assertEquals(
        StatusReply.success(new ModelRegistry.ModelPut(loyalty(1, 5), false, false, 1)),
        result.reply());
    assertTrue(result.hasNoEvents(), () -> "persisted " + result.events());
    assertEquals(1, result.state().revision());
  }

  @Test
  void anInvalidModelIsRefusedWithItsProblems() {
    ScoringModel invalid =
        new ScoringModel("bad model", null, 0, List.of(), null, Scale.DEFAULT, List.of(), 50);

    var result = put(invalid);

    assertTrue(result.reply().isError());
    String message = result.reply().getError().getMessage();
    assertTrue(message.contains("id must be"), message);
    assertTrue(message.contains("rules must contain at least one rule"), message);
    assertTrue(message.contains("bands must contain at least one band"), message);
    assertTrue(result.hasNoEvents());
    assertEquals(0, result.state().revision());
  }

  @Test
  void deleteAnswersWhetherTheModelWasFound() {
    put(loyalty(0, 5));

    var found = delete("loyalty");
    var missing = delete("loyalty");

    assertEquals(new ModelRegistry.ModelDeleted("loyalty", true), found.reply());
    assertEquals(List.of(new ModelRegistry.ModelRemoved("loyalty")), found.events());
    assertEquals(
        ScoringModels.of(ScoringModel.defaultEngagement()).byId(), found.state().models().byId());
    // The deleted version is kept until every user's standing in it is removed.
    assertEquals(loyalty(1, 5), found.state().models().previous().get("loyalty"));
    assertTrue(found.state().rescorings().get("loyalty").forget());
    assertEquals(new ModelRegistry.ModelDeleted("loyalty", false), missing.reply());
    assertTrue(missing.hasNoEvents());
    assertEquals(2, missing.state().revision());
  }

  @Test
  void theDefaultModelCanBeReplacedAndDeleted() {
    ScoringModel engagement = ScoringModel.defaultEngagement();
    ScoringModel slower =
        new ScoringModel(
            engagement.id(),
            engagement.name(),
            1,
            engagement.rules(),
            60.0,
            engagement.scale(),
            engagement.bands(),
            engagement.saturationPoints());

    var replaced = put(slower);
    var deleted = delete("engagement");

    assertEquals(2, replaced.reply().getValue().model().version());
    assertEquals(new ModelRegistry.ModelDeleted("engagement", true), deleted.reply());
    assertEquals(Map.of(), deleted.state().models().byId());
    assertEquals(2, deleted.state().revision());
  }

  @Test
  void restartRecoversTheSameState() {
    put(loyalty(0, 5));
    put(loyalty(0, 6));
    delete("engagement");
    ModelRegistry.State before = registry.getState();

    ModelRegistry.State recovered = registry.restart().state();

    assertEquals(before, recovered);
    assertEquals(ScoringModels.of(loyalty(2, 6)).byId(), recovered.models().byId());
    assertEquals(3, recovered.revision());
    var catalog = registry.<ModelCatalogRevision>runCommand(ModelRegistry.GetCatalog::new);
    assertEquals(before.catalog("acme"), catalog.reply());
    assertEquals(ScoringModels.of(loyalty(2, 6)).byId(), catalog.reply().models().byId());
  }

  private static StatusReply<ModelCatalogRevision> watch(String campaign, CampaignWatch watch) {
    return registry
        .<StatusReply<ModelCatalogRevision>>runCommand(
            replyTo -> new ModelRegistry.WatchCampaign(campaign, watch, replyTo))
        .reply();
  }

  @Test
  void aCampaignNamingAnAudienceThatDoesNotExistIsRefusedAndNothingChanges() {
    StatusReply<ModelCatalogRevision> refused =
        watch(
            "carts",
            new CampaignWatch(
                Map.of("trigger.audience", "cart-abandoners", "eligibleAudience", "vip"),
                null,
                null));

    assertTrue(refused.isError());
    assertEquals(
        "eligibleAudience 'vip' is not an audience; trigger.audience 'cart-abandoners' is not an"
            + " audience",
        refused.getError().getMessage());
    assertEquals(0, registry.getState().revision());
    assertEquals(Map.of(), registry.getState().watches());
  }

  @Test
  void whatCampaignsWatchIsAnnouncedAndANewDateStartsAPassOverTheUsers() {
    DateWatch birthday = new DateWatch("birthday", "09:00", "timeZone");
    CampaignWatch birthdays = new CampaignWatch(Map.of(), null, birthday);
    CampaignWatch thirdPurchase =
        new CampaignWatch(
            Map.of(), new EventWatch(new EventMatch("purchase", List.of()), true), null);

    assertTrue(watch("birthdays", birthdays).isSuccess());
    assertEquals(
        Map.of("third", thirdPurchase, "birthdays", birthdays),
        watch("third", thirdPurchase).getValue().watches());
    assertTrue(watch("birthdays", birthdays).isSuccess());

    ModelRegistry.State state = registry.getState();
    assertEquals(2, state.revision(), "an unchanged watch changes nothing");
    assertEquals(Map.of("birthdays", birthdays, "third", thirdPurchase), state.watches());
    RescoringProgress pass = state.rescorings().get("watches:dates");
    assertEquals(1, pass.version(), "started by the revision that added the date");
    assertTrue(pass.dates() && !pass.finished());
    ModelCatalogRevision catalog =
        registry.<ModelCatalogRevision>runCommand(ModelRegistry.GetCatalog::new).reply();
    assertEquals(Map.of(birthday.key(), birthday), catalog.definitions().watches().dates());
    assertEquals(2, catalog.definitions().watches().revision());

    assertTrue(watch("birthdays", CampaignWatch.NONE).isSuccess());
    assertEquals(Map.of("third", thirdPurchase), registry.getState().watches());
    assertEquals(1, registry.getState().rescorings().get("watches:dates").version());
    registry.restart();
    assertEquals(Map.of("third", thirdPurchase), registry.getState().watches());
  }

  @Test
  void ofTwoDefinitionsOfACampaignStoredConcurrentlyTheWatchOfTheOneStoredLastStays() {
    CampaignWatch purchases = eventWatch("purchase");
    CampaignWatch complaints = eventWatch("support_contact");

    // Two PUTs: each sends its watch before its definition is stored, both arrive; the second
    // one's definition is stored first (version 1), the first one's last (version 2), and their
    // confirmations arrive in the order of their requests.
    watch("offer", purchases);
    watch("offer", complaints);
    assertEquals(Map.of("offer", purchases), watch("offer", purchases, 2).getValue().watches());
    assertEquals(Map.of("offer", purchases), watch("offer", complaints, 1).getValue().watches());
    assertEquals(Map.of("offer", purchases), registry.getState().watches());

    // The same, with the confirmations the other way round.
    watch("offer", purchases);
    watch("offer", complaints);
    watch("offer", complaints, 3);
    watch("offer", purchases, 4);
    assertEquals(Map.of("offer", purchases), registry.getState().watches());

    // A newer version with the watch already held is recorded all the same: the older one that
    // comes after it changes nothing.
    watch("offer", complaints);
    watch("offer", complaints, 6);
    watch("offer", purchases, 5);
    assertEquals(Map.of("offer", complaints), registry.getState().watches());
    registry.restart();
    assertEquals(Map.of("offer", complaints), registry.getState().watches());
    watch("offer", purchases, 5);
    assertEquals(Map.of("offer", complaints), registry.getState().watches());

    // The watch of a definition about to be stored is taken whatever was stored before.
    watch("offer", purchases);
    assertEquals(Map.of("offer", purchases), registry.getState().watches());
  }

  private static CampaignWatch eventWatch(String type) {
    return new CampaignWatch(
        Map.of(), new EventWatch(new EventMatch(type, List.of()), false), null);
  }

  private static StatusReply<ModelCatalogRevision> watch(
      String campaign, CampaignWatch watch, long campaignVersion) {
    StatusReply<ModelCatalogRevision> reply =
        registry
            .<StatusReply<ModelCatalogRevision>>runCommand(
                replyTo ->
                    new ModelRegistry.WatchCampaign(campaign, watch, campaignVersion, replyTo))
            .reply();
    assertTrue(reply.isSuccess(), () -> reply.getError().getMessage());
    return reply;
  }

  @Test
  void anAudienceThatACampaignNamesIsKept() {
    registry.<StatusReply<ModelRegistry.AudiencePut>>runCommand(
        replyTo ->
            new ModelRegistry.PutAudience(
                Audience.of(
                    "vip",
                    "VIP",
                    new AudienceCondition.TraitTest(
                        "plan", AudienceCondition.TraitOperator.EQ, "pro", null)),
                replyTo));
    assertTrue(
        watch("gold", new CampaignWatch(Map.of("eligibleAudience", "vip"), null, null))
            .isSuccess());

    StatusReply<Boolean> refused =
        registry
            .<StatusReply<Boolean>>runCommand(
                replyTo -> new ModelRegistry.DeleteAudience("vip", replyTo))
            .reply();

    assertTrue(refused.isError());
    assertEquals("audience 'vip' is used by campaign gold", refused.getError().getMessage());
    assertTrue(registry.getState().audiences().get("vip").isPresent());
  }
}

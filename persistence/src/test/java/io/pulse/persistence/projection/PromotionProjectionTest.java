package io.pulse.persistence.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.DateReached;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.Scale;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.ScoringRule;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.audience.EventMatch;
import io.pulse.engine.domain.profile.Traits;
import io.pulse.engine.domain.promotion.Budget;
import io.pulse.engine.domain.promotion.Campaign;
import io.pulse.engine.domain.promotion.CampaignStats;
import io.pulse.engine.domain.promotion.CodePattern;
import io.pulse.engine.domain.promotion.Offer;
import io.pulse.engine.domain.promotion.Trigger;
import io.pulse.engine.domain.promotion.Voucher;
import io.pulse.engine.domain.watch.CampaignWatch;
import io.pulse.engine.domain.watch.DateWatch;
import io.pulse.engine.domain.watch.EventWatch;
import io.pulse.engine.domain.watch.Watches;
import io.pulse.engine.promotion.CampaignDirectory;
import io.pulse.engine.promotion.CampaignEntity;
import io.pulse.engine.promotion.PromotionDelivery;
import io.pulse.engine.promotion.PromotionSettings;
import io.pulse.engine.promotion.VoucherCodeEntity;
import io.pulse.engine.user.JournalTags;
import io.pulse.engine.user.TenantModels;
import io.pulse.engine.user.UserEntity;
import io.pulse.engine.user.UserEntitySettings;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.TaggedEventFeed;
import io.pulse.persistence.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The promotion projection on the real journal and offset store: users pushed into a band by their
 * events get their vouchers, the offset is stored, and replaying the feed from offset 0 (by
 * clearing the stored offset, or by handing the same envelopes to the handler again) issues nothing
 * new.
 */
class PromotionProjectionTest {

  private static final String TENANT = "default";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ScoringModel MODEL =
      new ScoringModel(
          "promo",
          "Promotion test",
          1,
          List.of(ScoringRule.of("jump", null, 60), ScoringRule.of("purchase", null, 1)),
          null,
          Scale.DEFAULT,
          List.of(new Band("low", 1, 4), new Band("medium", 4, 7), new Band("high", 7, 10)),
          50);

  private static Config nodeConfig(TestDatabase database) {
    Config node =
        ConfigFactory.parseString(
                """
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.loglevel = WARNING
                pulse.read-journal.refresh-interval = 50ms
                """)
            .withFallback(ConfigFactory.parseResources("engine.conf"));
    return database.config(node);
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** One node: sharded users and promotion entities, and the projection. */
  private static final class Node {
    final ActorTestKit testKit;
    final ActorSystem<Void> system;
    final PromotionDelivery delivery;

    Node(TestDatabase database) {
      this(database, () -> Definitions.of(ScoringModels.of(MODEL)));
    }

    Node(TestDatabase database, Supplier<Definitions> definitions) {
      testKit = ActorTestKit.create("projection", nodeConfig(database));
      system = testKit.system();
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      PromotionSettings settings = PromotionSettings.fromConfig(system.settings().config());
      UserEntity.init(
          system,
          TenantModels.fixed(definitions),
          UserEntitySettings.fromConfig(system.settings().config()));
      CampaignEntity.init(system, Clock.systemUTC(), settings);
      VoucherCodeEntity.init(system, Clock.systemUTC());
      CampaignDirectory.init(system);
      delivery = new PromotionDelivery(system, settings);
      testKit
          .createTestProbe()
          .awaitAssert(
              WAIT,
              () -> {
                assertEquals(MemberStatus.up(), cluster.selfMember().status());
                return null;
              });
      PromotionProjection.init(system, database.settings(), delivery);
    }

    void define(Campaign campaign) {
      StatusReply<CampaignEntity.CampaignDetails> reply =
          await(
              CampaignEntity.refFor(system, TENANT, campaign.id())
                  .ask(replyTo -> new CampaignEntity.Define(campaign, replyTo), WAIT));
      assertTrue(reply.isSuccess(), reply::toString);
      await(
          CampaignDirectory.refFor(system, TENANT)
              .<Done>ask(
                  replyTo ->
                      new CampaignDirectory.ListCampaign(
                          campaign.id(), campaign.trigger(), 0, replyTo),
                  WAIT));
    }

    <T> T ask(String userId, java.util.function.Function<ActorRef<T>, UserEntity.Command> command) {
      return await(
          ClusterSharding.get(system)
              .entityRefFor(UserEntity.ENTITY_KEY, UserEntity.entityId(TENANT, userId))
              .ask(command::apply, WAIT));
    }

    void send(String userId, String eventId, String type, Map<String, Object> properties) {
      BehaviouralEvent event =
          new BehaviouralEvent(eventId, userId, type, Channel.WEB, Instant.now(), properties);
      String entityId = UserEntity.entityId(TENANT, userId);
      await(
          ClusterSharding.get(system)
              .entityRefFor(UserEntity.ENTITY_KEY, entityId)
              .<UserEntity.PartsRecorded>ask(
                  replyTo ->
                      new UserEntity.RecordParts(
                          entityId, List.of(new UserEntity.Part(1, List.of(event))), replyTo),
                  WAIT));
    }

    List<Voucher> vouchers(String campaignId, String userId) {
      return await(
              CampaignEntity.refFor(system, TENANT, campaignId)
                  .<CampaignEntity.UserVouchers>ask(
                      replyTo -> new CampaignEntity.GetVouchers(userId, replyTo), WAIT))
          .vouchers();
    }

    CampaignStats stats(String campaignId) {
      return await(
              CampaignEntity.refFor(system, TENANT, campaignId)
                  .<StatusReply<CampaignStats>>ask(CampaignEntity.GetStats::new, WAIT))
          .getValue();
    }

    void eventually(Runnable assertion) {
      testKit
          .createTestProbe()
          .awaitAssert(
              WAIT,
              Duration.ofMillis(100),
              () -> {
                assertion.run();
                return null;
              });
    }

    void stop() {
      testKit.shutdownTestKit();
    }
  }

  private static Campaign campaign(String id) {
    return campaign(id, Trigger.entered("promo", "high"));
  }

  private static Campaign campaign(String id, Trigger trigger) {
    return new Campaign(
        id,
        id,
        trigger,
        Offer.percent(10, null),
        Map.of(),
        CodePattern.DEFAULT,
        1,
        Budget.UNLIMITED,
        30,
        Instant.now().minusSeconds(60),
        null,
        0,
        0,
        true);
  }

  /** The same envelopes again, as the projection hands them over after a crash. */
  private static List<org.apache.pekko.projection.eventsourced.EventEnvelope<EngagementChange>>
      redelivered(List<EventEnvelope> feed) {
    return feed.stream()
        .map(
            envelope ->
                org.apache.pekko.projection.eventsourced.EventEnvelope.create(
                    envelope.offset(),
                    envelope.persistenceId(),
                    envelope.sequenceNr(),
                    (EngagementChange) envelope.event(),
                    envelope.timestamp()))
        .toList();
  }

  private static long storedOffset(TestDatabase database) throws SQLException {
    Properties properties = new Properties();
    if (!database.user().isEmpty()) {
      properties.setProperty("user", database.user());
    }
    if (!database.password().isEmpty()) {
      properties.setProperty("password", database.password());
    }
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), properties);
        PreparedStatement query =
            connection.prepareStatement(
                database.kind() == DatabaseKind.H2
                    ? "SELECT \"current_offset\" FROM \"pekko_projection_offset_store\""
                        + " WHERE \"projection_name\" = ?"
                    : "SELECT current_offset FROM pekko_projection_offset_store"
                        + " WHERE projection_name = ?")) {
      query.setString(1, PromotionProjection.ID.name());
      try (ResultSet result = query.executeQuery()) {
        return result.next() ? Long.parseLong(result.getString(1)) : 0;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void vouchersAreIssuedOnceFromTheJournalAndAReplayFromOffsetZeroIssuesNothingNew(
      DatabaseKind kind) throws Exception {
    try (TestDatabase database = TestDatabase.create(kind)) {
      Node node = new Node(database);
      try {
        node.define(campaign("loyalty"));
        node.send("ann", "a-1", "jump", Map.of());
        node.send("bob", "b-1", "jump", Map.of());
        node.send("ann", "a-2", "purchase", Map.of("amount", 80));

        node.eventually(
            () -> {
              assertEquals(1, node.vouchers("loyalty", "ann").size());
              assertEquals(1, node.vouchers("loyalty", "bob").size());
              assertEquals(1, node.stats("loyalty").treatment().conversions());
            });
        List<EventEnvelope> feed =
            await(new TaggedEventFeed(node.system).page(JournalTags.PROMOTION, 0, 100));
        assertEquals(3, feed.size(), "two transitions and a purchase");
        long last = TaggedEventFeed.offsetOf(feed.get(feed.size() - 1));
        node.eventually(
            () -> {
              try {
                assertEquals(last, storedOffset(database));
              } catch (SQLException e) {
                throw new AssertionError(e);
              }
            });
        String annsCode = node.vouchers("loyalty", "ann").get(0).code();

        // A campaign defined now, but starting in the past, proves that the replay below
        // really reads the feed from the top: it is the only one that can still issue to ann.
        node.define(campaign("backdated"));
        assertEquals(0, node.vouchers("backdated", "ann").size());

        // Replay from 0 by clearing the stored offset: the projection starts again from the top.
        await(ProjectionManagement.get(node.system).clearOffset(PromotionProjection.ID));
        node.send("cat", "c-1", "jump", Map.of());
        node.eventually(
            () -> {
              assertEquals(1, node.vouchers("loyalty", "cat").size());
              assertEquals(1, node.vouchers("backdated", "ann").size());
            });

        // And the same envelopes handed to the handler again, as a redelivery would.
        await(new PromotionHandler(node.delivery).process(redelivered(feed)));

        // The management table: a paused projection says so, on either database.
        ProjectionManagement management = ProjectionManagement.get(node.system);
        await(management.pause(PromotionProjection.ID));
        assertTrue(await(management.isPaused(PromotionProjection.ID)));
        await(management.resume(PromotionProjection.ID));
        assertEquals(false, await(management.isPaused(PromotionProjection.ID)));

        CampaignStats stats = node.stats("loyalty");
        assertEquals(3, stats.issued());
        assertEquals(1, stats.treatment().conversions());
        assertEquals(
            List.of(annsCode),
            node.vouchers("loyalty", "ann").stream().map(Voucher::code).toList());
        assertEquals(1, node.vouchers("loyalty", "bob").size());
        assertTrue(feed.get(0).event() instanceof SegmentTransition);
      } finally {
        node.stop();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void watchedEventsAndDatesReachedIssueOnceAndHandingThemOverAgainIssuesNothingNew(
      DatabaseKind kind) throws Exception {
    EventMatch purchase = new EventMatch("purchase", List.of());
    AtomicReference<Definitions> watching =
        new AtomicReference<>(Definitions.of(ScoringModels.of(MODEL)));
    try (TestDatabase database = TestDatabase.create(kind)) {
      Node node = new Node(database, watching::get);
      try {
        CampaignWatch secondPurchase =
            new CampaignWatch(Map.of(), new EventWatch(purchase, true), null);
        watching.set(
            new Definitions(
                ScoringModels.of(MODEL), Audiences.NONE, Watches.of(1, List.of(secondPurchase))));
        node.define(campaign("second", Trigger.occurrence(purchase, 2)));
        node.send("dee", "d-1", "purchase", Map.of("amount", 10));
        node.send("dee", "d-2", "purchase", Map.of("amount", 20));
        node.send("dee", "d-3", "purchase", Map.of("amount", 30));
        // A birthday a few seconds from now, in UTC.
        ZonedDateTime moment =
            Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
        DateWatch birthday = new DateWatch("birthday", moment.toLocalTime().toString(), null);
        watching.set(
            new Definitions(
                ScoringModels.of(MODEL),
                Audiences.NONE,
                Watches.of(
                    2, List.of(secondPurchase, new CampaignWatch(Map.of(), null, birthday)))));
        node.define(campaign("birthday", Trigger.date(birthday)));
        StatusReply<Traits> patched =
            node.ask(
                "eli",
                replyTo ->
                    new UserEntity.PatchTraits(
                        Map.of("birthday", moment.toLocalDate().toString()), replyTo));
        assertTrue(patched.isSuccess(), patched::toString);
        // What the wake-up scheduler does at the moment, done here by hand.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), moment.toInstant()).toMillis()));
        StatusReply<Done> woken =
            node.ask("eli", replyTo -> new UserEntity.WakeUp(moment.toInstant(), replyTo));
        assertTrue(woken.isSuccess());

        node.eventually(
            () -> {
              assertEquals(1, node.vouchers("second", "dee").size());
              assertEquals(1, node.vouchers("birthday", "eli").size());
            });
        List<EventEnvelope> feed =
            await(new TaggedEventFeed(node.system).page(JournalTags.PROMOTION, 0, 100));
        List<EngagementChange> changes =
            feed.stream().map(envelope -> (EngagementChange) envelope.event()).toList();
        assertEquals(
            List.of(moment.toInstant()),
            changes.stream()
                .filter(DateReached.class::isInstance)
                .map(change -> ((DateReached) change).at())
                .toList());
        assertEquals(
            List.of(1L, 2L, 3L),
            changes.stream()
                .filter(ScoredEvent.class::isInstance)
                .map(change -> ((ScoredEvent) change).watchHits().get(0).occurrence())
                .toList(),
            "every purchase is in the feed, numbered");

        await(new PromotionHandler(node.delivery).process(redelivered(feed)));

        assertEquals(1, node.stats("second").issued());
        assertEquals(1, node.stats("birthday").issued());
        assertEquals(1, node.vouchers("birthday", "eli").size());
      } finally {
        node.stop();
      }
    }
  }
}

package io.pulse.engine.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ConditionOperator;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.audience.EventMatch;
import io.pulse.engine.domain.promotion.Budget;
import io.pulse.engine.domain.promotion.Campaign;
import io.pulse.engine.domain.promotion.CampaignDefined;
import io.pulse.engine.domain.promotion.CampaignDirectoryState;
import io.pulse.engine.domain.promotion.CampaignListed;
import io.pulse.engine.domain.promotion.CampaignState;
import io.pulse.engine.domain.promotion.CampaignStats;
import io.pulse.engine.domain.promotion.CodeClaimed;
import io.pulse.engine.domain.promotion.CodePattern;
import io.pulse.engine.domain.promotion.ConversionRecorded;
import io.pulse.engine.domain.promotion.Occasion;
import io.pulse.engine.domain.promotion.OccasionConsidered;
import io.pulse.engine.domain.promotion.Offer;
import io.pulse.engine.domain.promotion.Outcome;
import io.pulse.engine.domain.promotion.Redemption;
import io.pulse.engine.domain.promotion.TransitionConsidered;
import io.pulse.engine.domain.promotion.Trigger;
import io.pulse.engine.domain.promotion.TriggerDirection;
import io.pulse.engine.domain.promotion.Voucher;
import io.pulse.engine.domain.promotion.VoucherCodeConfirmed;
import io.pulse.engine.domain.promotion.VoucherCodeReplaced;
import io.pulse.engine.domain.promotion.VoucherCodeState;
import io.pulse.engine.domain.promotion.VoucherRedeemed;
import io.pulse.engine.domain.watch.DateWatch;
import io.pulse.engine.promotion.CampaignEntity.CampaignDetails;
import io.pulse.engine.promotion.CampaignEntity.Decision;
import io.pulse.engine.serialization.JournalSerializer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every promotion message, event and state survives serialization with the configured bindings. */
class PromotionSerializationTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456789Z");

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void startSystem() {
    testKit =
        ActorTestKit.create(
            "PromotionSerializationTest", EngineTestConfig.resolve(EngineTestConfig.engine()));
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private static void verify(Object message) {
    testKit.serializationTestKit().verifySerialization(message, true);
  }

  private static <T> org.apache.pekko.actor.typed.ActorRef<T> probe() {
    return testKit.<T>createTestProbe().getRef();
  }

  static Campaign campaign() {
    return new Campaign(
        "spring",
        "Spring sale",
        Trigger.exited("engagement", "low", "inactive"),
        Offer.percent(15, 30.0),
        Map.of("high", Offer.fixedAmount(20), "medium", Offer.freeShipping(4.95)),
        new CodePattern("SPRING-######"),
        2,
        new Budget(500, 5000.0),
        14,
        T0,
        T0.plusSeconds(86_400 * 30),
        25,
        10,
        true);
  }

  /** The campaign on another trigger, redeemable by members of {@code eligibleAudience}. */
  static Campaign campaign(Trigger trigger, String eligibleAudience) {
    Campaign spring = campaign();
    return new Campaign(
        spring.id(),
        spring.name(),
        trigger,
        spring.offer(),
        Map.of(),
        spring.codePattern(),
        spring.perUserLimit(),
        spring.budget(),
        spring.validityDays(),
        spring.startsAt(),
        spring.endsAt(),
        spring.minimumOrderAmount(),
        spring.controlGroupPercent(),
        spring.active(),
        eligibleAudience);
  }

  /** One trigger of each kind that is not a band. */
  static List<Trigger> otherTriggers() {
    EventMatch bigPurchase =
        new EventMatch(
            "purchase",
            List.of(
                new Condition("properties.amount", ConditionOperator.GTE, 50),
                new Condition("properties.tags", ConditionOperator.IN, List.of("a", 2, true))));
    return List.of(
        Trigger.audience("cart-abandoners", TriggerDirection.ENTERED),
        Trigger.audience("cart-abandoners", TriggerDirection.EXITED),
        Trigger.event(new EventMatch("support_contact", List.of())),
        Trigger.occurrence(bigPurchase, 3),
        Trigger.date(new DateWatch("birthday", "09:00:30", "timeZone")),
        Trigger.date(new DateWatch("birthday", null, null)));
  }

  static Occasion occasion() {
    return new Occasion(otherTriggers().get(2).key(), "crm|42:event:e-7", "crm|42", T0);
  }

  static SegmentTransition transition() {
    return new SegmentTransition(
        "crm|42:engagement:3",
        "crm|42",
        "engagement",
        "low",
        "high",
        7.4,
        T0,
        TransitionCause.EVENT);
  }

  static Voucher voucher(Redemption redemption) {
    return new Voucher(
        "SPRING-ABC234",
        "spring",
        "crm|42",
        "crm|42:engagement:3",
        "high",
        Offer.fixedAmount(20),
        25,
        T0,
        T0.plusSeconds(86_400 * 14),
        true,
        redemption);
  }

  static CampaignState state() {
    Random random = new Random(1);
    CampaignState state = CampaignState.empty().apply(new CampaignDefined(campaign(), T0));
    for (int i = 0; i < 40; i++) {
      SegmentTransition entered =
          new SegmentTransition(
              "u" + i + ":engagement:2",
              "u" + i,
              "engagement",
              "low",
              "medium",
              5,
              T0,
              TransitionCause.EVENT);
      TransitionConsidered considered = state.decide(entered, i, T0, random);
      state = state.apply(considered);
      if (considered.voucher() != null) {
        state = state.apply(state.confirm(considered.voucher().code()).orElseThrow());
      }
    }
    for (int i = 0; i < 5; i++) {
      Occasion occasion =
          new Occasion("event:abc", "o" + i + ":event:e-" + i, "o" + i, T0.plusSeconds(i));
      OccasionConsidered considered = state.decide(occasion, 100 + i, T0, random);
      state = state.apply(considered);
      if (considered.voucher() != null) {
        state = state.apply(state.confirm(considered.voucher().code()).orElseThrow());
      }
    }
    Voucher any = state.vouchers().values().iterator().next();
    state = state.apply(state.redeem(any.code(), any.userId(), 80, T0).redeemed());
    return state.apply(new ConversionRecorded(any.userId(), "p-1", 99, T0));
  }

  static List<Object> journaled() {
    return List.of(
        new CampaignDefined(campaign(), T0),
        new TransitionConsidered(transition(), 17, Outcome.ISSUED, voucher(null), T0),
        new TransitionConsidered(transition(), 18, Outcome.BUDGET_EXHAUSTED, null, T0),
        new OccasionConsidered(occasion(), 19, Outcome.ISSUED, voucher(null), T0),
        new OccasionConsidered(occasion(), 20, Outcome.USER_LIMIT, null, T0),
        new CampaignDefined(campaign(otherTriggers().get(0), "vip"), T0),
        new CampaignDefined(campaign(otherTriggers().get(3), null), T0),
        new CampaignDefined(campaign(otherTriggers().get(4), null), T0),
        new CampaignListed("birthdays", otherTriggers().get(5), 0),
        new VoucherCodeConfirmed("SPRING-ABC234"),
        new VoucherCodeReplaced("SPRING-ABC234", "SPRING-XYZ789"),
        new VoucherRedeemed("SPRING-ABC234", new Redemption(T0, 120.5, 20)),
        new ConversionRecorded("crm|42", "p-9", 31, T0),
        state(),
        CampaignState.empty(),
        new CodeClaimed("SPRING-ABC234", "spring", "42", "42:engagement:3", T0, "crm"),
        VoucherCodeState.FREE,
        VoucherCodeState.FREE.apply(
            new CodeClaimed("SPRING-ABC234", "spring", "42", "42:engagement:3", T0, "crm")),
        new CampaignListed("spring", campaign().trigger(), 0),
        CampaignDirectoryState.EMPTY.apply(new CampaignListed("spring", campaign().trigger(), 0)),
        new CampaignListed("spring", campaign().trigger(), 4),
        CampaignDirectoryState.EMPTY.apply(new CampaignListed("spring", campaign().trigger(), 4)));
  }

  @Test
  void campaignProtocol() {
    verify(new CampaignEntity.Define(campaign(), probe()));
    verify(new CampaignEntity.GetCampaign(probe()));
    verify(new CampaignEntity.Consider(transition(), 17, probe()));
    verify(new CampaignEntity.ConfirmCode("SPRING-ABC234", probe()));
    verify(new CampaignEntity.ReplaceCode("SPRING-ABC234", probe()));
    verify(new CampaignEntity.RecordPurchase("crm|42", "p-1", 19, T0, probe()));
    verify(new CampaignEntity.Redeem("SPRING-ABC234", "crm|42", 99.5, probe()));
    verify(new CampaignEntity.Redeem("SPRING-ABC234", "crm|42", 99.5, List.of("vip"), probe()));
    verify(new CampaignEntity.ConsiderOccasion(occasion(), 19, probe()));
    for (Trigger trigger : otherTriggers()) {
      verify(new CampaignEntity.Define(campaign(trigger, "vip"), probe()));
    }
    verify(new CampaignEntity.GetStats(probe()));
    verify(new CampaignEntity.GetVouchers("crm|42", probe()));
    verify(new CampaignDetails(campaign(), 3, T0, T0, true));
    verify(new Decision("crm|42:engagement:3", "crm|42", Outcome.ISSUED, "SPRING-ABC234", false));
    verify(new Decision("crm|42:engagement:3", "crm|42", null, null, false));
    verify(new CampaignEntity.UserVouchers(List.of(voucher(new Redemption(T0, 50, 20)))));
    verify(voucher(null));
    CampaignStats stats = state().stats();
    verify(stats);
    verify(StatusReply.success(stats));
    verify(StatusReply.success(voucher(null)));
    verify(StatusReply.<Voucher>error("already-redeemed"));
    verify(Done.getInstance());
  }

  @Test
  void voucherCodeAndDirectoryProtocols() {
    verify(new VoucherCodeEntity.Claim("crm", "spring", "42", "42:engagement:3", probe()));
    verify(new VoucherCodeEntity.Lookup(probe()));
    verify(new VoucherCodeEntity.ClaimVerdict(true));
    verify(
        new VoucherCodeEntity.CodeOwner(
            new CodeClaimed("SPRING-ABC234", "spring", "42", "42:engagement:3", T0, "crm")));
    verify(new VoucherCodeEntity.CodeOwner(null));
    verify(new CampaignDirectory.ListCampaign("spring", campaign().trigger(), 0, probe()));
    verify(new CampaignDirectory.GetDirectory(probe()));
  }

  @Test
  void journaledEventsAndStatesUseTheJournalSerializerUnderStableNames() throws Exception {
    Map<Class<?>, String> names =
        Map.ofEntries(
            Map.entry(CampaignDefined.class, "campaign-defined"),
            Map.entry(TransitionConsidered.class, "campaign-transition-considered"),
            Map.entry(OccasionConsidered.class, "campaign-occasion-considered"),
            Map.entry(VoucherCodeConfirmed.class, "campaign-voucher-code-confirmed"),
            Map.entry(VoucherCodeReplaced.class, "campaign-voucher-code-replaced"),
            Map.entry(VoucherRedeemed.class, "campaign-voucher-redeemed"),
            Map.entry(ConversionRecorded.class, "campaign-conversion-recorded"),
            Map.entry(CampaignState.class, "campaign-state"),
            Map.entry(CodeClaimed.class, "voucher-code-claimed"),
            Map.entry(VoucherCodeState.class, "voucher-code-state"),
            Map.entry(CampaignListed.class, "campaign-listed"),
            Map.entry(CampaignDirectoryState.class, "campaign-directory-state"));
    for (Object value : journaled()) {
      Serializer serializer = serialization.findSerializerFor(value);
      JournalSerializer journal = assertInstanceOf(JournalSerializer.class, serializer);
      String manifest = Serializers.manifestFor(serializer, value);
      assertEquals(names.get(value.getClass()), manifest, value.getClass().getName());
      byte[] bytes = serialization.serialize(value).get();
      // What the journal stores is found again by serializer id and manifest alone.
      assertEquals(value, serialization.deserialize(bytes, journal.identifier(), manifest).get());
    }
  }

  @Test
  void listingsAndDirectoriesJournaledBeforeVersionsWereKeptReadAsVersionZero() throws Exception {
    CampaignListed listed = new CampaignListed("spring", campaign().trigger(), 4);
    assertEquals(
        new CampaignListed("spring", campaign().trigger(), 0),
        readWithout(listed, "campaign-listed", "campaignVersion"));
    CampaignDirectoryState directory = CampaignDirectoryState.EMPTY.apply(listed);
    assertEquals(
        new CampaignDirectoryState(directory.campaigns(), Map.of()),
        readWithout(directory, "campaign-directory-state", "versions"));
  }

  /** {@code value} as an earlier release journaled it: without the field {@code added}. */
  private static Object readWithout(Object value, String manifest, String added) throws Exception {
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    JournalSerializer journal =
        assertInstanceOf(JournalSerializer.class, serialization.findSerializerFor(value));
    ObjectNode written = (ObjectNode) cbor.readTree(journal.toBinary(value));
    assertTrue(written.has(added), "the field is written now");
    written.remove(added);
    return journal.fromBinary(cbor.writeValueAsBytes(written), manifest);
  }
}

package io.pulse.engine.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.ConfigFactory;
import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.ModelAward;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TraitsChanged;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.WakeUpScheduled;
import io.pulse.engine.domain.audience.AudienceHit;
import io.pulse.engine.domain.watch.WatchHit;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JournalCborTest {

  private static ActorTestKit testKit;
  private static JournalSerializer journal;

  @BeforeAll
  static void startSystem() throws Exception {
    testKit =
        ActorTestKit.create("JournalCborTest", EngineTestConfig.resolve(EngineTestConfig.engine()));
    journal = journalOf(testKit);
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");

  private static final int[] INT_EDGES = {
    0,
    1,
    23,
    24,
    255,
    256,
    65_535,
    65_536,
    Integer.MAX_VALUE,
    -1,
    -24,
    -25,
    -256,
    -257,
    -65_536,
    -65_537,
    Integer.MIN_VALUE
  };

  private static final long[] LONG_EDGES = {
    0xFFFF_FFFFL,
    0x1_0000_0000L,
    -0x1_0000_0000L,
    -0x1_0000_0001L,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    12_000_000_000L,
    (long) Integer.MAX_VALUE + 1
  };

  private static final String[] TEXTS = {
    "",
    "a",
    "page_view",
    "exactly twenty-three ch",
    "exactly twenty-four char",
    "é",
    "Ærøskøbing, Zürich",
    "中文测试",
    "emoji \uD83D\uDE00 and \uD83C\uDDEE\uD83C\uDDEA",
    "\u007F\u0080\u07FF\u0800\uFFFF",
    "x".repeat(255),
    "x".repeat(256),
    "é".repeat(128),
    "y".repeat(JournalCbor.MAX_TEXT_CHARS - 20),
  };

  private static Instant instant(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> T0;
      case 1 -> T0.plusMillis(random.nextInt(1_000_000));
      case 2 -> T0.plusNanos(random.nextInt(1_000_000) * 1_000L);
      case 3 -> T0.plusNanos(random.nextLong(1_000_000_000_000L));
      case 4 -> Instant.parse("+10000-01-01T00:00:00Z").plusSeconds(random.nextInt(1000));
      default -> Instant.EPOCH.minusSeconds(random.nextInt(1_000_000));
    };
  }

  private static String text(Random random) {
    if (random.nextInt(3) == 0) {
      return TEXTS[random.nextInt(TEXTS.length)];
    }
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(40);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 7) {
        text.append((char) (' ' + random.nextInt(95)));
      } else if (kind < 9) {
        text.append((char) (0xA0 + random.nextInt(0xD7FF - 0xA0)));
      } else {
        text.appendCodePoint(0x1_0000 + random.nextInt(0xF_0000));
      }
    }
    return text.toString();
  }

  private static Object value(Random random, int depth) {
    int kind = random.nextInt(depth < 3 ? 10 : 8);
    return switch (kind) {
      case 0 -> text(random);
      case 1 -> INT_EDGES[random.nextInt(INT_EDGES.length)];
      case 2 -> random.nextInt();
      case 3 -> LONG_EDGES[random.nextInt(LONG_EDGES.length)];
      case 4 ->
          switch (random.nextInt(4)) {
            case 0 -> -0.0;
            case 1 -> Double.MIN_VALUE;
            case 2 -> 1e300 * random.nextDouble();
            default -> random.nextDouble() * 1000 - 500;
          };
      case 5 -> random.nextBoolean();
      case 6, 7 -> random.nextInt(4) == 0 ? null : text(random);
      case 8 -> map(random, depth + 1);
      default -> {
        List<Object> list = new ArrayList<>();
        int size = random.nextInt(5) == 0 ? 24 + random.nextInt(10) : random.nextInt(4);
        for (int i = 0; i < size; i++) {
          list.add(value(random, depth + 1));
        }
        yield list;
      }
    };
  }

  private static Map<String, Object> map(Random random, int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    int size = random.nextInt(6);
    for (int i = 0; i < size; i++) {
      map.put(text(random), value(random, depth));
    }
    return map;
  }

  private static ScoredEvent event(Random random) {
    BehaviouralEvent event =
        new BehaviouralEvent(
            text(random) + "-" + random.nextInt(),
            "user-" + text(random),
            random.nextBoolean() ? "page_view" : text(random) + "x",
            Channel.values()[random.nextInt(Channel.values().length)],
            instant(random),
            random.nextInt(5) == 0 ? null : map(random, 0),
            random.nextInt(3) == 0 ? map(random, 0) : null);
    List<ModelAward> awards = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      List<Integer> rules = new ArrayList<>();
      for (int r = random.nextInt(30); r > 0; r--) {
        rules.add(INT_EDGES[random.nextInt(INT_EDGES.length)]);
      }
      awards.add(
          new ModelAward(
              text(random),
              random.nextInt(3) == 0 ? LONG_EDGES[random.nextInt(LONG_EDGES.length)] : i,
              random.nextDouble() * 10,
              rules,
              random.nextInt(4) == 0 ? null : "2026-12-0" + (1 + random.nextInt(9)),
              random.nextDouble() * 100,
              random.nextInt(4) == 0 ? null : instant(random)));
    }
    List<AudienceHit> hits = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      hits.add(
          new AudienceHit(
              text(random),
              random.nextLong(),
              INT_EDGES[random.nextInt(INT_EDGES.length)],
              AudienceHit.Kind.values()[random.nextInt(AudienceHit.Kind.values().length)],
              INT_EDGES[random.nextInt(INT_EDGES.length)]));
    }
    List<WatchHit> watchHits = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      watchHits.add(new WatchHit(text(random), LONG_EDGES[random.nextInt(LONG_EDGES.length)]));
    }
    return new ScoredEvent(
        event,
        awards,
        random.nextBoolean(),
        random.nextInt(3) == 0 ? LONG_EDGES[random.nextInt(LONG_EDGES.length)] : i(random),
        random.nextBoolean() ? null : instant(random),
        hits,
        random.nextInt(4) == 0 ? null : instant(random),
        watchHits);
  }

  private static String maybeText(Random random) {
    return random.nextInt(4) == 0 ? null : text(random);
  }

  private static TransitionCause cause(Random random) {
    return TransitionCause.values()[random.nextInt(TransitionCause.values().length)];
  }

  /** A text of printable ASCII, as most ids, names and segments are. */
  private static String asciiText(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(10) == 0 ? 24 + random.nextInt(300) : random.nextInt(24);
    for (int i = 0; i < length; i++) {
      text.append((char) (' ' + random.nextInt(95)));
    }
    return text.toString();
  }

  /** An instant that the journal writes in its plain UTC form. */
  private static Instant plainInstant(Random random) {
    return T0.plusNanos(
        random.nextLong(1_000_000_000_000_000L / 1_000) * (random.nextInt(4) == 0 ? 1 : 1_000));
  }

  /** A transition or a wake-up in ASCII and plain instants: the rows the reader reads. */
  private static Object asciiChange(Random random) {
    return switch (random.nextInt(3)) {
      case 0 ->
          new SegmentTransition(
              asciiText(random),
              asciiText(random),
              asciiText(random),
              random.nextBoolean() ? null : asciiText(random),
              random.nextBoolean() ? null : asciiText(random),
              random.nextInt(5) == 0 ? -0.0 : random.nextDouble() * 10,
              plainInstant(random),
              cause(random),
              random.nextInt(3) == 0 ? LONG_EDGES[random.nextInt(LONG_EDGES.length)] : i(random));
      case 1 ->
          new AudienceTransition(
              asciiText(random),
              asciiText(random),
              asciiText(random),
              random.nextBoolean() ? null : AudienceTransition.MEMBER,
              random.nextBoolean() ? null : asciiText(random),
              plainInstant(random),
              cause(random),
              random.nextInt(3) == 0 ? LONG_EDGES[random.nextInt(LONG_EDGES.length)] : i(random));
      default -> new WakeUpScheduled(asciiText(random), plainInstant(random));
    };
  }

  /** A segment or audience transition, or a wake-up, of every shape the journal may hold. */
  private static Object change(Random random) {
    return switch (random.nextInt(3)) {
      case 0 ->
          new SegmentTransition(
              text(random),
              text(random),
              text(random),
              maybeText(random),
              maybeText(random),
              random.nextInt(5) == 0 ? -0.0 : random.nextDouble() * 10,
              instant(random),
              cause(random),
              random.nextInt(3) == 0 ? LONG_EDGES[random.nextInt(LONG_EDGES.length)] : i(random));
      case 1 ->
          new AudienceTransition(
              text(random),
              text(random),
              text(random),
              random.nextBoolean() ? null : AudienceTransition.MEMBER,
              maybeText(random),
              instant(random),
              cause(random),
              random.nextInt(3) == 0 ? LONG_EDGES[random.nextInt(LONG_EDGES.length)] : i(random));
      default -> new WakeUpScheduled(text(random), instant(random));
    };
  }

  private static long i(Random random) {
    return random.nextInt(100);
  }

  /** {@code row} written here as Jackson writes it, and read back as it was. */
  private static void assertWrittenAsJackson(Object row) throws Exception {
    // when
    byte[] written = JournalCbor.write(row);

    // then: the generated texts are all in the written range, so Jackson is never needed
    assertNotNull(written, "refused " + row);
    assertArrayEquals(journal.writeWithJackson(row), written, "differs from Jackson: " + row);
    assertEquals(row, journal.fromBinary(written, journal.manifest(row)));
  }

  @Test
  void writesTheVeryBytesJacksonWritesForEveryKindOfEvent() throws Exception {
    Random random = new Random(42);
    for (int n = 0; n < 5_000; n++) {
      assertWrittenAsJackson(event(random));
    }
  }

  @Test
  void writesTheVeryBytesJacksonWritesForEveryTransitionAndWakeUp() throws Exception {
    Random random = new Random(43);
    for (int n = 0; n < 5_000; n++) {
      assertWrittenAsJackson(change(random));
    }
  }

  @Test
  void readsWhatJacksonReadsFromEveryTransitionAndWakeUpItWasWrittenAs() throws Exception {
    Random random = new Random(44);
    int readHere = 0;
    for (int n = 0; n < 5_000; n++) {
      // given a row as the journal holds it, every other one in ASCII and plain instants
      Object change = n % 2 == 0 ? asciiChange(random) : change(random);
      String manifest = journal.manifest(change);
      byte[] bytes = journal.toBinary(change);

      // when it is read here
      Object read = JournalCborReader.read(bytes, manifest);

      // then it is what Jackson reads, or left to Jackson (texts beyond ASCII, instants that are
      // not plain), and the journal reads what Jackson reads either way
      Object jackson = journal.readWithJackson(bytes, manifest);
      assertEquals(change, jackson);
      if (n % 2 == 0) {
        assertNotNull(read, "not read: " + change);
      }
      if (read != null) {
        assertEquals(jackson, read);
        readHere++;
      }
      assertEquals(jackson, journal.fromBinary(bytes, manifest));
    }
    assertTrue(readHere >= 2_500, "read here: " + readHere);
  }

  @Test
  void aRowInAnyOtherFormThanTheWrittenOneIsLeftToJackson() throws Exception {
    // given rows as the reader expects them, and as other releases or writers may hold them
    ObjectMapper plain = new ObjectMapper(new CBORFactory());
    Map<String, Object> written = new LinkedHashMap<>();
    written.put("id", "u-1:engagement:1");
    written.put("userId", "u-1");
    written.put("model", "engagement");
    written.put("from", null);
    written.put("to", "low");
    written.put("score", 1.5);
    written.put("at", "2026-12-07T03:00:00Z");
    written.put("cause", "EVENT");
    written.put("modelVersion", 2);
    Map<String, Object> withoutVersion = new LinkedHashMap<>(written);
    withoutVersion.remove("modelVersion");
    Map<String, Object> withMore = new LinkedHashMap<>(written);
    withMore.put("note", "from a later release");
    Map<String, Object> reordered = new LinkedHashMap<>();
    reordered.put("userId", "u-1");
    reordered.putAll(written);
    Map<String, Object> scoreAsInteger = new LinkedHashMap<>(written);
    scoreAsInteger.put("score", 2);
    Map<String, Object> offsetInstant = new LinkedHashMap<>(written);
    offsetInstant.put("at", "2026-12-07T04:00:00+01:00");
    Map<String, Object> beyondAscii = new LinkedHashMap<>(written);
    beyondAscii.put("userId", "ü-1");

    // then the written form is read here, and every other one by Jackson, with the same result
    byte[] bytes = plain.writeValueAsBytes(written);
    assertEquals(
        journal.readWithJackson(bytes, JournalSerializer.SEGMENT_TRANSITION),
        JournalCborReader.read(bytes, JournalSerializer.SEGMENT_TRANSITION));
    for (Map<String, Object> other :
        List.of(withoutVersion, withMore, reordered, scoreAsInteger, offsetInstant, beyondAscii)) {
      byte[] otherBytes = plain.writeValueAsBytes(other);
      assertNull(
          JournalCborReader.read(otherBytes, JournalSerializer.SEGMENT_TRANSITION), "" + other);
      assertEquals(
          journal.readWithJackson(otherBytes, JournalSerializer.SEGMENT_TRANSITION),
          journal.fromBinary(otherBytes, JournalSerializer.SEGMENT_TRANSITION));
    }
    // and a row cut short, or followed by more, is not read here either
    assertNull(
        JournalCborReader.read(
            Arrays.copyOf(bytes, bytes.length - 1), JournalSerializer.SEGMENT_TRANSITION));
    assertNull(
        JournalCborReader.read(
            Arrays.copyOf(bytes, bytes.length + 1), JournalSerializer.SEGMENT_TRANSITION));
    assertNull(JournalCborReader.read(bytes, JournalSerializer.EVENT_RECORDED));
    assertTrue(journal.readsWithoutJackson());
  }

  @Test
  void headsBeyondWhatTheWriterWritesAreLeftToJackson() throws Exception {
    // given the written form of a wake-up: a map, "userId", the id, "dueAt", the instant, the end
    byte[] written = JournalCbor.write(new WakeUpScheduled("abc", T0));
    int idAt = 1 + JournalCbor.USER_ID.length;
    assertEquals((byte) 0x63, written[idAt], "a three-byte text");

    // when the id's length is given in eight bytes whose value only ends in 3, or the text is
    // longer than the writer writes in one piece
    for (byte[] head :
        List.of(
            new byte[] {0x7B, 0, 0, 0, 1, 0, 0, 0, 3},
            new byte[] {0x7B, (byte) 0x80, 0, 0, 0, 0, 0, 0, 3})) {
      byte[] row = splice(written, idAt, 1, head);

      // then the row is not read here
      assertNull(JournalCborReader.read(row, JournalSerializer.WAKE_UP_SCHEDULED));
    }
    String longId = "i".repeat(JournalCbor.MAX_TEXT_CHARS + 1);
    byte[] longRow =
        new ObjectMapper(new CBORFactory())
            .writeValueAsBytes(Map.of("userId", longId, "dueAt", "2026-12-07T03:00:00Z"));
    assertNull(JournalCborReader.read(longRow, JournalSerializer.WAKE_UP_SCHEDULED));
    assertEquals(
        new WakeUpScheduled(longId, T0),
        journal.fromBinary(longRow, JournalSerializer.WAKE_UP_SCHEDULED));

    // and versions beyond a long, above or below, are not read here either
    byte[] transition =
        JournalCbor.write(
            new AudienceTransition("i", "u", "a", null, "member", T0, TransitionCause.EVENT, 1));
    int versionAt = transition.length - 2;
    assertEquals((byte) 0x01, transition[versionAt]);
    for (byte[] version :
        List.of(
            new byte[] {0x1B, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0},
            new byte[] {0x3B, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0})) {
      assertNull(
          JournalCborReader.read(
              splice(transition, versionAt, 1, version), JournalSerializer.AUDIENCE_TRANSITION));
    }
  }

  /** {@code bytes} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
  private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
    byte[] spliced = new byte[bytes.length - removed + inserted.length];
    System.arraycopy(bytes, 0, spliced, 0, at);
    System.arraycopy(inserted, 0, spliced, at, inserted.length);
    System.arraycopy(
        bytes, at + removed, spliced, at + inserted.length, bytes.length - at - removed);
    return spliced;
  }

  @Test
  void otherRowsAreLeftToJackson() {
    assertNull(JournalCbor.write(new TraitsChanged(Map.of("plan", "pro"), List.of(), T0)));
    assertNull(JournalCbor.write("a text"));
  }

  @Test
  void theJournalWritesAcceptedEventsThroughIt() throws Exception {
    ScoredEvent scored = event(new Random(1));

    byte[] bytes = journal.toBinary(scored);

    assertArrayEquals(JournalCbor.write(scored), bytes);
    assertEquals(scored, journal.fromBinary(bytes, JournalSerializer.EVENT_RECORDED));
  }

  @Test
  void whatJacksonMayWriteOtherwiseIsLeftToJackson() throws Exception {
    for (Object value :
        List.of(
            new BigDecimal("1.50"),
            BigInteger.TEN.pow(30),
            1.5f,
            (short) 3,
            "lone \uD83D surrogate",
            "lone \uDE00 low surrogate",
            "z".repeat(JournalCbor.MAX_TEXT_CHARS + 1),
            Map.of(1, "a key that is not a text"))) {
      // given an event that holds the value among its properties, deep in a list
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("plain", "first");
      properties.put("nested", List.of(Map.of("value", value)));
      ScoredEvent scored =
          new ScoredEvent(
              new BehaviouralEvent("e-1", "u-1", "page_view", Channel.WEB, T0, properties),
              List.of());

      // then the writer refuses it, and the journal stores what Jackson writes, or refuses what
      // Jackson refuses (a lone surrogate)
      assertNull(JournalCbor.write(scored), "wrote " + value);
      byte[] jackson;
      try {
        jackson = journal.writeWithJackson(scored);
      } catch (UncheckedIOException refused) {
        assertThrows(UncheckedIOException.class, () -> journal.toBinary(scored));
        continue;
      }
      assertArrayEquals(jackson, journal.toBinary(scored));
    }
    // and a refusal leaves nothing behind for the thread's next event
    ScoredEvent plain = event(new Random(2));
    assertArrayEquals(journal.writeWithJackson(plain), JournalCbor.write(plain));
  }

  private static ScoredEvent nestedEvent(int levels) {
    Object value = "bottom";
    for (int i = 0; i < levels; i++) {
      value = i % 2 == 0 ? Map.of("n", value) : List.of(value);
    }
    return new ScoredEvent(
        new BehaviouralEvent("e-1", "u-1", "page_view", Channel.WEB, T0, Map.of("n", value)),
        List.of());
  }

  @Test
  void propertiesNestedDeeperThanItsLimitAreLeftToJacksonWhichRefusesWhatItCannotRead() {
    // given properties nested just within the writer's limit, beyond it, and beyond Jackson's
    ScoredEvent within = nestedEvent(JournalCbor.MAX_VALUE_DEPTH - 1);
    ScoredEvent beyond = nestedEvent(JournalCbor.MAX_VALUE_DEPTH + 1);
    ScoredEvent unreadable = nestedEvent(1_000);

    // then the writer writes the first as Jackson does, leaves the second to Jackson, and the
    // journal refuses the third as Jackson refuses it, rather than store a row nothing can read
    assertArrayEquals(journal.writeWithJackson(within), JournalCbor.write(within));
    assertNull(JournalCbor.write(beyond));
    assertArrayEquals(journal.writeWithJackson(beyond), journal.toBinary(beyond));
    assertNull(JournalCbor.write(unreadable));
    assertThrows(UncheckedIOException.class, () -> journal.toBinary(unreadable));
  }

  /** A system of its own whose configuration holds {@code setting} besides the engine's. */
  private static ActorTestKit systemConfiguredWith(String name, String setting) {
    return ActorTestKit.create(
        name,
        EngineTestConfig.resolve(
            ConfigFactory.parseString(setting).withFallback(EngineTestConfig.engine())));
  }

  private static JournalSerializer journalOf(ActorTestKit system) throws Exception {
    return (JournalSerializer)
        SerializationExtension.get(Adapter.toClassic(system.system()))
            .serializerFor(ScoredEvent.class);
  }

  @Test
  void aJacksonConfiguredToWriteOtherwiseTurnsTheWriterOff() throws Exception {
    // given the journal's Jackson configured to write map keys in order
    ActorTestKit ordered =
        systemConfiguredWith(
            "JournalCborOrderedKeys",
            "pekko.serialization.jackson.serialization-features.ORDER_MAP_ENTRIES_BY_KEYS = on");
    try {
      JournalSerializer orderedJournal = journalOf(ordered);
      ScoredEvent scored = (ScoredEvent) JournalCbor.samples().get(0);

      // then it writes with Jackson alone, keys in order, as configured
      assertTrue(journal.writesWithoutJackson(), "the default configuration keeps the writer");
      assertFalse(orderedJournal.writesWithoutJackson());
      byte[] bytes = orderedJournal.toBinary(scored);
      assertArrayEquals(orderedJournal.writeWithJackson(scored), bytes);
      assertFalse(Arrays.equals(JournalCbor.write(scored), bytes));
      assertEquals(scored, orderedJournal.fromBinary(bytes, JournalSerializer.EVENT_RECORDED));
    } finally {
      ordered.shutdownTestKit();
    }
  }

  @Test
  void aJacksonConfiguredToNameFieldsOtherwiseTurnsTheWriterAndTheReaderOff() throws Exception {
    // given the journal's Jackson configured with a module that names fields in snake case
    ActorTestKit snakeCase =
        systemConfiguredWith(
            "JournalCborSnakeCase",
            "pekko.serialization.jackson.jackson-modules +="
                + " \"io.pulse.engine.serialization.SnakeCaseNamesModule\"");
    try {
      JournalSerializer snakeJournal = journalOf(snakeCase);
      WakeUpScheduled wakeUp = new WakeUpScheduled("u-1", T0);
      byte[] ownForm = JournalCbor.write(wakeUp);

      // then both are off: rows go as that Jackson writes them, and are read as it reads them
      assertFalse(snakeJournal.writesWithoutJackson());
      assertFalse(snakeJournal.readsWithoutJackson());
      byte[] bytes = snakeJournal.toBinary(wakeUp);
      assertTrue(new String(bytes, StandardCharsets.ISO_8859_1).contains("user_id"));
      assertEquals(wakeUp, snakeJournal.fromBinary(bytes, JournalSerializer.WAKE_UP_SCHEDULED));
      assertThrows(
          NotSerializableException.class,
          () -> snakeJournal.fromBinary(ownForm, JournalSerializer.WAKE_UP_SCHEDULED),
          "a row that Jackson cannot read is not read by the journal's own reader instead");
    } finally {
      snakeCase.shutdownTestKit();
    }
  }

  @Test
  void theWriterKnowsEveryFieldOfTheRecordsItWrites() {
    // A field added to one of these records must be added to the writer too: Jackson would write
    // it and the writer would not. The byte comparison above fails then as well, unless the new
    // field is left empty by every generated event; this says so directly.
    assertEquals(
        List.of(
            "event",
            "awards",
            "firstEvent",
            "ordersAfter",
            "previousPurchaseAt",
            "audienceHits",
            "recordedAt",
            "watchHits"),
        componentsOf(ScoredEvent.class));
    assertEquals(
        List.of("eventId", "userId", "type", "channel", "timestamp", "properties", "traits"),
        componentsOf(BehaviouralEvent.class));
    assertEquals(
        List.of(
            "model", "modelVersion", "points", "countedRules", "day", "pointsAfter", "asOfAfter"),
        componentsOf(ModelAward.class));
    assertEquals(
        List.of("audience", "version", "slot", "kind", "keep"), componentsOf(AudienceHit.class));
    assertEquals(List.of("watch", "occurrence"), componentsOf(WatchHit.class));
    assertEquals(
        List.of("id", "userId", "model", "from", "to", "score", "at", "cause", "modelVersion"),
        componentsOf(SegmentTransition.class));
    assertEquals(
        List.of("id", "userId", "audience", "from", "to", "at", "cause", "audienceVersion"),
        componentsOf(AudienceTransition.class));
    assertEquals(List.of("userId", "dueAt"), componentsOf(WakeUpScheduled.class));
    assertTrue(ScoredEvent.class.isRecord());
  }

  private static List<String> componentsOf(Class<?> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }
}

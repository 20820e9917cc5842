package io.pulse.engine.serialization;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.ModelAward;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.WakeUpScheduled;
import io.pulse.engine.domain.audience.AudienceHit;
import io.pulse.engine.domain.watch.WatchHit;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the journal's most frequent rows, a {@link ScoredEvent} for every accepted event and the
 * transitions and wake-ups it causes, as the very bytes Jackson writes for them, without going
 * through Jackson.
 *
 * <p>Serializing the event was the largest single item of the journal write in the profile, and
 * most of Jackson's cost there was its general machinery (a serializer provider, a generator and a
 * builder per call, reflective record accessors, boxed numbers), not the encoding. The journal
 * keeps being read by Jackson, so the bytes must stay Jackson's: objects as indefinite-length maps,
 * lists as definite-length arrays, integers in their shortest form, doubles in eight bytes,
 * instants as {@link IsoInstants} text, and the fields in the records' order. Whatever this writer
 * does not handle the way Jackson does (other number types, texts with a lone surrogate or longer
 * than {@value #MAX_TEXT_CHARS} characters, which Jackson may write in chunks, property trees
 * deeper than {@value #MAX_VALUE_DEPTH}) makes it answer null, and the caller asks Jackson.
 */
final class JournalCbor {

  /** Texts up to this length Jackson writes in one piece with a shortest length. */
  static final int MAX_TEXT_CHARS = 1_000;

  /**
   * Property trees nested deeper than this are left to Jackson, which refuses to write (and to
   * read) documents nested beyond its limit: a row this writer wrote could otherwise never be read.
   */
  static final int MAX_VALUE_DEPTH = 100;

  /** A scratch buffer grown beyond this is not kept for the thread's next event. */
  private static final int MAX_KEPT_BUFFER = 64 * 1024;

  static final int MAJOR_UNSIGNED = 0;
  static final int MAJOR_NEGATIVE = 1 << 5;
  static final int MAJOR_TEXT = 3 << 5;
  private static final int MAJOR_ARRAY = 4 << 5;
  static final byte START_MAP = (byte) 0xBF;
  static final byte BREAK = (byte) 0xFF;
  private static final byte FALSE = (byte) 0xF4;
  private static final byte TRUE = (byte) 0xF5;
  static final byte NULL = (byte) 0xF6;
  static final byte DOUBLE = (byte) 0xFB;

  // The field names, encoded once.
  private static final byte[] EVENT = encoded("event");
  private static final byte[] AWARDS = encoded("awards");
  private static final byte[] FIRST_EVENT = encoded("firstEvent");
  private static final byte[] ORDERS_AFTER = encoded("ordersAfter");
  private static final byte[] PREVIOUS_PURCHASE_AT = encoded("previousPurchaseAt");
  private static final byte[] AUDIENCE_HITS = encoded("audienceHits");
  private static final byte[] RECORDED_AT = encoded("recordedAt");
  private static final byte[] WATCH_HITS = encoded("watchHits");
  private static final byte[] EVENT_ID = encoded("eventId");
  static final byte[] USER_ID = encoded("userId");
  private static final byte[] TYPE = encoded("type");
  private static final byte[] CHANNEL = encoded("channel");
  private static final byte[] TIMESTAMP = encoded("timestamp");
  private static final byte[] PROPERTIES = encoded("properties");
  private static final byte[] TRAITS = encoded("traits");
  static final byte[] MODEL = encoded("model");
  static final byte[] MODEL_VERSION = encoded("modelVersion");
  private static final byte[] POINTS = encoded("points");
  private static final byte[] COUNTED_RULES = encoded("countedRules");
  private static final byte[] DAY = encoded("day");
  private static final byte[] POINTS_AFTER = encoded("pointsAfter");
  private static final byte[] AS_OF_AFTER = encoded("asOfAfter");
  static final byte[] AUDIENCE = encoded("audience");
  private static final byte[] VERSION = encoded("version");
  private static final byte[] SLOT = encoded("slot");
  private static final byte[] KIND = encoded("kind");
  private static final byte[] KEEP = encoded("keep");
  private static final byte[] WATCH = encoded("watch");
  private static final byte[] OCCURRENCE = encoded("occurrence");

  static final byte[] ID = encoded("id");
  static final byte[] FROM = encoded("from");
  static final byte[] TO = encoded("to");
  static final byte[] SCORE = encoded("score");
  static final byte[] AT = encoded("at");
  static final byte[] CAUSE = encoded("cause");
  static final byte[] AUDIENCE_VERSION = encoded("audienceVersion");
  static final byte[] DUE_AT = encoded("dueAt");

  private static final ThreadLocal<JournalCbor> WRITERS = ThreadLocal.withInitial(JournalCbor::new);

  private byte[] buffer = new byte[1_024];
  private int length;

  // The writers of array elements, made once per writer rather than once per row.
  private final ElementWriter<ModelAward> modelAwards = this::modelAward;
  private final ElementWriter<AudienceHit> audienceHits = this::audienceHit;
  private final ElementWriter<WatchHit> watchHits = this::watchHit;
  private final ElementWriter<Integer> countedRules = this::integer;

  private JournalCbor() {}

  /**
   * The bytes Jackson writes for {@code change}, or null when only Jackson may write them, or when
   * it is none of the rows written here.
   */
  static byte[] write(Object change) {
    JournalCbor writer = WRITERS.get();
    writer.length = 0;
    boolean written;
    if (change instanceof ScoredEvent scored) {
      written = writer.scoredEvent(scored);
    } else if (change instanceof SegmentTransition transition) {
      written = writer.segmentTransition(transition);
    } else if (change instanceof AudienceTransition transition) {
      written = writer.audienceTransition(transition);
    } else if (change instanceof WakeUpScheduled wakeUp) {
      written = writer.wakeUp(wakeUp);
    } else {
      return null;
    }
    byte[] bytes = written ? Arrays.copyOf(writer.buffer, writer.length) : null;
    if (writer.buffer.length > MAX_KEPT_BUFFER) {
      writer.buffer = new byte[1_024];
    }
    return bytes;
  }

  /**
   * One row of every kind written here, holding every kind of value, for a serializer to check at
   * start that this writer and its Jackson agree.
   */
  static List<Object> samples() {
    Instant at = Instant.ofEpochSecond(1_796_000_000L, 123_456_000);
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("sku", "A-1");
    item.put("price", 19.99);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("zone", "Zürich \u4e2d \uD83D\uDE00");
    properties.put("amount", -0.5);
    properties.put("count", 300);
    properties.put("big", 12_000_000_000L);
    properties.put("negative", -70_000);
    properties.put("gift", true);
    properties.put("note", null);
    properties.put("items", List.of(item, List.of("a", 1, false)));
    BehaviouralEvent event =
        new BehaviouralEvent(
            "e-1", "u-1", "purchase", Channel.IN_APP, at, properties, Map.of("plan", "pro"));
    ScoredEvent scored =
        new ScoredEvent(
            event,
            List.of(
                new ModelAward(
                    "engagement", 1, 2.5, List.of(0, 24), "2026-12-07", 14.5, at.plusMillis(1))),
            true,
            3,
            at.minusSeconds(60),
            List.of(new AudienceHit("carts", 2, 1, AudienceHit.Kind.START, 5)),
            at,
            List.of(new WatchHit("event:1", 3)));
    return List.of(
        scored,
        new SegmentTransition(
            "u-1:engagement:1",
            "u-1",
            "engagement",
            null,
            "low",
            1.5,
            at,
            TransitionCause.EVENT,
            2),
        new AudienceTransition(
            "u-1:audience:carts:1",
            "u-1",
            "carts",
            null,
            AudienceTransition.MEMBER,
            at,
            TransitionCause.DEFINITION_CHANGE,
            1),
        new WakeUpScheduled("u-1", at));
  }

  // Each row is a chain of its fields in the record's order; a field that only Jackson may write
  // ends the chain with false.

  private boolean scoredEvent(ScoredEvent scored) {
    return start()
        && field(EVENT)
        && behaviouralEvent(scored.event())
        && arrayField(AWARDS, scored.awards(), modelAwards)
        && booleanField(FIRST_EVENT, scored.firstEvent())
        && integerField(ORDERS_AFTER, scored.ordersAfter())
        && instantField(PREVIOUS_PURCHASE_AT, scored.previousPurchaseAt())
        && arrayField(AUDIENCE_HITS, scored.audienceHits(), audienceHits)
        && instantField(RECORDED_AT, scored.recordedAt())
        // Jackson leaves the watch hits out when there are none (NON_EMPTY).
        && (scored.watchHits().isEmpty() || arrayField(WATCH_HITS, scored.watchHits(), watchHits))
        && end();
  }

  private boolean segmentTransition(SegmentTransition transition) {
    return start()
        && textField(ID, transition.id())
        && textField(USER_ID, transition.userId())
        && textField(MODEL, transition.model())
        && textField(FROM, transition.from())
        && textField(TO, transition.to())
        && float64Field(SCORE, transition.score())
        && instantField(AT, transition.at())
        && enumField(CAUSE, transition.cause())
        && integerField(MODEL_VERSION, transition.modelVersion())
        && end();
  }

  private boolean audienceTransition(AudienceTransition transition) {
    return start()
        && textField(ID, transition.id())
        && textField(USER_ID, transition.userId())
        && textField(AUDIENCE, transition.audience())
        && textField(FROM, transition.from())
        && textField(TO, transition.to())
        && instantField(AT, transition.at())
        && enumField(CAUSE, transition.cause())
        && integerField(AUDIENCE_VERSION, transition.audienceVersion())
        && end();
  }

  private boolean wakeUp(WakeUpScheduled wakeUp) {
    return start()
        && textField(USER_ID, wakeUp.userId())
        && instantField(DUE_AT, wakeUp.dueAt())
        && end();
  }

  private boolean behaviouralEvent(BehaviouralEvent event) {
    return start()
        && textField(EVENT_ID, event.eventId())
        && textField(USER_ID, event.userId())
        && textField(TYPE, event.type())
        && enumField(CHANNEL, event.channel())
        && instantField(TIMESTAMP, event.timestamp())
        && field(PROPERTIES)
        && value(event.properties(), 0)
        && field(TRAITS)
        && value(event.traits(), 0)
        && end();
  }

  private boolean modelAward(ModelAward award) {
    return start()
        && textField(MODEL, award.model())
        && integerField(MODEL_VERSION, award.modelVersion())
        && float64Field(POINTS, award.points())
        && arrayField(COUNTED_RULES, award.countedRules(), countedRules)
        && textField(DAY, award.day())
        && float64Field(POINTS_AFTER, award.pointsAfter())
        && instantField(AS_OF_AFTER, award.asOfAfter())
        && end();
  }

  private boolean audienceHit(AudienceHit hit) {
    return start()
        && textField(AUDIENCE, hit.audience())
        && integerField(VERSION, hit.version())
        && integerField(SLOT, hit.slot())
        && enumField(KIND, hit.kind())
        && integerField(KEEP, hit.keep())
        && end();
  }

  private boolean watchHit(WatchHit hit) {
    return start()
        && textField(WATCH, hit.watch())
        && integerField(OCCURRENCE, hit.occurrence())
        && end();
  }

  private boolean start() {
    put(START_MAP);
    return true;
  }

  private boolean end() {
    put(BREAK);
    return true;
  }

  /** A field's name, encoded once (see {@link #encoded}). */
  private boolean field(byte[] name) {
    ensure(name.length);
    System.arraycopy(name, 0, buffer, length, name.length);
    length += name.length;
    return true;
  }

  private boolean textField(byte[] name, String value) {
    return field(name) && text(value);
  }

  /** An enum by its name, as Jackson writes it: a short ASCII text, never refused. */
  private boolean enumField(byte[] name, Enum<?> value) {
    return field(name) && text(value == null ? null : value.name());
  }

  private boolean integerField(byte[] name, long value) {
    return field(name) && integer(value);
  }

  private boolean float64Field(byte[] name, double value) {
    return field(name) && float64(value);
  }

  private boolean booleanField(byte[] name, boolean value) {
    field(name);
    put(value ? TRUE : FALSE);
    return true;
  }

  private boolean instantField(byte[] name, Instant value) {
    return field(name) && instant(value);
  }

  /** What writes one element of an array, or says that only Jackson may. */
  private interface ElementWriter<T> {
    boolean write(T element);
  }

  private <T> boolean arrayField(byte[] name, List<T> elements, ElementWriter<T> element) {
    field(name);
    head(MAJOR_ARRAY, elements.size());
    for (T each : elements) {
      if (!element.write(each)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A property or trait value as Jackson writes an untyped value: maps, lists, texts, integers,
   * doubles, booleans and null. Anything else is for Jackson.
   */
  private boolean value(Object value, int depth) {
    if (depth > MAX_VALUE_DEPTH) {
      return false;
    }
    if (value == null) {
      put(NULL);
      return true;
    }
    if (value instanceof String text) {
      return text(text);
    }
    if (value instanceof Integer || value instanceof Long) {
      return integer(((Number) value).longValue());
    }
    if (value instanceof Double number) {
      return float64(number);
    }
    if (value instanceof Boolean flag) {
      put(flag ? TRUE : FALSE);
      return true;
    }
    if (value instanceof Map<?, ?> map) {
      put(START_MAP);
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)
            || !text(key)
            || !value(entry.getValue(), depth + 1)) {
          return false;
        }
      }
      put(BREAK);
      return true;
    }
    if (value instanceof List<?> list) {
      head(MAJOR_ARRAY, list.size());
      for (Object element : list) {
        if (!value(element, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** A field name of at most 23 ASCII characters, with its one-byte head. */
  private static byte[] encoded(String name) {
    if (name.length() > 23 || !name.chars().allMatch(c -> c < 0x80)) {
      throw new IllegalArgumentException("not a short ASCII name: " + name);
    }
    byte[] bytes = new byte[name.length() + 1];
    bytes[0] = (byte) (MAJOR_TEXT | name.length());
    for (int i = 0; i < name.length(); i++) {
      bytes[i + 1] = (byte) name.charAt(i);
    }
    return bytes;
  }

  /** An instant as {@link IsoInstants} writes it, put straight into the output when plain. */
  private boolean instant(Instant instant) {
    if (instant == null) {
      put(NULL);
      return true;
    }
    int plain = IsoInstants.plainLength(instant);
    if (plain < 0) {
      return text(IsoInstants.format(instant));
    }
    head(MAJOR_TEXT, plain);
    ensure(plain);
    IsoInstants.putPlain(instant, plain, buffer, length);
    length += plain;
    return true;
  }

  /** {@code text} in UTF-8 with its length first; false for what Jackson may write otherwise. */
  private boolean text(String text) {
    if (text == null) {
      put(NULL);
      return true;
    }
    int chars = text.length();
    if (chars > MAX_TEXT_CHARS) {
      return false;
    }
    int bytes = chars;
    for (int i = 0; i < chars; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        if (Character.isSurrogate(c)) {
          // A pair is four bytes for two chars; a lone surrogate is Jackson's to refuse.
          if (!Character.isHighSurrogate(c)
              || i + 1 == chars
              || !Character.isLowSurrogate(text.charAt(i + 1))) {
            return false;
          }
          bytes += 2;
          i++;
        } else {
          bytes += c < 0x800 ? 1 : 2;
        }
      }
    }
    head(MAJOR_TEXT, bytes);
    ensure(bytes);
    if (bytes == chars) {
      for (int i = 0; i < chars; i++) {
        buffer[length++] = (byte) text.charAt(i);
      }
      return true;
    }
    for (int i = 0; i < chars; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        buffer[length++] = (byte) c;
      } else if (c < 0x800) {
        buffer[length++] = (byte) (0xC0 | (c >> 6));
        buffer[length++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)) {
        int point = Character.toCodePoint(c, text.charAt(++i));
        buffer[length++] = (byte) (0xF0 | (point >> 18));
        buffer[length++] = (byte) (0x80 | ((point >> 12) & 0x3F));
        buffer[length++] = (byte) (0x80 | ((point >> 6) & 0x3F));
        buffer[length++] = (byte) (0x80 | (point & 0x3F));
      } else {
        buffer[length++] = (byte) (0xE0 | (c >> 12));
        buffer[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buffer[length++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return true;
  }

  private boolean integer(long value) {
    if (value >= 0) {
      head(MAJOR_UNSIGNED, value);
    } else {
      head(MAJOR_NEGATIVE, -1 - value);
    }
    return true;
  }

  private boolean float64(double value) {
    long bits = Double.doubleToRawLongBits(value);
    ensure(9);
    buffer[length++] = DOUBLE;
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[length++] = (byte) (bits >>> shift);
    }
    return true;
  }

  /** A major type with its argument in the fewest bytes, as Jackson writes lengths and integers. */
  private void head(int major, long argument) {
    ensure(9);
    if (argument < 24) {
      buffer[length++] = (byte) (major | argument);
    } else if (argument <= 0xFF) {
      buffer[length++] = (byte) (major | 24);
      buffer[length++] = (byte) argument;
    } else if (argument <= 0xFFFF) {
      buffer[length++] = (byte) (major | 25);
      buffer[length++] = (byte) (argument >> 8);
      buffer[length++] = (byte) argument;
    } else if (argument <= 0xFFFF_FFFFL) {
      buffer[length++] = (byte) (major | 26);
      for (int shift = 24; shift >= 0; shift -= 8) {
        buffer[length++] = (byte) (argument >>> shift);
      }
    } else {
      buffer[length++] = (byte) (major | 27);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buffer[length++] = (byte) (argument >>> shift);
      }
    }
  }

  private void put(byte b) {
    ensure(1);
    buffer[length++] = b;
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}

package io.pulse.engine.serialization;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.WakeUpScheduled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Reads the journal rows that the read side reads most, transitions and wake-ups, when they are
 * exactly in the form {@link JournalCbor} and Jackson write them, without going through Jackson.
 *
 * <p>Every transition is read again by the live read of transitions, and band transitions and
 * wake-ups by the promotions and the wake-up scheduler: with ten audiences, deserializing what the
 * read journal returns was about a tenth of the server's CPU samples, most of it Jackson's general
 * machinery (a parser per row, property name lookup, a creator per record). Anything else than the
 * written form (fields in another order, one more or one less as rows of other releases may hold,
 * texts beyond ASCII, other number encodings, instants not in the plain UTC form) makes it answer
 * null, and the caller asks Jackson, so what it reads is always what Jackson reads.
 */
final class JournalCborReader {

  /** Thrown, without a stack, when a row is not in the form read here. */
  private static final class NotTheWrittenForm extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotTheWrittenForm() {
      super(null, null, false, false);
    }
  }

  private static final NotTheWrittenForm NOT_THE_WRITTEN_FORM = new NotTheWrittenForm();

  private final byte[] bytes;
  private int at;

  private JournalCborReader(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Whether rows stored under {@code manifest} are read here (when in the written form). */
  static boolean reads(String manifest) {
    return JournalSerializer.SEGMENT_TRANSITION.equals(manifest)
        || JournalSerializer.AUDIENCE_TRANSITION.equals(manifest)
        || JournalSerializer.WAKE_UP_SCHEDULED.equals(manifest);
  }

  /**
   * What Jackson reads from {@code bytes} stored under {@code manifest}, or null when only Jackson
   * may read it, or when it is none of the rows read here.
   */
  static Object read(byte[] bytes, String manifest) {
    if (!reads(manifest)) {
      return null;
    }
    JournalCborReader reader = new JournalCborReader(bytes);
    try {
      Object read =
          switch (manifest) {
            case JournalSerializer.SEGMENT_TRANSITION -> reader.segmentTransition();
            case JournalSerializer.AUDIENCE_TRANSITION -> reader.audienceTransition();
            default -> reader.wakeUp();
          };
      return reader.at == bytes.length ? read : null;
    } catch (RuntimeException notTheWrittenForm) {
      // Not the written form, or values a record refuses: Jackson reads it, or says why not.
      return null;
    }
  }

  // Each row reads its fields in the record's order, as the writer writes them.

  private SegmentTransition segmentTransition() {
    expect(JournalCbor.START_MAP);
    SegmentTransition transition =
        new SegmentTransition(
            textField(JournalCbor.ID),
            textField(JournalCbor.USER_ID),
            textField(JournalCbor.MODEL),
            textField(JournalCbor.FROM),
            textField(JournalCbor.TO),
            float64Field(JournalCbor.SCORE),
            instantField(JournalCbor.AT),
            causeField(JournalCbor.CAUSE),
            integerField(JournalCbor.MODEL_VERSION));
    expect(JournalCbor.BREAK);
    return transition;
  }

  private AudienceTransition audienceTransition() {
    expect(JournalCbor.START_MAP);
    AudienceTransition transition =
        new AudienceTransition(
            textField(JournalCbor.ID),
            textField(JournalCbor.USER_ID),
            textField(JournalCbor.AUDIENCE),
            textField(JournalCbor.FROM),
            textField(JournalCbor.TO),
            instantField(JournalCbor.AT),
            causeField(JournalCbor.CAUSE),
            integerField(JournalCbor.AUDIENCE_VERSION));
    expect(JournalCbor.BREAK);
    return transition;
  }

  private WakeUpScheduled wakeUp() {
    expect(JournalCbor.START_MAP);
    WakeUpScheduled wakeUp =
        new WakeUpScheduled(textField(JournalCbor.USER_ID), instantField(JournalCbor.DUE_AT));
    expect(JournalCbor.BREAK);
    return wakeUp;
  }

  // Java evaluates a constructor's arguments from left to right: each reads its field in turn.

  private String textField(byte[] name) {
    name(name);
    return text();
  }

  private double float64Field(byte[] name) {
    name(name);
    return float64();
  }

  private long integerField(byte[] name) {
    name(name);
    return integer();
  }

  private Instant instantField(byte[] name) {
    name(name);
    return instant();
  }

  private TransitionCause causeField(byte[] name) {
    String cause = textField(name);
    return cause == null ? null : TransitionCause.valueOf(cause);
  }

  private void expect(byte expected) {
    if (bytes[at] != expected) {
      throw NOT_THE_WRITTEN_FORM;
    }
    at++;
  }

  /** The field name {@code encoded} (its head and ASCII bytes, as the writer writes it). */
  private void name(byte[] encoded) {
    if (at + encoded.length > bytes.length) {
      throw NOT_THE_WRITTEN_FORM;
    }
    for (int i = 0; i < encoded.length; i++) {
      if (bytes[at + i] != encoded[i]) {
        throw NOT_THE_WRITTEN_FORM;
      }
    }
    at += encoded.length;
  }

  /** A text of ASCII characters, or null. */
  private String text() {
    if (bytes[at] == JournalCbor.NULL) {
      at++;
      return null;
    }
    long declared = argument(JournalCbor.MAJOR_TEXT);
    // The writer writes no longer text in one piece: a longer one is another writer's, and within
    // whatever limit Jackson's reader is configured with only Jackson can tell.
    if (declared < 0 || declared > JournalCbor.MAX_TEXT_CHARS || at + declared > bytes.length) {
      throw NOT_THE_WRITTEN_FORM;
    }
    int length = (int) declared;
    for (int i = at; i < at + length; i++) {
      if (bytes[i] < 0) {
        // Beyond ASCII: Jackson's decoding of what is not well-formed UTF-8 is Jackson's.
        throw NOT_THE_WRITTEN_FORM;
      }
    }
    String text = new String(bytes, at, length, StandardCharsets.ISO_8859_1);
    at += length;
    return text;
  }

  private Instant instant() {
    String text = text();
    if (text == null) {
      return null;
    }
    Instant instant = IsoInstants.parse(text);
    if (instant == null) {
      throw NOT_THE_WRITTEN_FORM;
    }
    return instant;
  }

  /** An integer that fits a long, in any of CBOR's encodings of it. */
  private long integer() {
    int major = bytes[at] & 0xE0;
    if (major == JournalCbor.MAJOR_UNSIGNED) {
      long value = argument(JournalCbor.MAJOR_UNSIGNED);
      if (value < 0) {
        throw NOT_THE_WRITTEN_FORM;
      }
      return value;
    }
    long value = argument(JournalCbor.MAJOR_NEGATIVE);
    if (value < 0) {
      throw NOT_THE_WRITTEN_FORM;
    }
    return -1 - value;
  }

  /** A double in eight bytes, as the writer and Jackson write them. */
  private double float64() {
    expect(JournalCbor.DOUBLE);
    return Double.longBitsToDouble(bigEndian(8));
  }

  /**
   * The argument of a head of major type {@code major}: the value itself up to 23, then one, two,
   * four or eight bytes. A value beyond a signed long comes back negative.
   */
  private long argument(int major) {
    int head = bytes[at] & 0xFF;
    if ((head & 0xE0) != major) {
      throw NOT_THE_WRITTEN_FORM;
    }
    at++;
    int info = head & 0x1F;
    if (info < 24) {
      return info;
    }
    return switch (info) {
      case 24 -> bigEndian(1);
      case 25 -> bigEndian(2);
      case 26 -> bigEndian(4);
      case 27 -> bigEndian(8);
      default -> throw NOT_THE_WRITTEN_FORM;
    };
  }

  private long bigEndian(int count) {
    if (at + count > bytes.length) {
      throw NOT_THE_WRITTEN_FORM;
    }
    long value = 0;
    for (int i = 0; i < count; i++) {
      value = (value << 8) | (bytes[at++] & 0xFF);
    }
    return value;
  }
}

package io.pulse.loadtest.ceiling;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Deterministic content for journal-shaped rows. Row {@code i} belongs to persistence id {@code
 * user|default|u-(i mod ids)} with sequence number {@code i / ids + 1}, so consecutive rows hit
 * different users as interleaved traffic does, and every user's sequence numbers increase. The
 * payload is a CBOR map shaped like a recorded event (about 150 bytes), as Jackson CBOR would write
 * it. Thread-safe: all state is immutable, callers pass their own buffers.
 *
 * <p>Bytes are written directly, without intermediate strings, so that the client spends as little
 * CPU as possible: on a small machine it shares the cores with the database it measures.
 */
final class JournalRows {
  static final int EVENT_SERIALIZER_ID = 33;
  static final String EVENT_MANIFEST = "event-recorded";
  static final String ADAPTER_MANIFEST = "";
  static final String PERSISTENCE_ID_PREFIX = "user|default|u-";

  /** Longest payload: fixed parts plus three numbers of at most 19 digits and 9-byte integers. */
  static final int MAX_PAYLOAD_BYTES = 256;

  private static final byte[] PERSISTENCE_ID_PREFIX_BYTES = ascii(PERSISTENCE_ID_PREFIX);
  private static final String[] TYPES = {
    "email_open", "page_view", "app_session", "email_click", "push_click", "purchase"
  };
  private static final String[] CHANNELS = {"email", "web", "app", "email", "push", "web"};
  private static final String[] CAMPAIGNS = {
    "black-friday", "welcome-series", "winback-30d", "weekly-digest", "cart-reminder"
  };
  private static final byte[] MAP_OF_7 = {(byte) 0xA7};
  private static final byte[] MAP_OF_2 = {(byte) 0xA2};
  private static final byte[] KEY_EVENT_ID = cborText("eventId");
  private static final byte[] KEY_USER_ID = cborText("userId");
  private static final byte[] KEY_TYPE = cborText("type");
  private static final byte[] KEY_CHANNEL = cborText("channel");
  private static final byte[] KEY_OCCURRED_AT = cborText("occurredAt");
  private static final byte[] KEY_RECEIVED_AT = cborText("receivedAt");
  private static final byte[] KEY_PROPERTIES = cborText("properties");
  private static final byte[] KEY_CAMPAIGN = cborText("campaign");
  private static final byte[] KEY_TEMPLATE_ID = cborText("templateId");
  private static final byte[][] TYPE_VALUES = cborTexts(TYPES);
  private static final byte[][] CHANNEL_VALUES = cborTexts(CHANNELS);
  private static final byte[][] CAMPAIGN_VALUES = cborTexts(CAMPAIGNS);
  private static final byte[] USER_ID_PREFIX = ascii("u-");

  private final long persistenceIds;
  private final String writer = UUID.randomUUID().toString();
  private final byte[] eventIdPrefix =
      ascii("e-" + Long.toString(System.nanoTime() & 0xFFFFFF, 36) + "-");
  private final long baseMillis = System.currentTimeMillis();

  JournalRows(long persistenceIds) {
    if (persistenceIds < 1) {
      throw new IllegalArgumentException("need at least one persistence id");
    }
    this.persistenceIds = persistenceIds;
  }

  String persistenceId(long row) {
    return PERSISTENCE_ID_PREFIX + (row % persistenceIds);
  }

  /** Writes the persistence id of a row as UTF-8 at {@code offset}; returns its length. */
  int writePersistenceId(long row, byte[] out, int offset) {
    System.arraycopy(
        PERSISTENCE_ID_PREFIX_BYTES, 0, out, offset, PERSISTENCE_ID_PREFIX_BYTES.length);
    int end = writeDigits(row % persistenceIds, out, offset + PERSISTENCE_ID_PREFIX_BYTES.length);
    return end - offset;
  }

  long sequenceNumber(long row) {
    return row / persistenceIds + 1;
  }

  String writer() {
    return writer;
  }

  /** About fifty rows per millisecond, like a busy journal. */
  long writeTimestamp(long row) {
    return baseMillis + row / 50;
  }

  /** The CBOR payload of a row in a fresh array, since JDBC keeps it until the batch runs. */
  byte[] payload(long row) {
    byte[] buffer = new byte[MAX_PAYLOAD_BYTES];
    return Arrays.copyOf(buffer, writePayload(row, buffer, 0));
  }

  /** Writes the CBOR payload of a row at {@code offset}; returns its length. */
  int writePayload(long row, byte[] out, int offset) {
    int kind = (int) (row % TYPES.length);
    long millis = writeTimestamp(row);
    int p = offset;
    p = put(MAP_OF_7, out, p);
    p = put(KEY_EVENT_ID, out, p);
    p = textWithNumber(eventIdPrefix, row, out, p);
    p = put(KEY_USER_ID, out, p);
    p = textWithNumber(USER_ID_PREFIX, row % persistenceIds, out, p);
    p = put(KEY_TYPE, out, p);
    p = put(TYPE_VALUES[kind], out, p);
    p = put(KEY_CHANNEL, out, p);
    p = put(CHANNEL_VALUES[kind], out, p);
    p = put(KEY_OCCURRED_AT, out, p);
    p = header(0, millis, out, p);
    p = put(KEY_RECEIVED_AT, out, p);
    p = header(0, millis + 3, out, p);
    p = put(KEY_PROPERTIES, out, p);
    p = put(MAP_OF_2, out, p);
    p = put(KEY_CAMPAIGN, out, p);
    p = put(CAMPAIGN_VALUES[(int) (row % CAMPAIGNS.length)], out, p);
    p = put(KEY_TEMPLATE_ID, out, p);
    p = header(0, 1 + row % 40, out, p);
    return p - offset;
  }

  /** A CBOR text string made of an ASCII prefix and a decimal number. */
  private static int textWithNumber(byte[] prefix, long number, byte[] out, int p) {
    p = header(3, prefix.length + digitCount(number), out, p);
    p = put(prefix, out, p);
    return writeDigits(number, out, p);
  }

  /** A CBOR initial byte plus its argument (RFC 8949, section 3). */
  private static int header(int majorType, long value, byte[] out, int p) {
    int major = majorType << 5;
    if (value < 24) {
      out[p++] = (byte) (major | value);
      return p;
    }
    int bytes;
    if (value < 0x100) {
      out[p++] = (byte) (major | 24);
      bytes = 1;
    } else if (value < 0x10000) {
      out[p++] = (byte) (major | 25);
      bytes = 2;
    } else if (value < 0x100000000L) {
      out[p++] = (byte) (major | 26);
      bytes = 4;
    } else {
      out[p++] = (byte) (major | 27);
      bytes = 8;
    }
    for (int i = bytes - 1; i >= 0; i--) {
      out[p++] = (byte) (value >>> (8 * i));
    }
    return p;
  }

  private static int put(byte[] source, byte[] out, int p) {
    System.arraycopy(source, 0, out, p, source.length);
    return p + source.length;
  }

  private static int writeDigits(long value, byte[] out, int p) {
    int end = p + digitCount(value);
    int position = end;
    do {
      out[--position] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value != 0);
    return end;
  }

  private static int digitCount(long value) {
    int digits = 1;
    while (value >= 10) {
      value /= 10;
      digits++;
    }
    return digits;
  }

  private static byte[] ascii(String value) {
    return value.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] cborText(String value) {
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[text.length + 9];
    int p = header(3, text.length, out, 0);
    p = put(text, out, p);
    return Arrays.copyOf(out, p);
  }

  private static byte[][] cborTexts(String[] values) {
    byte[][] encoded = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      encoded[i] = cborText(values[i]);
    }
    return encoded;
  }
}

package io.pulse.loadtest.ceiling;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Deterministic content for journal-shaped rows. Row {@code i} belongs to persistence id {@code
 * user|default|u-(i mod ids)} with sequence number {@code i / ids + 1}, so consecutive rows hit
 * different users as interleaved traffic does, and every user's sequence numbers increase. The
 * payload is a CBOR map shaped like a recorded event (about 150 bytes), as Jackson CBOR would write
 * it.
 */
final class JournalRows {
  static final int EVENT_SERIALIZER_ID = 33;
  static final String EVENT_MANIFEST = "event-recorded";
  static final String ADAPTER_MANIFEST = "";

  private static final String[] TYPES = {
    "email_open", "page_view", "app_session", "email_click", "push_click", "purchase"
  };
  private static final String[] CHANNELS = {"email", "web", "app", "email", "push", "web"};
  private static final String[] CAMPAIGNS = {
    "black-friday", "welcome-series", "winback-30d", "weekly-digest", "cart-reminder"
  };

  private final long persistenceIds;
  private final String writer = UUID.randomUUID().toString();
  private final String eventIdPrefix = "e-" + Long.toString(System.nanoTime() & 0xFFFFFF, 36) + "-";
  private final long baseMillis = System.currentTimeMillis();
  private final byte[] payloadBuffer = new byte[512];

  JournalRows(long persistenceIds) {
    if (persistenceIds < 1) {
      throw new IllegalArgumentException("need at least one persistence id");
    }
    this.persistenceIds = persistenceIds;
  }

  String persistenceId(long row) {
    return "user|default|u-" + (row % persistenceIds);
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

  /** The CBOR payload of a row; a fresh array because JDBC keeps a reference until executed. */
  byte[] payload(long row) {
    int length = writePayload(row, payloadBuffer);
    return Arrays.copyOf(payloadBuffer, length);
  }

  /** Writes the CBOR payload of a row into {@code out} and returns its length. */
  int writePayload(long row, byte[] out) {
    int kind = (int) (row % TYPES.length);
    long millis = writeTimestamp(row);
    Cbor cbor = new Cbor(out);
    cbor.mapHeader(7);
    cbor.text("eventId").text(eventIdPrefix + row);
    cbor.text("userId").text("u-" + (row % persistenceIds));
    cbor.text("type").text(TYPES[kind]);
    cbor.text("channel").text(CHANNELS[kind]);
    cbor.text("occurredAt").unsigned(millis);
    cbor.text("receivedAt").unsigned(millis + 3);
    cbor.text("properties").mapHeader(2);
    cbor.text("campaign").text(CAMPAIGNS[(int) (row % CAMPAIGNS.length)]);
    cbor.text("templateId").unsigned(1 + row % 40);
    return cbor.length();
  }

  /** Just the CBOR major types the payload uses (RFC 8949). */
  private static final class Cbor {
    private final byte[] out;
    private int position;

    Cbor(byte[] out) {
      this.out = out;
    }

    Cbor mapHeader(int entries) {
      return header(5, entries);
    }

    Cbor text(String value) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      header(3, bytes.length);
      System.arraycopy(bytes, 0, out, position, bytes.length);
      position += bytes.length;
      return this;
    }

    Cbor unsigned(long value) {
      return header(0, value);
    }

    int length() {
      return position;
    }

    private Cbor header(int majorType, long value) {
      int major = majorType << 5;
      if (value < 24) {
        out[position++] = (byte) (major | value);
      } else if (value < 0x100) {
        out[position++] = (byte) (major | 24);
        out[position++] = (byte) value;
      } else if (value < 0x10000) {
        out[position++] = (byte) (major | 25);
        putBigEndian(value, 2);
      } else if (value < 0x100000000L) {
        out[position++] = (byte) (major | 26);
        putBigEndian(value, 4);
      } else {
        out[position++] = (byte) (major | 27);
        putBigEndian(value, 8);
      }
      return this;
    }

    private void putBigEndian(long value, int bytes) {
      for (int i = bytes - 1; i >= 0; i--) {
        out[position++] = (byte) (value >>> (8 * i));
      }
    }
  }
}

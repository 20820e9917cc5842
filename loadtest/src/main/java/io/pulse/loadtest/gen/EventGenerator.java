package io.pulse.loadtest.gen;

import java.nio.charset.StandardCharsets;

/**
 * Produces batches of events as the JSON array {@code POST /v1/events} takes. Not thread-safe: each
 * I/O thread owns one, with its own id namespace so event ids never collide across threads or runs.
 *
 * <p>Every original event is remembered in a ring by its seed, so a duplicate re-sends exactly the
 * bytes of an earlier event (same id, user, timestamp and properties), the way a client retry does.
 */
public final class EventGenerator {
  private static final int RING_CAPACITY = 1 << 16;
  private static final int RING_MASK = RING_CAPACITY - 1;
  private static final EventType[] TYPES = EventType.values();

  private static final byte[] EVENT_ID = ascii("{\"eventId\":\"");
  private static final byte[] USER_ID = ascii("\",\"userId\":\"");
  private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
  private static final byte[] PROPERTIES = ascii(",\"properties\":{");
  private static final byte[] END_EVENT = ascii("}}");

  private static final byte[] CAMPAIGN = ascii("\"campaign\":");
  private static final byte[] TEMPLATE_ID = ascii(",\"templateId\":");
  private static final byte[] LINK = ascii(",\"link\":\"/products/");
  private static final byte[] PLATFORM_FIRST = ascii("\"platform\":");
  private static final byte[] PLATFORM_NEXT = ascii(",\"platform\":");
  private static final byte[] PATH = ascii("\"path\":");
  private static final byte[] PRODUCT_PATH = ascii("\"path\":\"/products/");
  private static final byte[] REFERRER = ascii(",\"referrer\":");
  private static final byte[] DURATION_MS = ascii(",\"durationMs\":");
  private static final byte[] DURATION_SEC = ascii(",\"durationSec\":");
  private static final byte[] SCREENS = ascii(",\"screens\":");
  private static final byte[] AMOUNT = ascii("\"amount\":");
  private static final byte[] CURRENCY_EUR = ascii(",\"currency\":\"EUR\"");
  private static final byte[] ORDER_ID = ascii(",\"orderId\":\"");
  private static final byte[] ITEMS = ascii(",\"items\":");
  private static final byte[] REASON = ascii("\"reason\":");
  private static final byte[] VIA = ascii(",\"via\":");

  private static final byte[][] CAMPAIGNS =
      quoted(
          "black-friday",
          "welcome-series",
          "winback-30d",
          "weekly-digest",
          "cart-reminder",
          "spring-sale");
  private static final byte[][] PLATFORMS = quoted("ios", "android");
  private static final byte[][] PAGES = quoted("/", "/cart", "/checkout", "/search", "/account");
  private static final byte[][] REFERRERS = quoted("direct", "search", "email", "social", "ads");
  private static final byte[][] SUPPORT_REASONS =
      quoted("delivery", "billing", "refund", "technical", "account");
  private static final byte[][] SUPPORT_CHANNELS = quoted("chat", "phone", "email");

  /** Purchases follow a log-normal: median 45.00, a long tail of large orders. */
  private static final double LOG_MEDIAN_CENTS = Math.log(4500);

  private static final double LOG_SIGMA = 0.9;
  private static final long MIN_CENTS = 100;
  private static final long MAX_CENTS = 500_000;

  private final EventMix mix;
  private final UserSampler users;
  private final byte[] userIdPrefix;
  private final byte[] eventIdPrefix;
  private final byte[] orderIdPrefix;
  private final double duplicateRatio;
  private final FastRandom random;
  private final FastRandom propertyRandom = new FastRandom(0);
  private final IsoTimestampWriter timestamps = new IsoTimestampWriter();

  private final long[] ringSequence = new long[RING_CAPACITY];
  private final long[] ringUser = new long[RING_CAPACITY];
  private final long[] ringTimestamp = new long[RING_CAPACITY];
  private final long[] ringPropertySeed = new long[RING_CAPACITY];
  private final byte[] ringType = new byte[RING_CAPACITY];

  private long nextSequence;
  private long originals;
  private long duplicates;

  /**
   * @param idNamespace unique per run and thread; event ids are {@code e-<namespace>-<n>}
   * @param duplicateRatio fraction of events that re-send an earlier event, 0 to 1
   */
  public EventGenerator(
      EventMix mix,
      UserSampler users,
      String userIdPrefix,
      String idNamespace,
      double duplicateRatio,
      long seed) {
    if (!(duplicateRatio >= 0 && duplicateRatio <= 1)) {
      throw new IllegalArgumentException(
          "duplicate ratio must be in [0, 1], got " + duplicateRatio);
    }
    this.mix = mix;
    this.users = users;
    this.userIdPrefix = JsonBuffer.escapedUtf8(userIdPrefix);
    this.eventIdPrefix = JsonBuffer.escapedUtf8("e-" + idNamespace + "-");
    this.orderIdPrefix = JsonBuffer.escapedUtf8("o-" + idNamespace + "-");
    this.duplicateRatio = duplicateRatio;
    this.random = new FastRandom(seed);
  }

  /**
   * Appends a JSON array of {@code count} events stamped {@code nowMillis}; duplicates repeat
   * events of earlier batches only, as a retry would.
   *
   * @return how many of the events are duplicates
   */
  public int writeBatch(JsonBuffer out, int count, long nowMillis) {
    long batchStart = originals;
    // Only slots this batch cannot overwrite are eligible as duplicates.
    long reusable = Math.max(0, Math.min(batchStart, RING_CAPACITY - (long) count));
    int duplicatesInBatch = 0;
    out.append((byte) '[');
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.append((byte) ',');
      }
      if (reusable > 0 && duplicateRatio > 0 && random.nextDouble() < duplicateRatio) {
        int slot = (int) ((batchStart - 1 - random.nextLong(reusable)) & RING_MASK);
        writeEvent(
            out,
            ringSequence[slot],
            ringUser[slot],
            TYPES[ringType[slot]],
            ringTimestamp[slot],
            ringPropertySeed[slot]);
        duplicatesInBatch++;
      } else {
        long sequence = nextSequence++;
        long user = users.nextUserIndex(random);
        EventType type = mix.pick(random);
        long propertySeed = random.nextLong();
        int slot = (int) (originals & RING_MASK);
        ringSequence[slot] = sequence;
        ringUser[slot] = user;
        ringTimestamp[slot] = nowMillis;
        ringPropertySeed[slot] = propertySeed;
        ringType[slot] = (byte) type.ordinal();
        originals++;
        writeEvent(out, sequence, user, type, nowMillis, propertySeed);
      }
    }
    out.append((byte) ']');
    duplicates += duplicatesInBatch;
    return duplicatesInBatch;
  }

  /** Events written so far, duplicates included. */
  public long eventsWritten() {
    return originals + duplicates;
  }

  public long duplicatesWritten() {
    return duplicates;
  }

  private void writeEvent(
      JsonBuffer out, long sequence, long user, EventType type, long timestamp, long seed) {
    out.append(EVENT_ID)
        .append(eventIdPrefix)
        .appendLong(sequence)
        .append(USER_ID)
        .append(userIdPrefix)
        .appendLong(user)
        .append((byte) '"')
        .append(type.typeAndChannelJson())
        .append(TIMESTAMP);
    timestamps.write(out, timestamp);
    out.append(PROPERTIES);
    writeProperties(out, type, sequence, seed);
    out.append(END_EVENT);
  }

  private void writeProperties(JsonBuffer out, EventType type, long sequence, long seed) {
    FastRandom r = propertyRandom;
    r.reseed(seed);
    switch (type) {
      case EMAIL_OPEN ->
          out.append(CAMPAIGN)
              .append(oneOf(CAMPAIGNS, r))
              .append(TEMPLATE_ID)
              .appendLong(1 + r.nextInt(40));
      case EMAIL_CLICK ->
          out.append(CAMPAIGN)
              .append(oneOf(CAMPAIGNS, r))
              .append(LINK)
              .appendLong(1 + r.nextInt(5000))
              .append((byte) '"');
      case PUSH_CLICK ->
          out.append(CAMPAIGN)
              .append(oneOf(CAMPAIGNS, r))
              .append(PLATFORM_NEXT)
              .append(oneOf(PLATFORMS, r));
      case PAGE_VIEW -> {
        if (r.nextInt(3) == 0) {
          out.append(PATH).append(oneOf(PAGES, r));
        } else {
          out.append(PRODUCT_PATH).appendLong(1 + r.nextInt(5000)).append((byte) '"');
        }
        out.append(REFERRER)
            .append(oneOf(REFERRERS, r))
            .append(DURATION_MS)
            .appendLong(200 + r.nextInt(120_000));
      }
      case APP_SESSION ->
          out.append(PLATFORM_FIRST)
              .append(oneOf(PLATFORMS, r))
              .append(DURATION_SEC)
              .appendLong(5 + r.nextInt(1800))
              .append(SCREENS)
              .appendLong(1 + r.nextInt(30));
      case PURCHASE ->
          out.append(AMOUNT)
              .appendCents(purchaseCents(r))
              .append(CURRENCY_EUR)
              .append(ORDER_ID)
              .append(orderIdPrefix)
              .appendLong(sequence)
              .append((byte) '"')
              .append(ITEMS)
              .appendLong(1 + r.nextInt(6));
      case SUPPORT_CONTACT ->
          out.append(REASON)
              .append(oneOf(SUPPORT_REASONS, r))
              .append(VIA)
              .append(oneOf(SUPPORT_CHANNELS, r));
    }
  }

  /** A purchase amount in cents: log-normal around 45.00, clamped to 1.00..5,000.00. */
  static long purchaseCents(FastRandom r) {
    long cents = Math.round(Math.exp(LOG_MEDIAN_CENTS + LOG_SIGMA * r.nextGaussian()));
    return Math.max(MIN_CENTS, Math.min(MAX_CENTS, cents));
  }

  private static byte[] oneOf(byte[][] choices, FastRandom r) {
    return choices[r.nextInt(choices.length)];
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[][] quoted(String... values) {
    byte[][] encoded = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      encoded[i] = ascii('"' + values[i] + '"');
    }
    return encoded;
  }
}

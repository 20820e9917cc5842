package io.pulse.loadtest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A tiny in-process imitation of {@code POST /v1/events}: like Pulse, it answers a request without
 * a known key {@code 401} and one whose key lacks the scope {@code 403}; it answers every {@code
 * throttleEvery}-th request with a 429 and every {@code overloadEvery}-th with a 503, both with a
 * Retry-After and storing nothing; it validates each event and remembers event ids per user to
 * report duplicates.
 */
final class StubPulseServer implements AutoCloseable {
  static final String REJECTION = "support contacts are not scored by this stub";
  static final String KEY_REQUIRED = "an API key is required: send 'Authorization: Bearer <key>'";
  static final String KEY_UNKNOWN = "the API key is unknown or revoked";
  static final String SCOPE_MISSING = "this key lacks the scope 'events:write'";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Set<String> keys;
  private final int overloadEvery;
  private final boolean rejectSupportContacts;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Set<String> keysWithoutScope = ConcurrentHashMap.newKeySet();
  private volatile int throttleEvery;
  private volatile int throttleRetryAfterSeconds;
  private volatile long holdFirstAnswersNanos;
  private final AtomicLong firstArrivalNanos = new AtomicLong();

  /** Requests that passed the key checks. */
  final AtomicLong requests = new AtomicLong();

  final AtomicLong unauthenticated = new AtomicLong();
  final AtomicLong forbidden = new AtomicLong();
  final AtomicLong throttled = new AtomicLong();
  final Map<String, LongAdder> requestsByKey = new ConcurrentHashMap<>();

  /** When each request that passed the key checks arrived, and whether it was throttled. */
  final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());

  final AtomicLong overloaded = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong malformedEvents = new AtomicLong();
  final Map<Integer, LongAdder> batchSizes = new ConcurrentHashMap<>();

  record Arrival(long nanos, boolean throttled) {}

  /**
   * @param keys the keys with the scope events:write; a request must carry one of them
   */
  StubPulseServer(Set<String> keys, int overloadEvery, boolean rejectSupportContacts)
      throws IOException {
    // Without it the JDK server's separate header and body writes meet delayed ACKs: 40 ms answers.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.keys = Set.copyOf(keys);
    this.overloadEvery = overloadEvery;
    this.rejectSupportContacts = rejectSupportContacts;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    server.createContext("/v1/events", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Known, but without the scope to send events: answered 403. */
  StubPulseServer withKeyWithoutScope(String key) {
    keysWithoutScope.add(key);
    return this;
  }

  /** Answers every {@code every}-th request 429 with {@code Retry-After: retryAfterSeconds}. */
  StubPulseServer throttling(int every, int retryAfterSeconds) {
    this.throttleRetryAfterSeconds = retryAfterSeconds;
    this.throttleEvery = every;
    return this;
  }

  /**
   * Holds every answer until {@code millis} after the first request arrived, as a node that
   * acknowledges nothing at first would.
   */
  StubPulseServer holdingFirstAnswers(long millis) {
    this.holdFirstAnswersNanos = millis * 1_000_000;
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void holdIfAsked() {
    long hold = holdFirstAnswersNanos;
    if (hold <= 0) {
      return;
    }
    firstArrivalNanos.compareAndSet(0, System.nanoTime());
    long left = firstArrivalNanos.get() + hold - System.nanoTime();
    if (left > 0) {
      try {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        respond(exchange, 405, "application/problem+json", problem(405, "POST only"));
        return;
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String key =
          authorization != null && authorization.startsWith("Bearer ")
              ? authorization.substring("Bearer ".length())
              : null;
      if (key == null || !keys.contains(key) && !keysWithoutScope.contains(key)) {
        unauthenticated.incrementAndGet();
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"pulse\"");
        respond(
            exchange,
            401,
            "application/problem+json",
            problem(401, key == null ? KEY_REQUIRED : KEY_UNKNOWN));
        return;
      }
      if (!keys.contains(key)) {
        forbidden.incrementAndGet();
        respond(exchange, 403, "application/problem+json", problem(403, SCOPE_MISSING));
        return;
      }
      requestsByKey.computeIfAbsent(key, k -> new LongAdder()).increment();
      JsonNode events = json.readTree(body);
      if (!events.isArray()) {
        respond(exchange, 400, "application/problem+json", problem(400, "expected an array"));
        return;
      }
      long n = requests.incrementAndGet();
      holdIfAsked();
      batchSizes.computeIfAbsent(events.size(), k -> new LongAdder()).increment();
      int every = throttleEvery;
      boolean throttle = every > 0 && n % every == 0;
      arrivals.add(new Arrival(System.nanoTime(), throttle));
      if (throttle) {
        throttled.incrementAndGet();
        exchange
            .getResponseHeaders()
            .add("Retry-After", Integer.toString(throttleRetryAfterSeconds));
        exchange.getResponseHeaders().add("RateLimit-Limit", "100");
        exchange.getResponseHeaders().add("RateLimit-Remaining", "0");
        exchange.getResponseHeaders().add("RateLimit-Reset", "1");
        respond(exchange, 429, "application/problem+json", problem(429, "stub rate limit"));
        return;
      }
      if (overloadEvery > 0 && n % overloadEvery == 0) {
        overloaded.incrementAndGet();
        exchange.getResponseHeaders().add("Retry-After", "1");
        respond(exchange, 503, "application/problem+json", problem(503, "stub overload"));
        return;
      }
      long acceptedHere = 0;
      long duplicatesHere = 0;
      ArrayNode rejections = json.createArrayNode();
      for (int i = 0; i < events.size(); i++) {
        JsonNode event = events.get(i);
        if (!wellFormed(event)) {
          malformedEvents.incrementAndGet();
          rejections.addObject().put("index", i).put("error", "malformed event");
        } else if (rejectSupportContacts && event.get("type").asText().equals("support_contact")) {
          rejections.addObject().put("index", i).put("error", REJECTION);
        } else if (seen.add(
            event.get("userId").asText() + '\u0000' + event.get("eventId").asText())) {
          acceptedHere++;
        } else {
          duplicatesHere++;
        }
      }
      accepted.addAndGet(acceptedHere);
      duplicates.addAndGet(duplicatesHere);
      rejected.addAndGet(rejections.size());
      ObjectNode answer = json.createObjectNode();
      answer
          .put("accepted", acceptedHere)
          .put("duplicates", duplicatesHere)
          .set("rejected", rejections);
      respond(exchange, 202, "application/json", json.writeValueAsBytes(answer));
    }
  }

  private static boolean wellFormed(JsonNode event) {
    if (!event.isObject()) {
      return false;
    }
    for (String field : new String[] {"eventId", "userId", "type", "channel", "timestamp"}) {
      if (!event.path(field).isTextual() || event.get(field).asText().isEmpty()) {
        return false;
      }
    }
    try {
      Instant.parse(event.get("timestamp").asText());
    } catch (RuntimeException e) {
      return false;
    }
    return event.path("properties").isObject();
  }

  private byte[] problem(int status, String detail) throws IOException {
    ObjectNode problem = json.createObjectNode();
    problem.put("type", "about:blank").put("title", "stub problem").put("status", status);
    problem.put("detail", detail);
    return json.writeValueAsBytes(problem);
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  long requestsWithBatchSizeOtherThan(int size) {
    long other = 0;
    for (Map.Entry<Integer, LongAdder> entry : batchSizes.entrySet()) {
      if (entry.getKey() != size) {
        other += entry.getValue().sum();
      }
    }
    return other;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A tiny in-process imitation of {@code POST /v1/events}: validates each event, remembers event ids
 * per user to report duplicates, and answers every {@code overloadEvery}-th request with a 503 and
 * a Retry-After, storing nothing.
 */
final class StubPulseServer implements AutoCloseable {
  static final String REJECTION = "support contacts are not scored by this stub";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final int overloadEvery;
  private final boolean rejectSupportContacts;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  final AtomicLong requests = new AtomicLong();
  final AtomicLong overloaded = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong malformedEvents = new AtomicLong();
  final Map<Integer, LongAdder> batchSizes = new ConcurrentHashMap<>();

  StubPulseServer(int overloadEvery, boolean rejectSupportContacts) throws IOException {
    // Without it the JDK server's separate header and body writes meet delayed ACKs: 40 ms answers.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.overloadEvery = overloadEvery;
    this.rejectSupportContacts = rejectSupportContacts;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    server.createContext("/v1/events", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
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
      JsonNode events = json.readTree(body);
      if (!events.isArray()) {
        respond(exchange, 400, "application/problem+json", problem(400, "expected an array"));
        return;
      }
      long n = requests.incrementAndGet();
      batchSizes.computeIfAbsent(events.size(), k -> new LongAdder()).increment();
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

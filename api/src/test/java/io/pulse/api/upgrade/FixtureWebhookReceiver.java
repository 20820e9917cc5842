package io.pulse.api.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook receiver of the fixture's subscriptions, on loopback: acknowledges every delivery,
 * except that it refuses, with a final {@code 400}, the transitions of the users named for one
 * subscription, so that they become dead letters.
 */
final class FixtureWebhookReceiver implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private volatile String refusingSubscription = "";
  private volatile Set<String> refusedUsers = Set.of();

  FixtureWebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/pulse";
  }

  /** From now on, refuses the deliveries of {@code subscription} about {@code users}. */
  void refuse(String subscription, Set<String> users) {
    refusingSubscription = subscription;
    refusedUsers = Set.copyOf(users);
  }

  /** Deliveries received for {@code subscription}, acknowledged or not. */
  int received(String subscription) {
    AtomicInteger count = received.get(subscription);
    return count == null ? 0 : count.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    JsonNode event;
    try (InputStream in = exchange.getRequestBody()) {
      event = MAPPER.readTree(in.readAllBytes());
    }
    String subscription = exchange.getRequestHeaders().getFirst("Pulse-Subscription");
    received
        .computeIfAbsent(String.valueOf(subscription), id -> new AtomicInteger())
        .incrementAndGet();
    boolean refused =
        refusingSubscription.equals(subscription)
            && refusedUsers.contains(event.path("data").path("userId").asText());
    exchange.sendResponseHeaders(refused ? 400 : 204, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

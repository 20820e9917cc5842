package io.pulse.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback for tests: records every request it gets, and answers as its
 * current {@link Behaviour} says. It can be stopped and started again on the same port.
 */
final class WebhookReceiver implements AutoCloseable {

  /** How to answer the request numbered {@code index} (from 0, over the receiver's lifetime). */
  interface Behaviour {
    Answer answer(int index);
  }

  /** A status, sent after {@code delayMillis}. */
  record Answer(int status, long delayMillis) {}

  static Behaviour always(int status) {
    return index -> new Answer(status, 0);
  }

  /** One request as received: times in {@link System#nanoTime()}. */
  record Request(
      long receivedNanos,
      long answeredNanos,
      int status,
      String signature,
      int attempt,
      String subscription,
      String contentType,
      byte[] body) {

    JsonNode json() {
      try {
        return HttpJson.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String eventId() {
      return json().get("id").asText();
    }

    boolean succeeded() {
      return status >= 200 && status < 300;
    }
  }

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private volatile Behaviour behaviour;
  private final String host;
  private int port;
  private HttpServer server;

  WebhookReceiver(Behaviour behaviour) {
    this("127.0.0.1", behaviour);
  }

  /** A receiver listening on {@code host}, a loopback address. */
  WebhookReceiver(String host, Behaviour behaviour) {
    this.host = host;
    this.behaviour = behaviour;
    start();
  }

  int port() {
    return port;
  }

  void behave(Behaviour next) {
    this.behaviour = next;
  }

  String url() {
    return "http://" + host + ":" + port + "/hooks/pulse";
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> delivered() {
    return requests.stream().filter(Request::succeeded).toList();
  }

  /** Starts listening, on the same port as before once it has had one. */
  synchronized void start() {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try {
        server = HttpServer.create(new InetSocketAddress(host, port), 50);
        break;
      } catch (BindException stillInUse) {
        if (System.nanoTime() > deadline) {
          throw new UncheckedIOException(stillInUse);
        }
        sleep(50);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    port = server.getAddress().getPort();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Stops listening at once; connections are refused until {@link #start()}. */
  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    long received = System.nanoTime();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Answer answer = behaviour.answer(count.getAndIncrement());
    if (answer.delayMillis() > 0) {
      sleep(answer.delayMillis());
    }
    String attempt = exchange.getRequestHeaders().getFirst("Pulse-Delivery-Attempt");
    // Taken before answering, so that no request this answer lets through can seem to come first.
    long answered = System.nanoTime();
    try {
      exchange.sendResponseHeaders(answer.status(), -1);
    } finally {
      exchange.close();
      requests.add(
          new Request(
              received,
              answered,
              answer.status(),
              exchange.getRequestHeaders().getFirst("Pulse-Signature"),
              attempt == null ? -1 : Integer.parseInt(attempt),
              exchange.getRequestHeaders().getFirst("Pulse-Subscription"),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stop();
    executor.shutdownNow();
  }
}

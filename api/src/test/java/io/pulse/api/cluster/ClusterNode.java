package io.pulse.api.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.api.Main;
import io.pulse.persistence.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One node of a local cluster in its own JVM, started as an operator starts it from
 * local-cluster.conf with its own HTTP, remoting and management ports, so that tests can kill it
 * (SIGKILL) or stop it (SIGTERM) for real.
 */
final class ClusterNode implements AutoCloseable {

  /** The admin key every node of the test cluster is started with. */
  static final String ADMIN_KEY = "pulse_test-cluster-admin-key-0123456789";

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final String name;
  private final TestDatabase database;
  private final int httpPort = freePort();
  private final int remotePort = freePort();
  private final int managementPort = freePort();
  private final Path log;
  private List<String> seedNodes = List.of();
  private Process process;

  ClusterNode(String name, TestDatabase database, Path logDirectory) {
    this.name = name;
    this.database = database;
    this.log = logDirectory.resolve(name + ".log");
  }

  String name() {
    return name;
  }

  /** This node's cluster address, as seed node lists name it. */
  String address() {
    return "pekko://pulse@127.0.0.1:" + remotePort;
  }

  int httpPort() {
    return httpPort;
  }

  ClusterNode seedNodes(String first, String second) {
    this.seedNodes = List.of(first, second);
    return this;
  }

  /** Starts the JVM and returns at once; see {@link #awaitAlive} and {@link #awaitReady}. */
  void start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dconfig.resource=local-cluster.conf");
    // The server's own logging (INFO) rather than the tests' (WARN): cluster events are the point.
    command.add("-Dlogback.configurationFile=logback.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(variable -> variable.startsWith("PULSE_"));
    environment.put("PULSE_HTTP_HOST", "127.0.0.1");
    environment.put("PULSE_HTTP_PORT", Integer.toString(httpPort));
    environment.put("PULSE_ADMIN_KEY", ADMIN_KEY);
    environment.put("PULSE_REMOTE_HOST", "127.0.0.1");
    environment.put("PULSE_REMOTE_PORT", Integer.toString(remotePort));
    environment.put("PULSE_MANAGEMENT_PORT", Integer.toString(managementPort));
    environment.put("PULSE_SEED_NODE_1", seedNodes.get(0));
    environment.put("PULSE_SEED_NODE_2", seedNodes.get(1));
    // Every node of a cluster needs the same key for webhook secrets.
    environment.put("PULSE_SECRET_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    environment.put("PULSE_DB_URL", database.jdbcUrl());
    environment.put("PULSE_DB_USER", database.user());
    environment.put("PULSE_DB_PASSWORD", database.password());
    environment.put("PULSE_DB_MIGRATE", "validate");
    environment.put("PULSE_DB_POOL_SIZE", "4");
    environment.put("PULSE_JOURNAL_PARALLELISM", "4");
    // A request whose user sits on a node that died answers 503 soon; the client retries.
    environment.put("PULSE_INGEST_TIMEOUT", "4s");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no leaving, nothing. */
  void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** SIGTERM, as an orchestrator sends it; returns at once. */
  void terminate() {
    process.destroy();
  }

  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " did not exit within " + timeout + "\n" + logTail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void awaitAlive(Duration timeout) {
    await(timeout, "alive", () -> status("/health/alive") == 200);
  }

  void awaitReady(Duration timeout) {
    await(timeout, "ready", () -> status("/health/ready") == 200);
  }

  /** An answer to a GET: status 0 when the node did not answer. */
  record Answer(int status, String contentType, String body) {}

  /** The HTTP status of a GET, or 0 when the node does not answer. */
  int status(String path) {
    return get(httpPort, path).status();
  }

  int managementStatus(String path) {
    return get(managementPort, path).status();
  }

  JsonNode readiness() {
    return json(get(httpPort, "/health/ready"));
  }

  /** The cluster as this node sees it, from Pekko Management's {@code /cluster/members}. */
  JsonNode members() {
    return json(get(managementPort, "/cluster/members"));
  }

  /** This node's {@code /metrics}, parsed. */
  PrometheusText metrics() {
    Answer response = get(httpPort, "/metrics");
    if (response.status() != 200) {
      throw new AssertionError(name + " /metrics answered " + response.status());
    }
    if (!response.contentType().startsWith("text/plain")) {
      throw new AssertionError(name + " /metrics content type " + response.contentType());
    }
    return PrometheusText.parse(response.body());
  }

  Answer get(String path) {
    return get(httpPort, path);
  }

  HttpResponse<String> post(String path, String body, Duration timeout) throws IOException {
    try {
      return CLIENT.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
              .timeout(timeout)
              .header("Authorization", "Bearer " + ADMIN_KEY)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return "--- "
          + name
          + " log (last 60 lines) ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log of " + name + ": " + e.getMessage() + ")";
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  private void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!isRunning()) {
        throw new AssertionError(name + " exited before it was " + what + "\n" + logTail());
      }
      if (condition.getAsBoolean()) {
        return;
      }
      sleep(Duration.ofMillis(250));
    }
    throw new AssertionError(name + " not " + what + " within " + timeout + "\n" + logTail());
  }

  private static Answer get(int port, String path) {
    try {
      HttpResponse<String> response =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + ADMIN_KEY)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      return new Answer(0, "", "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(Answer response) {
    try {
      return MAPPER.readTree(response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A port below the kernel's ephemeral range (32768 and up on Linux), free now. A port the kernel
   * hands out for port 0 lies in that range, where an outgoing connection of any process may take
   * it before the node, started many seconds later, binds it; below it only a listener can.
   */
  private static int freePort() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = NEXT_PORT.getAndUpdate(p -> p + 1 >= LAST_PORT ? FIRST_PORT : p + 1);
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // in use: the next one
      }
    }
    throw new UncheckedIOException(
        new IOException("no free port in " + FIRST_PORT + "-" + LAST_PORT));
  }

  private static final int FIRST_PORT = 20_000;
  private static final int LAST_PORT = 32_000;
  private static final AtomicInteger NEXT_PORT =
      new AtomicInteger(FIRST_PORT + ThreadLocalRandom.current().nextInt(LAST_PORT - FIRST_PORT));

  @Override
  public void close() {
    if (isRunning()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + "(http " + httpPort + ", " + address() + ")";
  }
}

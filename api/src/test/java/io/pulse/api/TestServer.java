package io.pulse.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A Pulse node in the test JVM on a throwaway database, restartable on the same database. */
final class TestServer implements AutoCloseable {

  private final TestDatabase database;
  private final Clock clock;
  private final Map<String, Object> overrides;
  private PulseServer server;
  private HttpJson http;

  TestServer(TestDatabase database, Clock clock, Map<String, Object> overrides) {
    this.database = database;
    this.clock = clock;
    this.overrides = new HashMap<>(overrides);
    start();
  }

  void start() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("pulse.http.host", "127.0.0.1");
    settings.put("pulse.http.port", 0);
    // Stopping a node in a test must not end the test JVM.
    settings.put("pekko.coordinated-shutdown.exit-jvm", "off");
    settings.putAll(overrides);
    Config config =
        ConfigFactory.parseMap(settings)
            .withFallback(database.pulseSettings())
            .withFallback(ConfigFactory.load());
    server = PulseServer.start(config, clock);
    http = new HttpJson(server.port());
    awaitReady();
  }

  void restart() {
    stop();
    start();
  }

  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(30));
      server = null;
    }
  }

  HttpJson http() {
    return http;
  }

  int port() {
    return server.port();
  }

  /** The running node's actor system, for tests that read the journal directly. */
  org.apache.pekko.actor.typed.ActorSystem<Void> system() {
    return server.system();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (http.get("/health/ready").status() == 200) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("server did not become ready: " + http.get("/health/ready"));
  }

  @Override
  public void close() {
    stop();
  }
}

package io.pulse.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pulse.api.webhook.SystemHostResolver;
import io.pulse.engine.domain.subscription.HostResolver;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A Pulse node in the test JVM on a throwaway database, restartable on the same database. */
public final class TestServer implements AutoCloseable {

  private final TestDatabase database;
  private final Clock clock;
  private final Map<String, Object> overrides;
  private final HostResolver resolver;
  private PulseServer server;
  private HttpJson http;

  /** A test key: the data directory of a PostgreSQL test is no place for a generated one. */
  static final String SECRET_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  public TestServer(TestDatabase database, Clock clock, Map<String, Object> overrides) {
    this(database, clock, overrides, new SystemHostResolver());
  }

  /** A node whose webhook host names are resolved by {@code resolver}. */
  TestServer(
      TestDatabase database, Clock clock, Map<String, Object> overrides, HostResolver resolver) {
    this.database = database;
    this.clock = clock;
    this.overrides = new HashMap<>(overrides);
    this.resolver = resolver;
    start();
  }

  public void start() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("pulse.http.host", "127.0.0.1");
    settings.put("pulse.http.port", 0);
    settings.put("pulse.access.admin-key", HttpJson.ADMIN_KEY);
    // Stopping a node in a test must not end the test JVM.
    settings.put("pekko.coordinated-shutdown.exit-jvm", "off");
    settings.put("pulse.secret-key", SECRET_KEY);
    settings.putAll(overrides);
    Config config =
        ConfigFactory.parseMap(settings)
            .withFallback(database.pulseSettings())
            .withFallback(ConfigFactory.load());
    server = PulseServer.start(config, clock, resolver);
    http = new HttpJson(server.port());
    awaitReady();
  }

  public void restart() {
    stop();
    start();
  }

  public void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(30));
      server = null;
    }
  }

  public HttpJson http() {
    return http;
  }

  /** Every route of the running node, from its route table. */
  java.util.List<io.pulse.api.http.Endpoint> endpoints() {
    return server.endpoints();
  }

  public int port() {
    return server.port();
  }

  /** The running node's actor system, for tests that read the journal directly. */
  public org.apache.pekko.actor.typed.ActorSystem<Void> system() {
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

package io.pulse.api;

import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.H2TestDatabase;
import io.pulse.persistence.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Pulse server in its own JVM, as an operator runs it, so that tests can kill it for real. */
final class ServerProcess implements AutoCloseable {

  private final TestDatabase database;
  private final int port;
  private final Path log;
  private Process process;

  ServerProcess(TestDatabase database) {
    this.database = database;
    this.port = freePort();
    try {
      this.log = Files.createTempFile("pulse-server-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("PULSE_"));
    environment.put("PULSE_HTTP_HOST", "127.0.0.1");
    environment.put("PULSE_HTTP_PORT", Integer.toString(port));
    environment.put("PULSE_ADMIN_KEY", HttpJson.ADMIN_KEY);
    if (database.kind() == DatabaseKind.H2) {
      environment.put("PULSE_DATA_DIR", ((H2TestDatabase) database).dataDirectory().toString());
    } else {
      // Without a data directory of the test's own, the key is given rather than generated.
      environment.put("PULSE_SECRET_KEY", TestServer.SECRET_KEY);
      environment.put("PULSE_DB_URL", database.jdbcUrl());
      environment.put("PULSE_DB_USER", database.user());
      environment.put("PULSE_DB_PASSWORD", database.password());
    }
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady(Duration.ofSeconds(90));
  }

  HttpJson http() {
    return new HttpJson(port);
  }

  /** SIGKILL: no shutdown hook, no flush, nothing. */
  void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGTERM: the coordinated shutdown an orchestrator triggers. */
  void terminate() {
    process.destroy();
    awaitExit();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("server did not exit\n" + log());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady(Duration timeout) {
    HttpJson http = http();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited during start\n" + log());
      }
      try {
        if (http.get("/health/ready").status() == 200) {
          return;
        }
      } catch (UncheckedIOException notYetListening) {
        // keep polling until the port opens
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("server not ready within " + timeout + "\n" + log());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      awaitExit();
    }
    new File(log.toString()).delete();
  }
}

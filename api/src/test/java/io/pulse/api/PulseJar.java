package io.pulse.api;

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

/**
 * The shaded jar in its own JVM, run as the README runs it ({@code java -jar api/target/pulse.jar
 * [migrate]}), with only the environment a test gives it. The build passes the jar's path in the
 * system property {@code pulse.jar}, so this works in integration tests, after {@code package}.
 */
final class PulseJar implements AutoCloseable {

  private final Path workingDirectory;
  private final List<String> javaOptions;
  private final Map<String, String> environment;
  private final List<String> arguments;
  private final Path log;
  private Process process;

  private PulseJar(
      Path workingDirectory,
      List<String> javaOptions,
      Map<String, String> environment,
      List<String> arguments) {
    this.workingDirectory = workingDirectory;
    this.javaOptions = javaOptions;
    this.environment = environment;
    this.arguments = arguments;
    try {
      this.log = Files.createTempFile("pulse-jar-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code java [javaOptions] -jar pulse.jar [arguments]} and returns at once. */
  static PulseJar start(
      Path workingDirectory,
      List<String> javaOptions,
      Map<String, String> environment,
      String... arguments) {
    PulseJar jar = new PulseJar(workingDirectory, javaOptions, environment, List.of(arguments));
    jar.start();
    return jar;
  }

  /** The shaded jar this build made. */
  static Path path() {
    String property = System.getProperty("pulse.jar");
    if (property == null) {
      throw new IllegalStateException(
          "System property pulse.jar is not set: run this as an integration test (mvn verify)");
    }
    Path jar = Path.of(property).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " does not exist: package the api module first");
    }
    return jar;
  }

  /** The project's root, where the README's commands run. */
  static Path projectRoot() {
    return path().getParent().getParent().getParent();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:+UseSerialGC");
    command.addAll(javaOptions);
    command.add("-jar");
    Path jar = path();
    command.add(
        jar.startsWith(workingDirectory)
            ? workingDirectory.relativize(jar).toString()
            : jar.toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("PULSE_"));
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to end by itself; returns its exit status. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("still running after " + timeout + "\n" + log());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until {@code /health/ready} on {@code port} answers 200. */
  void awaitReady(int port, Duration timeout) {
    HttpJson http = new HttpJson(port);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("exited with " + process.exitValue() + " during start\n" + log());
      }
      try {
        if (http.get("/health/ready").status() == 200) {
          return;
        }
      } catch (UncheckedIOException notYetListening) {
        // keep polling until the port opens
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("not ready within " + timeout + "\n" + log());
  }

  /** SIGTERM, then waits for the coordinated shutdown to end the JVM. */
  void terminate() {
    process.destroy();
    awaitExit(Duration.ofSeconds(60));
  }

  /** Everything the process wrote, standard output and error together. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

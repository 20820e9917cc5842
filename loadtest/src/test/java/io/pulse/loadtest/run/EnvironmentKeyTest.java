package io.pulse.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.loadtest.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command in its own JVM, as the bench scripts run it, with the key in PULSE_KEY. */
class EnvironmentKeyTest {
  private static final String KEY = "pulse_environment_key_000000000000";

  @Test
  void pulseKeyIsTheKeyWhenNoOptionNamesOne() throws Exception {
    try (StubPulseServer stub = new StubPulseServer(Set.of(KEY), 0, false)) {
      Result run = run(KEY, "--url=" + stub.url());

      assertEquals(0, run.exit(), run.output());
      assertTrue(stub.requestsByKey.get(KEY).sum() > 0, run.output());
      assertEquals(0, stub.unauthenticated.get());
      assertTrue(run.output().contains("with 1 API key"), run.output());
    }
  }

  @Test
  void anEmptyPulseKeyIsNoKeyAndTheServerSaysSo() throws Exception {
    try (StubPulseServer stub = new StubPulseServer(Set.of(KEY), 0, false)) {
      Result run = run("", "--url=" + stub.url());

      assertEquals(4, run.exit(), run.output());
      assertTrue(run.output().contains("with no API key"), run.output());
      assertTrue(run.output().contains("PULSE_KEY"), run.output());
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(String environmentKey, String url) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            url,
            "--connections=1",
            "--warmup=0",
            "--duration=0.5",
            "--progress=0");
    builder.environment().put("PULSE_KEY", environmentKey);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the command did not finish");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}

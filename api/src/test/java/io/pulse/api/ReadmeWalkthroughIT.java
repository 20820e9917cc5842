package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README is literally true for a newcomer: the shaded jar started as the quick start starts it
 * (no PULSE_ADMIN_KEY, in a fresh directory, so it writes its key to ./data/admin.key), then the
 * walkthrough's shell blocks run with bash exactly as written, only the port changed, and every
 * curl answers with the status and the fields the README shows under it.
 */
class ReadmeWalkthroughIT {

  private static final String STATUS_MARK = "@@readme-status@@";
  private static final Pattern ANSWERS =
      Pattern.compile("(?s)(.*?)\\n?" + STATUS_MARK + " (\\d{3})\\n");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theWalkthroughAnswersAsTheReadmeShows(@TempDir Path directory) throws Exception {
    String section =
        ReadmeWalkthrough.section(Files.readString(PulseJar.projectRoot().resolve("README.md")));
    List<ReadmeWalkthrough.Step> steps = ReadmeWalkthrough.steps(section);
    int port = PulseJar.freePort();
    try (PulseJar server =
        PulseJar.start(
            directory,
            List.of(),
            Map.of("PULSE_HTTP_PORT", Integer.toString(port), "PULSE_HTTP_HOST", "127.0.0.1"))) {
      server.awaitReady(port, Duration.ofSeconds(120));
      String startLog = server.log();
      assertTrue(
          startLog.contains(" INFO  "),
          "the server logs through Logback, as logback.xml formats it\n" + startLog);
      assertFalse(startLog.contains("SLF4J("), "SLF4J has nothing to say\n" + startLog);
      assertTrue(
          startLog.contains(
              "Logging with the context adapter io.pulse.api.logging.ReusableMdcAdapter"),
          "the server chose its own logging provider\n" + startLog);

      Path keyFile = directory.resolve("data/admin.key");
      assertTrue(Files.isRegularFile(keyFile), "the server wrote its key to ./data/admin.key");
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));

      String script =
          ReadmeWalkthrough.script(section).replace("localhost:8080", "localhost:" + port);
      List<Answer> answers = run(script, directory);

      assertEquals(steps.size(), answers.size(), "one answer per curl command:\n" + answers);
      List<String> differences = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        ReadmeWalkthrough.Step step = steps.get(i);
        Answer answer = answers.get(i);
        boolean statusAsShown =
            step.status() == 0 ? answer.status() / 100 == 2 : answer.status() == step.status();
        if (!statusAsShown) {
          differences.add(step.command() + "\n  status " + answer.status() + ": " + answer.body());
          continue;
        }
        ElidedJson shown = step.shownBody();
        if (shown != null) {
          JsonNode body = JSON.readTree(answer.body());
          shown
              .differences(body)
              .forEach(difference -> differences.add(step.command() + "\n  " + difference));
        }
      }
      assertEquals(List.of(), differences, "the README shows other answers\n" + server.log());
    }
  }

  private record Answer(int status, String body) {}

  /** Runs the script with bash; curl's configuration marks the end of each answer. */
  private static List<Answer> run(String script, Path directory) throws Exception {
    Path home = Files.createDirectories(directory.resolve("home"));
    Files.writeString(
        home.resolve(".curlrc"), "write-out = \"\\n" + STATUS_MARK + " %{http_code}\\n\"\n");
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(directory.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.startsWith("PULSE_") || name.startsWith("CURL_"));
    builder.environment().put("HOME", home.toString());
    builder.environment().put("CURL_HOME", home.toString());
    builder.redirectErrorStream(true);
    Process bash = builder.start();
    bash.getOutputStream().close();
    byte[] output = bash.getInputStream().readAllBytes();
    if (!bash.waitFor(60, TimeUnit.SECONDS)) {
      bash.destroyForcibly();
      throw new AssertionError("the walkthrough did not finish");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    List<Answer> answers = new ArrayList<>();
    Matcher answer = ANSWERS.matcher(text);
    int end = 0;
    while (answer.find()) {
      answers.add(new Answer(Integer.parseInt(answer.group(2)), answer.group(1)));
      end = answer.end();
    }
    assertEquals("", text.substring(end).strip(), "output after the last answer");
    assertEquals(0, bash.exitValue(), text);
    return answers;
  }
}

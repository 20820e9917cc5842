package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every curl command that the README and the docs show against the API sends a key. */
class DocumentedRequestsTest {

  private static final Path ROOT =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..").normalize();
  private static final Pattern SHELL_BLOCK = Pattern.compile("(?s)```sh\\n(.*?)```");
  private static final String KEY_HEADER = "-H \"Authorization: Bearer $KEY\"";

  @Test
  void everyRequestToTheApiCarriesAKey() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    documents.add(ROOT.resolve("loadtest/README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(file -> file.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    List<String> withoutKey = new ArrayList<>();
    int requests = 0;
    for (Path document : documents) {
      for (String command : curlCommands(Files.readString(document))) {
        if (command.contains("/v1/") || command.contains("/metrics")) {
          requests++;
          if (!command.contains("Authorization: Bearer ")) {
            withoutKey.add(ROOT.relativize(document) + ": " + command);
          }
        }
      }
    }
    assertTrue(requests >= 20, "requests found: " + requests);
    assertEquals(List.of(), withoutKey);
  }

  @Test
  void theReadmeWalkthroughSendsTheKeyItReadsFromTheDataDirectory() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String walkthrough = ReadmeWalkthrough.section(readme);
    assertTrue(walkthrough.contains("KEY=$(cat data/admin.key)"), walkthrough);
    List<String> commands = curlCommands(walkthrough);
    assertTrue(commands.size() >= 8, "curl commands: " + commands.size());
    commands.forEach(command -> assertTrue(command.contains(KEY_HEADER), command));
  }

  /** Each curl command of the shell blocks, its continuation lines included, comments left out. */
  static List<String> curlCommands(String markdown) {
    List<String> commands = new ArrayList<>();
    Matcher block = SHELL_BLOCK.matcher(markdown);
    while (block.find()) {
      StringBuilder current = null;
      for (String line : block.group(1).split("\n")) {
        if (line.startsWith("curl ")) {
          if (current != null) {
            commands.add(current.toString());
          }
          current = new StringBuilder(line);
        } else if (current != null && !line.startsWith("#")) {
          current.append('\n').append(line);
        }
      }
      if (current != null) {
        commands.add(current.toString());
      }
    }
    return commands;
  }
}

package io.pulse.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/local-cluster.sh} run for real, with stand-ins for {@code java} (which records the
 * keys each node was started with, then waits like a server), {@code curl} (every node ready) and
 * {@code psql} (the database exists): every node gets the same admin and sealing keys.
 */
class LocalClusterScriptTest {

  private static final Path SCRIPT =
      Path.of(System.getProperty("basedir", "."), "bin", "local-cluster.sh").toAbsolutePath();

  @TempDir Path temp;
  private Path runDir;
  private Path nodes;
  private Path bin;

  @BeforeEach
  void standIns() throws IOException {
    runDir = temp.resolve("run");
    nodes = Files.createDirectories(temp.resolve("nodes"));
    bin = Files.createDirectories(temp.resolve("bin"));
    executable(
        "java",
        "printf '%s' \"${PULSE_ADMIN_KEY-unset}\" >\"$FAKE_NODES/admin-key-$PULSE_HTTP_PORT\"",
        "printf '%s' \"${PULSE_SECRET_KEY-unset}\" >\"$FAKE_NODES/secret-key-$PULSE_HTTP_PORT\"",
        "exec sleep 120");
    executable("curl", "printf 200");
    executable("psql", "echo 1");
    Files.writeString(temp.resolve("pulse.jar"), "not run: java is a stand-in");
  }

  @AfterEach
  void stopNodes() throws Exception {
    run(Map.of(), "stop", "2");
  }

  @Test
  void everyNodeGetsTheAdminKeyGeneratedOnceIntoTheRunDirectory() throws Exception {
    Result started = run(Map.of(), "start", "2");

    assertEquals(0, started.exit(), started.output());
    Path keyFile = runDir.resolve("admin.key");
    String key = Files.readString(keyFile).strip();
    assertTrue(key.length() >= 24 && key.matches("[!-~]+"), "a key the server accepts: " + key);
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    assertEquals(key, node("admin-key", 8081));
    assertEquals(key, node("admin-key", 8082));
    assertEquals(node("secret-key", 8081), node("secret-key", 8082));
    assertTrue(
        started.output().contains("admin key of tenant default: in " + keyFile), started.output());
    assertFalse(started.output().contains(key), "the key itself is not printed");

    run(Map.of(), "stop", "2");
    Result again = run(Map.of(), "start", "1");
    assertEquals(0, again.exit(), again.output());
    assertEquals(key, node("admin-key", 8081), "the same key on every start");
  }

  @Test
  void aGivenAdminKeyGoesToEveryNodeAndNoFileIsMade() throws Exception {
    String given = "operator_chosen_admin_key_0123456789";
    Result started = run(Map.of("PULSE_ADMIN_KEY", given), "start", "2");

    assertEquals(0, started.exit(), started.output());
    assertEquals(given, node("admin-key", 8081));
    assertEquals(given, node("admin-key", 8082));
    assertFalse(Files.exists(runDir.resolve("admin.key")));
    assertTrue(started.output().contains("the PULSE_ADMIN_KEY given"), started.output());
  }

  @Test
  void anAdminKeyTheNodesWouldRefuseStopsTheScriptBeforeAnyNodeStarts() throws Exception {
    Result refused = run(Map.of("PULSE_ADMIN_KEY", "too short"), "start", "2");

    assertNotEquals(0, refused.exit());
    assertTrue(refused.output().contains("at least 24 characters"), refused.output());
    try (var started = Files.list(nodes)) {
      assertEquals(0, started.count(), "no node was started");
    }
  }

  private String node(String what, int httpPort) throws IOException {
    return Files.readString(nodes.resolve(what + "-" + httpPort));
  }

  private void executable(String name, String... lines) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/usr/bin/env bash\n" + String.join("\n", lines) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
  }

  private record Result(int exit, String output) {}

  private Result run(Map<String, String> extra, String... arguments) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString());
    builder.command().addAll(java.util.List.of(arguments));
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("PULSE_"));
    environment.put("PATH", bin + ":" + environment.getOrDefault("PATH", "/usr/bin:/bin"));
    environment.put("PULSE_RUN_DIR", runDir.toString());
    environment.put("PULSE_JAR", temp.resolve("pulse.jar").toString());
    environment.put("FAKE_NODES", nodes.toString());
    environment.putAll(extra);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the script did not finish");
    }
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}

package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.persistence.testing.H2TestDatabase;
import io.pulse.persistence.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded database must keep every acknowledged write when the JVM is killed (OOM killer,
 * SIGKILL from an orchestrator); H2's default write delay loses the last half second of commits.
 */
class H2CrashDurabilityTest {

  private static final int ROWS = 200;

  @Test
  void everyCommittedRowSurvivesSigkillOfTheJvm() throws Exception {
    try (TestDatabase database = H2TestDatabase.create()) {
      Process child = startCommitLoop(database);
      try (BufferedReader output =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        String lastCommitted = null;
        while ((line = output.readLine()) != null) {
          lastCommitted = line;
          if (line.equals(String.valueOf(ROWS))) {
            break;
          }
        }
        assertEquals(String.valueOf(ROWS), lastCommitted, "child committed every row");
      } finally {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
      assertEquals(128 + 9, child.exitValue(), "the child was killed by SIGKILL");

      assertEquals(ROWS, JournalTables.number(database, "SELECT count(*) FROM commit_probe"));
    }
  }

  private static Process startCommitLoop(TestDatabase database) throws Exception {
    String classpath =
        String.join(
            File.pathSeparator,
            List.of(codeLocation(H2CommitLoop.class), codeLocation(org.h2.Driver.class)));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx64m",
            "-cp",
            classpath,
            H2CommitLoop.class.getName(),
            database.jdbcUrl(),
            database.user(),
            String.valueOf(ROWS))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static String codeLocation(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}

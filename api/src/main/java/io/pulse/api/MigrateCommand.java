package io.pulse.api;

import com.typesafe.config.Config;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.SchemaMigrationException;
import io.pulse.persistence.SchemaMigrations;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * {@code migrate}: applies the schema migrations with the node's {@code PULSE_DB_*} settings and
 * exits, so that an operator can migrate before starting (or upgrading) the nodes.
 */
final class MigrateCommand {

  static final String NAME = "migrate";

  /** The README's command, for a node that does not run from a jar (a build's classes). */
  private static final String README_INVOCATION = "java -jar api/target/pulse.jar " + NAME;

  private MigrateCommand() {}

  /** Migrates and prints the version reached; returns the process exit status. */
  static int run(Config loaded, PrintStream out, PrintStream err) {
    try {
      DatabaseSettings database = DatabaseSettings.from(DatabaseSettings.resolve(loaded));
      SchemaMigrations.Outcome outcome = SchemaMigrations.migrate(database);
      out.println("Pulse database at " + database.redactedUrl() + ": " + outcome);
      return 0;
    } catch (SchemaMigrationException | IllegalArgumentException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  /**
   * How to run this command for this installation: the jar the node runs from, as the operator
   * named it when it lies under the working directory.
   */
  static String invocation() {
    CodeSource source = Main.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return README_INVOCATION;
    }
    Path location;
    try {
      location = Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return README_INVOCATION;
    }
    if (!Files.isRegularFile(location) || !location.toString().endsWith(".jar")) {
      return README_INVOCATION;
    }
    Path workingDirectory = Path.of("").toAbsolutePath();
    Path shown =
        location.startsWith(workingDirectory) ? workingDirectory.relativize(location) : location;
    return "java -jar " + shown + " " + NAME;
  }
}

package io.pulse.api;

import com.typesafe.config.ConfigFactory;
import io.pulse.api.logging.PulseLoggingProvider;
import io.pulse.persistence.SchemaMigrationException;
import java.time.Clock;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Starts a Pulse node, or with {@code migrate} applies the schema migrations and exits;
 * configuration comes from application.conf and PULSE_* variables.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    PulseLoggingProvider.select(System.getProperties());
    AsyncContinuations.keepOnTheCommonPool(
        System.getProperties(), Runtime.getRuntime().availableProcessors());
    if (args.length == 1 && args[0].equals(MigrateCommand.NAME)) {
      System.exit(MigrateCommand.run(ConfigFactory.load(), System.out, System.err));
    }
    if (args.length > 0) {
      System.err.println(
          "usage: java -jar pulse.jar ["
              + MigrateCommand.NAME
              + "]; got "
              + String.join(" ", args));
      System.exit(2);
    }
    // Only a starting server names it: the migration's output and a usage error stay as they are.
    LoggerFactory.getLogger(Main.class)
        .info("Logging with the context adapter {}", MDC.getMDCAdapter().getClass().getName());
    try {
      PulseServer.start(ConfigFactory.load(), Clock.systemUTC());
    } catch (SchemaMigrationException e) {
      // A schema that is not there does not appear by retrying: one message, then stop.
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }
}

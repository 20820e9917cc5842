package io.pulse.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node in this JVM logs, under the server's own logging configuration ({@code logback.xml}
 * of the api module, as the jar ships it) instead of the tests' quieter one, kept in memory (at
 * most {@value #MAX_LINES} lines) until {@link #close()} puts the tests' configuration back.
 */
final class CapturedLog implements AutoCloseable {

  private static final int MAX_LINES = 100_000;

  /** One logged line. */
  record Line(Instant at, Level level, String logger, String message, boolean withStackTrace) {

    @Override
    public String toString() {
      return at
          + " "
          + level
          + " "
          + logger
          + " - "
          + message.lines().findFirst().orElse("")
          + (withStackTrace ? " [+trace]" : "");
    }
  }

  private final LoggerContext context;
  private final List<Line> lines = new ArrayList<>();

  private CapturedLog(LoggerContext context) {
    this.context = context;
  }

  /** Logs as the server configures it, capturing every line from now on. */
  static CapturedLog underTheServersConfiguration() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    configure(context, "/logback.xml");
    CapturedLog log = new CapturedLog(context);
    AppenderBase<ILoggingEvent> appender =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            log.add(
                new Line(
                    Instant.ofEpochMilli(event.getTimeStamp()),
                    event.getLevel(),
                    event.getLoggerName(),
                    event.getFormattedMessage(),
                    // Pekko's own logging writes the stack trace into the message.
                    event.getThrowableProxy() != null
                        || event.getFormattedMessage().contains("\n\tat ")));
          }
        };
    appender.setContext(context);
    appender.setName("captured");
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return log;
  }

  private synchronized void add(Line line) {
    if (lines.size() < MAX_LINES) {
      lines.add(line);
    }
  }

  /** The lines logged from {@code from} (inclusive) to {@code to} (exclusive). */
  synchronized List<Line> between(Instant from, Instant to) {
    return lines.stream()
        .filter(line -> !line.at().isBefore(from) && line.at().isBefore(to))
        .toList();
  }

  private static void configure(LoggerContext context, String resource) {
    URL configuration = CapturedLog.class.getResource(resource);
    if (configuration == null) {
      throw new IllegalStateException(resource + " is not on the class path");
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(configuration);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  @Override
  public void close() {
    configure(context, "/logback-test.xml");
  }
}

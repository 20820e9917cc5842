package io.pulse.api.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PulseLoggingProviderTest {

  @Test
  void theServerSelectsItUnlessTheOperatorNamedAProvider() {
    Properties unset = new Properties();
    PulseLoggingProvider.select(unset);
    assertEquals(
        PulseLoggingProvider.class.getName(),
        unset.getProperty(PulseLoggingProvider.PROVIDER_PROPERTY));
    assertEquals("WARN", unset.getProperty(PulseLoggingProvider.VERBOSITY_PROPERTY));

    Properties chosen = new Properties();
    chosen.setProperty(PulseLoggingProvider.PROVIDER_PROPERTY, "org.example.TheirProvider");
    PulseLoggingProvider.select(chosen);
    assertEquals(
        "org.example.TheirProvider", chosen.getProperty(PulseLoggingProvider.PROVIDER_PROPERTY));
  }

  @Test
  void aLoggingEventCarriesTheContextAsItWasWhenLogged() {
    PulseLoggingProvider provider = new PulseLoggingProvider();
    provider.initialize();
    LoggerContext context = (LoggerContext) provider.getLoggerFactory();
    assertSame(provider.getMDCAdapter(), context.getMDCAdapter());
    Logger logger = context.getLogger("io.pulse.test");
    logger.setLevel(Level.INFO);
    // As the server's asynchronous appender does: the event takes its context when logged.
    ListAppender<ILoggingEvent> appender =
        new ListAppender<>() {
          @Override
          protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
          }
        };
    appender.setContext(context);
    appender.start();
    logger.addAppender(appender);

    provider.getMDCAdapter().put("persistenceId", "user|default|u-1");
    logger.info("recovered");
    provider.getMDCAdapter().clear();
    logger.info("idle");

    assertEquals(2, appender.list.size());
    assertEquals(
        Map.of("persistenceId", "user|default|u-1"), appender.list.get(0).getMDCPropertyMap());
    assertEquals(Map.of(), appender.list.get(1).getMDCPropertyMap());
    context.stop();
  }
}

package io.pulse.api.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter;
import java.util.Properties;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.Util;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Logback, configured as it configures itself (logback.xml, or its defaults), with a mapped
 * diagnostic context that does not allocate on every message an actor handles ({@link
 * ReusableMdcAdapter}). The server selects it at start unless the operator named a provider.
 */
public final class PulseLoggingProvider implements SLF4JServiceProvider {

  /** The system property by which SLF4J is told which provider to use. */
  static final String PROVIDER_PROPERTY = "slf4j.provider";

  /** How much SLF4J says about itself: by default it announces a provider chosen by name. */
  static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

  private final LoggerContext context = new LoggerContext();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final ReusableMdcAdapter mdc = new ReusableMdcAdapter();

  /**
   * Makes SLF4J use this provider unless another is named. Must run before anything logs: SLF4J
   * chooses its provider once.
   */
  public static void select(Properties system) {
    if (system.getProperty(PROVIDER_PROPERTY) == null) {
      system.setProperty(PROVIDER_PROPERTY, PulseLoggingProvider.class.getName());
      if (system.getProperty(VERBOSITY_PROPERTY) == null) {
        system.setProperty(VERBOSITY_PROPERTY, "WARN");
      }
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return context;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return LogbackServiceProvider.REQUESTED_API_VERSION;
  }

  @Override
  public void initialize() {
    context.setName("default");
    context.setMDCAdapter(mdc);
    try {
      new ContextInitializer(context).autoConfig();
    } catch (Exception e) {
      Util.report("Failed to auto configure default logger context", e);
    }
    if (!StatusUtil.contextHasStatusListener(context)) {
      StatusPrinter.printInCaseOfErrorsOrWarnings(context);
    }
    context.start();
  }
}
